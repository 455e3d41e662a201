"""A resumable sweep of one model family (alone or as the chief), then evaluation of its best trial."""

from pathlib import Path

from data_pipeline.model_card import save_model_with_card
from experiments.training.evaluation import evaluate_on_test
from experiments.training.interrupts import StopRequest, SweepInterrupted, stopped_message
from experiments.training.lock import exclusive
from experiments.training.overwrite import clear_results
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import TrainingRecipe, load_kept_model
from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from experiments.training.run_record import check_info
from experiments.training.tensorboard_logs import workdir_logs, write_experiment
from experiments.training.workspace import Workspace, open_workspace
from experiments.tuning.grid_tuner import GridTuner
from experiments.tuning.plan_oracle import settled
from experiments.tuning.recheck.plan import recheck_plan
from experiments.tuning.recheck.record import extend_recheck
from experiments.tuning.record import sweep_info
from experiments.tuning.role import CHIEF, WORKER, role_for
from experiments.tuning.samplers import check_search
from experiments.tuning.space_files import load_space
from experiments.tuning.strategies import make_tuner
from experiments.tuning.sweep_plan import SweepPlan
from hypermodels.class_weighting import CLASS_WEIGHT
from hypermodels.families import FAMILIES, title
from hypermodels.space import SearchSpace
from plumbing.errors import EXIT_INTERRUPTED, DataError, UsageError, refused_writes
from plumbing.launcher_bond import launched

PREDECESSOR_SECONDS = 30.0  # a launch's chief waits this long for the lock of a sweep killed with its launcher


def run_sweep(family: str, options: RunOptions) -> int:
    """Run (or resume) the sweep, alone or as chief or worker; evaluate the best trial once every point has run."""
    space = load_space(options.space, family)
    check_search(space, options.search, options.max_trials, options.space)
    check_class_weight(space, options)
    use_precision(options.mixed_precision)
    recipe = TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience, monitor=options.objective)
    layout = RunLayout(Path(options.workdir) / family)
    plan = SweepPlan(space, recipe, options, layout, role_for(options), recheck_plan(options))
    if plan.role.kind == WORKER:
        from experiments.cluster.worker import run_worker  # only a worker loads the cluster code

        return run_worker(family, plan)
    plan = settled(plan)
    options = plan.options
    if not options.evaluate_only and plan.role.kind != CHIEF:  # before the cache and the trials
        FAMILIES[family].ready()
    workspace = open_workspace(options, FAMILIES[family].features)
    tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / family
    held = exclusive(layout.lock, f"a {family} sweep", wait=PREDECESSOR_SECONDS if launched() else 0.0)
    with refused_writes("--workdir", workspace.workdir.root), held:
        if options.overwrite:
            clear_results(layout, tb_dir)
        info = sweep_info(family, space, recipe, options)
        if not options.evaluate_only:  # a larger re-check is recorded by a run that trains it
            extend_recheck(layout, info)
        check_info(layout, info)
        write_experiment(tb_dir, space, recipe.monitor)
        print(f"TensorBoard (HParams tab): tensorboard --logdir {tb_dir}")
        request = StopRequest()
        tuner = make_tuner(family, plan, tb_dir, request, len(workspace.names))
        print(f"{family} sweep: {tuner.summary()}")
        try:
            if not options.evaluate_only:
                data = () if plan.role.kind == CHIEF else workspace.datasets(options.batch_size, options.seed)
                with request.installed():
                    tuner.search(*data, verbose=0)
            return evaluate_best(tuner, workspace, layout, family, options.evaluate_only)
        except SweepInterrupted:
            print(stopped_message())
            return EXIT_INTERRUPTED
        finally:
            if plan.role.kind == CHIEF:
                tuner.close()


def check_class_weight(space: SearchSpace, options: RunOptions) -> None:
    """Refuse `--class-weight` beside a space that searches it: one of them would be ignored."""
    if options.class_weight is not None and CLASS_WEIGHT in space.names:
        raise UsageError(
            f"--class-weight {options.class_weight}: --space {options.space} searches class_weight itself; "
            "drop --class-weight, or the key from the space"
        )


def evaluate_best(tuner: GridTuner, workspace: Workspace, layout: RunLayout, family: str, forced: bool) -> int:
    """Save the best trial's model and its test metrics (once the sweep is done, or when asked)."""
    if not (tuner.finished() or forced):
        print("sweep not finished: run it again to finish it before evaluation")
        return 0
    best = tuner.best()
    if best is None and tuner.finished():
        raise DataError(f"every trial in {layout.root} failed (their lines above say why): nothing to evaluate")
    if best is None:
        raise UsageError(f"no finished trial in {layout.root} to evaluate: run the sweep first")
    name, fit = best
    model = load_kept_model(fit)
    known = FAMILIES[family]
    save_model_with_card(layout.best_model, known.serving_model(model).save, workspace.names, known.features)
    metrics = evaluate_on_test(model, workspace.test, workspace.names, layout, title(family))
    print(
        f"best {name}: test accuracy {metrics['accuracy']:.4f}, "
        f"macro F1 {metrics['macro']['f1']:.4f} -> {layout.test_metrics}"
    )
    return 0
