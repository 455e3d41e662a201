"""A resumable grid sweep of one model family, then evaluation of its best trial on the test split."""

import json
import shutil
from pathlib import Path

from data_pipeline.atomic import atomic_write, write_json_atomic
from data_pipeline.config import FeatureConfig
from data_pipeline.errors import EXIT_INTERRUPTED, UsageError, run_command
from data_pipeline.model_card import write_card
from experiments.cli_options import RunOptions, sweep_parser, to_options
from experiments.evaluation import evaluate_on_test
from experiments.grid_oracle import GridOracle
from experiments.grid_tuner import GridTuner
from experiments.halving_oracle import HalvingOracle
from experiments.halving_rungs import HalvingPlan
from experiments.halving_tuner import HalvingTuner
from experiments.interrupts import StopRequest, SweepInterrupted, stopped_message
from experiments.resumable_fit import TrainingRecipe, load_kept_model
from experiments.run_layout import FitLayout, RunLayout
from experiments.space_files import load_space
from experiments.sweep_lock import exclusive
from experiments.tb_hparams import workdir_logs, write_experiment
from experiments.workspace import open_workspace
from hypermodels import BiGRUHyperModel, CNNHyperModel
from hypermodels.space import SearchSpace

HYPERMODELS = {"cnn": CNNHyperModel, "rnn": BiGRUHyperModel}
TITLES = {"cnn": "Tuned CNN", "rnn": "Tuned BiGRU"}


def clear_results(layout: RunLayout, tb_logs: Path) -> None:
    """--overwrite: remove the experiment's results (but its lock) and its own TensorBoard logs."""
    for path in layout.root.iterdir() if layout.root.exists() else []:
        if path != layout.lock:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.rmtree(tb_logs, ignore_errors=True)


def check_info(layout: RunLayout, info: dict) -> None:
    """Record what the sweep is; refuse to resume it with a different strategy, space or recipe."""
    info = json.loads(json.dumps(info))  # compare as stored: tuples become lists
    if layout.info.exists():
        stored = {"strategy": "grid", **json.loads(layout.info.read_text())}  # sweeps from before halving
        if stored["strategy"] != info["strategy"]:
            raise UsageError(f"{layout.root} holds a {stored['strategy']} sweep, not {info['strategy']}: pass "
                             f"--strategy {stored['strategy']} to resume it, --overwrite to start again, or another "
                             "--workdir")  # fmt: skip
        if stored != info:
            changed = sorted(k for k in info if stored.get(k) != info[k])
            raise UsageError(f"{layout.root} holds a sweep with other {', '.join(changed)}: pass the same options "
                             "to resume, --overwrite to start again, or another --workdir")  # fmt: skip
    else:
        write_json_atomic(layout.info, info)


def sweep_info(family: str, space: SearchSpace, recipe: TrainingRecipe, options: RunOptions) -> dict:
    """What `experiment.json` records of a sweep (the halving plan only for halving)."""
    info = {
        "kind": "sweep", "family": family, "strategy": options.strategy, "space_name": space.name,
        "space": [list(v) for v in space.values], "max_epochs": recipe.max_epochs, "patience": recipe.patience,
        "batch_size": options.batch_size, "seed": options.seed,
    }  # fmt: skip
    if options.strategy == "halving":
        info.update(min_epochs=options.min_epochs, eta=options.eta)
    return info


def make_tuner(family: str, space: SearchSpace, recipe: TrainingRecipe, options: RunOptions, layout: RunLayout,
               tb_dir: Path, request: StopRequest, num_classes: int) -> GridTuner:  # fmt: skip
    """The grid tuner, or the halving one over the same grid."""
    hypermodel = HYPERMODELS[family](num_classes=num_classes, space=space)
    common = {"hypermodel": hypermodel, "layout": layout, "recipe": recipe, "tb_root": tb_dir, "seed": options.seed,
              "request": request}  # fmt: skip
    if options.strategy == "grid":
        return GridTuner(oracle=GridOracle(space, seed=options.seed), **common)
    plan = HalvingPlan(options.min_epochs, options.eta, recipe.max_epochs)
    oracle = HalvingOracle(space, plan, lambda point: FitLayout(layout.point_dir(point)), seed=options.seed)
    return HalvingTuner(oracle=oracle, **common)


def run_sweep(family: str, options: RunOptions) -> int:
    """Run (or resume) the sweep; evaluate the best trial once every grid point has run."""
    space = load_space(options.space, family)
    workspace = open_workspace(options)
    layout = RunLayout(workspace.workdir.root / family)
    tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / family
    with exclusive(layout.lock, f"a {family} sweep"):
        if options.overwrite:
            clear_results(layout, tb_dir)
        recipe = TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience)
        check_info(layout, sweep_info(family, space, recipe, options))
        write_experiment(tb_dir, space)
        print(f"TensorBoard (HParams tab): tensorboard --logdir {tb_dir}")
        request = StopRequest()
        tuner = make_tuner(family, space, recipe, options, layout, tb_dir, request, len(workspace.names))
        print(f"{family} sweep: {tuner.summary()}")
        if not options.evaluate_only:
            train, val = workspace.datasets(options.batch_size, options.seed)
            try:
                with request.installed():
                    tuner.search(train, val, verbose=0)
            except SweepInterrupted:
                print(stopped_message())
                return EXIT_INTERRUPTED
        return evaluate_best(tuner, workspace, layout, family, options.evaluate_only)


def evaluate_best(tuner: GridTuner, workspace, layout: RunLayout, family: str, forced: bool) -> int:
    """Save the best trial's model and its test metrics (once the sweep is done, or when asked)."""
    if not (tuner.finished() or forced):
        print("sweep not finished: run it again to finish it before evaluation")
        return 0
    best = tuner.best()
    if best is None:
        raise UsageError(f"no finished trial in {layout.root} to evaluate: run the sweep first")
    name, fit = best
    model = load_kept_model(fit)
    atomic_write(layout.best_model, model.save)
    write_card(layout.best_model, workspace.names, FeatureConfig())
    metrics = evaluate_on_test(model, workspace.test, workspace.names, layout, TITLES[family])
    print(f"best {name}: test accuracy {metrics['accuracy']:.4f}, "
          f"macro F1 {metrics['macro']['f1']:.4f} -> {layout.test_metrics}")  # fmt: skip
    return 0


def main(family: str) -> int:
    """Command line of `experiments/search_<family>.py`."""
    options = to_options(sweep_parser(family).parse_args())
    return run_command(lambda: run_sweep(family, options))
