"""The seed's fixed models: baselines (SGD 0.01, 30 epochs) and enhanced (Adam, early stopping, LR plateau)."""

import keras

from data_pipeline.config import FeatureConfig
from data_pipeline.model_card import write_card
from experiments.training.evaluation import evaluate_on_test
from experiments.training.interrupts import StopRequest, StopWhenRequested, SweepInterrupted, stopped_message
from experiments.training.lock import exclusive
from experiments.training.overwrite import clear_results
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import NonFiniteLoss, TrainingRecipe, fit_resumable
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.training.run_options import RunOptions
from experiments.training.tensorboard_logs import tensorboard_callback, workdir_logs
from experiments.training.workspace import open_workspace
from hypermodels.families import fixed_builders, title
from plumbing.atomic import atomic_write, write_json_atomic
from plumbing.errors import EXIT_INTERRUPTED, DataError, refused_writes


def recipe_for(name: str, options: RunOptions) -> TrainingRecipe:
    """Baselines train every epoch (Figure 46); enhanced models stop early and halve the LR (Figure 58)."""
    if name.endswith("baseline"):
        return TrainingRecipe(max_epochs=options.max_epochs, patience=None)
    return TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience, reduce_lr=(0.5, 3))


def train_fixed(name: str, options: RunOptions) -> int:
    """Train (or resume) one fixed model and evaluate it on the test split."""
    build = fixed_builders()[name]
    workspace = open_workspace(options)
    layout = RunLayout(workspace.workdir.root / name)
    tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / name
    with refused_writes("--workdir", workspace.workdir.root), exclusive(layout.lock, f"training of {name}"):
        if options.overwrite:
            clear_results(layout, tb_dir)
        recipe = recipe_for(name, options)
        write_json_atomic(
            layout.info,
            {
                "kind": "fixed",
                "model": name,
                "max_epochs": recipe.max_epochs,
                "patience": recipe.patience,
                "reduce_lr": recipe.reduce_lr,
                "batch_size": options.batch_size,
                "seed": options.seed,
                **({"mixed_precision": options.mixed_precision} if options.mixed_precision else {}),
            },
        )
        use_precision(options.mixed_precision)
        keras.utils.set_random_seed(options.seed)
        train, val = workspace.datasets(options.batch_size, options.seed)
        request = StopRequest()
        try:
            with request.installed():
                result = fit_resumable(
                    lambda: build(num_classes=len(workspace.names)),
                    FitLayout(layout.root),
                    train,
                    val,
                    recipe,
                    [tensorboard_callback(tb_dir), StopWhenRequested(request)],
                    verbose=2,
                )
        except SweepInterrupted:
            print(stopped_message())
            return EXIT_INTERRUPTED
        except NonFiniteLoss as error:
            raise DataError(f"{name}: {error}") from None
        atomic_write(layout.best_model, result.model.save)
        write_card(layout.best_model, workspace.names, FeatureConfig())
        metrics = evaluate_on_test(result.model, workspace.test, workspace.names, layout, title(name))
        print(f"{title(name)}: test accuracy {metrics['accuracy']:.4f}, macro F1 {metrics['macro']['f1']:.4f}")
    return 0
