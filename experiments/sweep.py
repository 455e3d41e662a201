"""A resumable grid sweep of one model family, then evaluation of its best trial on the test split."""

import json
import shutil
from pathlib import Path

from data_pipeline.atomic import atomic_write, write_json_atomic
from data_pipeline.errors import EXIT_INTERRUPTED, UsageError, run_command
from experiments.cli_options import RunOptions, sweep_parser, to_options
from experiments.evaluation import evaluate_on_test
from experiments.grid_oracle import GridOracle
from experiments.grid_tuner import GridTuner
from experiments.interrupts import StopRequest, SweepInterrupted, stopped_message
from experiments.resumable_fit import TrainingRecipe
from experiments.run_layout import RunLayout
from experiments.space_files import load_space
from experiments.sweep_lock import exclusive
from experiments.tb_hparams import workdir_logs, write_experiment
from experiments.workspace import open_workspace
from hypermodels import BiGRUHyperModel, CNNHyperModel

HYPERMODELS = {"cnn": CNNHyperModel, "rnn": BiGRUHyperModel}
TITLES = {"cnn": "Tuned CNN", "rnn": "Tuned BiGRU"}


def clear_results(layout: RunLayout, tb_logs: Path) -> None:
    """--overwrite: remove the experiment's results (but its lock) and its own TensorBoard logs."""
    for path in layout.root.iterdir() if layout.root.exists() else []:
        if path != layout.lock:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.rmtree(tb_logs, ignore_errors=True)


def check_info(layout: RunLayout, info: dict) -> None:
    """Record what the sweep is; refuse to resume it with a different space or recipe."""
    info = json.loads(json.dumps(info))  # compare as stored: tuples become lists
    if layout.info.exists():
        stored = json.loads(layout.info.read_text())
        if stored != info:
            changed = sorted(k for k in info if stored.get(k) != info[k])
            raise UsageError(f"{layout.root} holds a sweep with other {', '.join(changed)}: pass the same options "
                             "to resume, --overwrite to start again, or another --workdir")  # fmt: skip
    else:
        write_json_atomic(layout.info, info)


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
        check_info(layout, {
            "kind": "sweep", "family": family, "space_name": space.name, "space": [list(v) for v in space.values],
            "max_epochs": recipe.max_epochs, "patience": recipe.patience, "batch_size": options.batch_size,
            "seed": options.seed,
        })  # fmt: skip
        write_experiment(tb_dir, space)
        print(f"TensorBoard (HParams tab): tensorboard --logdir {tb_dir}")
        request = StopRequest()
        tuner = GridTuner(
            oracle=GridOracle(space, seed=options.seed),
            hypermodel=HYPERMODELS[family](num_classes=len(workspace.names), space=space),
            layout=layout, recipe=recipe, tb_root=tb_dir, seed=options.seed, request=request,
        )  # fmt: skip
        finished = [t for t in tuner.oracle.trials.values() if t.status in ("COMPLETED", "FAILED")]
        print(f"{family} sweep: grid of {len(space)} points, {len(finished)} done, {len(space) - len(finished)} left")
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
    """Save the best trial's model and its test metrics (once the grid is done, or when asked)."""
    trials = tuner.oracle.trials.values()
    complete = sum(t.status in ("COMPLETED", "FAILED") for t in trials) == len(tuner.oracle.points)
    if not (complete or forced):
        print("grid not finished: run the sweep again to finish it before evaluation")
        return 0
    best = tuner.oracle.get_best_trials(1)
    if not best:
        raise UsageError(f"no finished trial in {layout.root} to evaluate: run the sweep first")
    model = tuner.load_model(best[0])
    atomic_write(layout.best_model, model.save)
    metrics = evaluate_on_test(model, workspace.test, workspace.names, layout, TITLES[family])
    print(f"best trial {best[0].trial_id}: test accuracy {metrics['accuracy']:.4f}, "
          f"macro F1 {metrics['macro']['f1']:.4f} -> {layout.test_metrics}")  # fmt: skip
    return 0


def main(family: str) -> int:
    """Command line of `experiments/search_<family>.py`."""
    options = to_options(sweep_parser(family).parse_args())
    return run_command(lambda: run_sweep(family, options))
