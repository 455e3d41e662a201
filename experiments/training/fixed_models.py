"""The seed's fixed models: baselines (SGD 0.01, 30 epochs) and enhanced (Adam, early stopping, LR plateau)."""

from data_pipeline.model_card import save_model_with_card
from experiments.training.evaluation import evaluate_on_test
from experiments.training.interrupts import StopRequest, StopWhenRequested, SweepInterrupted, stopped_message
from experiments.training.lock import exclusive
from experiments.training.overwrite import clear_results
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import NonFiniteLoss, TrainingRecipe, fit_resumable
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.training.run_options import RunOptions
from experiments.training.run_record import check_info
from experiments.training.seeding import set_random_seed
from experiments.training.tensorboard_logs import tensorboard_callback, workdir_logs
from experiments.training.workspace import open_workspace
from hypermodels.class_weighting import WEIGHTINGS, class_weights
from hypermodels.families import fixed_builders, stage_of, title
from hypermodels.saved import load_saved_model
from plumbing.errors import EXIT_INTERRUPTED, DataError, UsageError, refused_writes


def recipe_for(name: str, options: RunOptions) -> TrainingRecipe:
    """Baselines train every epoch (Figure 46); enhanced models stop early and halve the LR (Figure 58)."""
    if name.endswith("baseline"):
        return TrainingRecipe(max_epochs=options.max_epochs, patience=None, monitor=options.objective)
    return TrainingRecipe(
        max_epochs=options.max_epochs, patience=options.patience, reduce_lr=(0.5, 3), monitor=options.objective
    )


def fixed_info(name: str, recipe: TrainingRecipe, options: RunOptions) -> dict:
    """What `experiment.json` records of a fixed model."""
    info = {"kind": "fixed", "model": name, "max_epochs": recipe.max_epochs, "patience": recipe.patience}
    info.update(reduce_lr=recipe.reduce_lr, batch_size=options.batch_size, seed=options.seed, objective=recipe.monitor)
    if options.class_weight == "balanced":  # recorded only when on, so runs from before the option resume
        info.update(class_weight=options.class_weight)
    return {**info, **({"mixed_precision": options.mixed_precision} if options.mixed_precision else {})}


def evaluate_fixed(name: str, layout: RunLayout, workspace) -> int:
    """--evaluate-only: the saved model evaluated again on the test split; nothing is trained."""
    if not layout.best_model.exists():
        raise UsageError(f"--evaluate-only: {layout.best_model} does not exist yet: train {name} first")
    model = stage_of(name)[0].trained_model(load_saved_model(layout.best_model))
    metrics = evaluate_on_test(model, workspace.test, workspace.names, layout, title(name))
    print(f"{title(name)}: test accuracy {metrics['accuracy']:.4f}, macro F1 {metrics['macro']['f1']:.4f}")
    return 0


def train_fixed(name: str, options: RunOptions) -> int:
    """Train (or resume) one fixed model and evaluate it on the test split."""
    build, known = fixed_builders()[name], stage_of(name)[0]
    if not options.evaluate_only:
        known.ready()
    workspace = open_workspace(options, known.features)
    layout = RunLayout(workspace.workdir.root / name)
    tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / name
    with refused_writes("--workdir", workspace.workdir.root), exclusive(layout.lock, f"training of {name}"):
        if options.overwrite:
            clear_results(layout, tb_dir)
        recipe = recipe_for(name, options)
        if options.evaluate_only:  # records and trains nothing
            return evaluate_fixed(name, layout, workspace)
        check_info(layout, fixed_info(name, recipe, options))
        use_precision(options.mixed_precision)
        set_random_seed(options.seed)
        train, val = workspace.datasets(options.batch_size, options.seed)
        request = StopRequest()
        try:
            with request.installed():
                result = fit_resumable(
                    lambda: build(num_classes=len(workspace.names), input_shape=known.features.input_shape),
                    FitLayout(layout.root),
                    train,
                    val,
                    recipe,
                    [tensorboard_callback(tb_dir), StopWhenRequested(request)],
                    verbose=2,
                    class_weight=class_weights(options.class_weight or WEIGHTINGS[0], workspace.train.labels),
                )
        except SweepInterrupted:
            print(stopped_message())
            return EXIT_INTERRUPTED
        except NonFiniteLoss as error:
            raise DataError(f"{name}: {error}") from None
        model_file = known.serving_model(result.model)
        save_model_with_card(layout.best_model, model_file.save, workspace.names, known.features)
        metrics = evaluate_on_test(result.model, workspace.test, workspace.names, layout, title(name))
        print(f"{title(name)}: test accuracy {metrics['accuracy']:.4f}, macro F1 {metrics['macro']['f1']:.4f}")
    return 0
