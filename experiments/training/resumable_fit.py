"""`model.fit` that a kill at any moment costs at most one epoch, and resumes to the same end.

After every epoch the full model (weights and optimizer), the best weights so far and the state of
the stateful callbacks (early stopping, learning-rate schedule) are committed atomically, in that
order, with `state.json` last: whatever the moment of a kill, `state.json` names files that exist
and agree with it.
"""

import json
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import h5py
import keras
import keras_tuner as kt
import pandas as pd

from data_pipeline.datasets import TrainingBatches
from experiments.training.objectives import DEFAULT_OBJECTIVE
from experiments.training.run_layout import FitLayout
from experiments.training.weights_file import save_weights
from hypermodels.saved import load_saved_model
from plumbing.atomic import atomic_write, write_csv_atomic, write_json_atomic
from plumbing.errors import DataError


@dataclass(frozen=True)
class TrainingRecipe:
    """How one model is trained (seed Figures 46, 58 and 68)."""

    max_epochs: int = 30
    patience: int | None = 6  # EarlyStopping(monitor, restore best); None: train every epoch
    reduce_lr: tuple[float, int] | None = None  # ReduceLROnPlateau(val_loss, factor, patience)
    monitor: str = DEFAULT_OBJECTIVE  # `objectives.OBJECTIVES`: what the kept epoch is the best of


@dataclass(frozen=True)
class FitResult:
    """Outcome of one training run; `model` holds the weights the recipe keeps."""

    model: keras.Model
    best_value: float  # the recipe's monitor at the kept epoch
    val_loss: float
    best_epoch: int
    epochs_run: int
    seconds: float


class ResumableCallback:
    """Mixin: export the counters of a Keras callback and put them back after `on_train_begin`."""

    STATE_FIELDS = ("wait", "best", "best_epoch", "stopped_epoch", "cooldown_counter")

    def __init__(self, *args, restored: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.restored = restored or {}

    def export_state(self) -> dict:
        return {f: getattr(self, f) for f in self.STATE_FIELDS if getattr(self, f, None) is not None}

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        for field, value in self.restored.items():
            setattr(self, field, value)


class ResumableEarlyStopping(ResumableCallback, keras.callbacks.EarlyStopping):
    """EarlyStopping whose patience counter survives a restart (best weights: see EpochCommit)."""


class ResumableReduceLR(ResumableCallback, keras.callbacks.ReduceLROnPlateau):
    """ReduceLROnPlateau whose counters survive a restart (the rate itself is optimizer state)."""


def seed_generators(layer: keras.layers.Layer) -> list[keras.random.SeedGenerator]:
    """The random streams of a model's layers (dropout, SpecAugment), nested layers included."""
    own = [value for value in vars(layer).values() if isinstance(value, keras.random.SeedGenerator)]
    return own + [g for child in getattr(layer, "layers", []) for g in seed_generators(child)]


class EpochKeyedDropout(keras.callbacks.Callback):
    """Before each epoch, make the layers' random streams (dropout masks) functions of (seed, epoch) alone.

    A checkpoint does not carry them: without this a resumed run or a promoted halving point would
    draw other masks than an unbroken run (the batch order is keyed the same way: `TrainingBatches`).
    """

    def on_epoch_begin(self, epoch, logs=None):
        for generator in seed_generators(self.model):
            generator.state.assign([generator.state[0], epoch_counter(epoch, generator.state.dtype)])


def epoch_counter(epoch: int, dtype: str) -> int:
    """Where a random stream's counter starts in `epoch`; it advances once per step, so epochs never overlap.

    The counter is 64-bit on TensorFlow (2**32 steps per epoch), 32-bit on JAX (unsigned) and torch
    (signed): 2**20 steps per epoch there, for up to 2,048 epochs.
    """
    span = 1 << 32 if "64" in str(dtype) else 1 << 20
    return epoch * span


class NonFiniteLoss(kt.errors.FailedTrialError):
    """The loss became NaN or inf: KerasTuner ends such a trial as FAILED, and it is never a result."""


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Runs first at each epoch end (Keras' `TerminateOnNaN`, raised before the epoch is committed)."""

    def on_epoch_end(self, epoch, logs=None):
        bad = {k: v for k, v in (logs or {}).items() if k in ("loss", "val_loss") and not math.isfinite(v)}
        if bad:
            values = ", ".join(f"{k} {v}" for k, v in bad.items())
            raise NonFiniteLoss(
                f"{values} at epoch {epoch + 1}, which was not saved: lower the learning rate or check the data"
            )


class EpochCommit(keras.callbacks.Callback):
    """Commits the epoch: best weights if `monitor` improved, the full model, then `state.json`."""

    def __init__(self, layout: FitLayout, state: dict, stateful: dict[str, ResumableCallback], monitor: str):
        super().__init__()
        self.layout, self.state, self.stateful, self.monitor = layout, state, stateful, monitor
        self._started = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        logs, finished, state = logs or {}, epoch + 1, self.state
        if state["best_epoch"] == 0 or logs[self.monitor] > state["best_value"]:
            atomic_write(self.layout.best_weights(finished), lambda tmp: save_weights(self.model, tmp))
            value, loss = float(logs[self.monitor]), float(logs["val_loss"])
            state.update(best_epoch=finished, best_value=value, best_val_loss=loss)
        atomic_write(self.layout.epoch_model(finished), self.model.save)
        state.update(
            epoch=finished,
            monitor=self.monitor,
            stopped=bool(self.model.stop_training),
            seconds=state["seconds"] + time.monotonic() - self._started,
            callbacks={name: cb.export_state() for name, cb in self.stateful.items()},
        )
        write_json_atomic(self.layout.state, state)
        keep = {self.layout.epoch_model(finished), self.layout.best_weights(state["best_epoch"])}
        for old in [
            *self.layout.root.glob("epoch_*.keras"),
            *self.layout.root.glob("best_epoch_*.weights.h5"),
        ]:
            if old not in keep:
                old.unlink(missing_ok=True)


# also `monitor`, the objective best_value is of, absent from states before it (`objectives.recorded_objective`)
STATE_KEYS = ("epoch", "stopped", "seconds", "callbacks", "best_epoch", "best_value", "best_val_loss")


class DamagedRun(DataError):
    """A committed file of a run (`state.json`, its checkpoint or best weights) does not read back."""


def read_state(layout: FitLayout) -> dict:
    """Committed progress, or a fresh state; a state file that does not parse is a `DamagedRun`."""
    if not layout.state.exists():
        fresh = {"epoch": 0, "stopped": False, "seconds": 0.0, "callbacks": {}}
        return {**fresh, "best_epoch": 0, "best_value": 0.0, "best_val_loss": 0.0}
    try:
        state = json.loads(layout.state.read_text())
        missing = [key for key in STATE_KEYS if key not in state]
    except (OSError, ValueError, TypeError) as error:
        raise DamagedRun(f"{layout.state} is damaged ({error})") from None
    if missing:
        raise DamagedRun(f"{layout.state} is damaged (no {', '.join(missing)})")
    return state


def committed_state(layout: FitLayout) -> dict:
    """What the run has committed, as rankings read it: a damaged state counts as nothing yet (training
    restarts such a run)."""
    try:
        return read_state(layout)
    except DamagedRun:
        return read_state(FitLayout(layout.root / "missing"))


def resume_point(layout: FitLayout, build) -> tuple[dict, keras.Model]:
    """The committed state and its model; a damaged state or checkpoint restarts the run from epoch 0.

    Every epoch is a function of the seed and its number, so training again from the start ends
    where the damaged run would have: only time is lost, never a result, and the run never ends as
    failed because a file broke (a disk that filled, a copy that was cut short).
    """
    try:
        state = read_state(layout)
        trim_history(layout.history, state["epoch"])
        if not state["epoch"]:
            return state, build()
        check_weights_file(layout.best_weights(state["best_epoch"]))  # before any layer is built: no random draw
        return state, load_saved_model(layout.epoch_model(state["epoch"]), compile=True)
    except DataError as error:  # DamagedRun, or the checkpoint's UnloadableModel
        print(f"{layout.root.name}: {error}; training it again from epoch 0", flush=True)
        restart(layout)
        return read_state(layout), build()


def check_weights_file(path: Path) -> None:
    """A `.weights.h5` file that HDF5 opens (a truncated one does not), or `DamagedRun`."""
    try:
        h5py.File(path, "r").close()
    except OSError as error:
        raise DamagedRun(f"{path} does not load ({str(error).splitlines()[0]})") from None


def restart(layout: FitLayout) -> None:
    """Remove a run's committed files (state last written, so first removed), leaving its folder."""
    layout.state.unlink(missing_ok=True)
    for path in [layout.history, *layout.root.glob("epoch_*.keras"), *layout.root.glob("best_epoch_*.weights.h5")]:
        path.unlink(missing_ok=True)


def trim_history(path: Path, epochs: int) -> None:
    """Drop history rows of epochs after the last committed one (logged, then killed).

    A history without a row for every committed epoch is a `DamagedRun`.
    """
    if not epochs and not (path.exists() and path.stat().st_size):
        return
    history = read_history(path)
    kept = history[history["epoch"] < epochs]
    if list(kept["epoch"]) != list(range(epochs)):
        raise DamagedRun(f"{path} lacks rows of committed epochs")
    write_csv_atomic(path, kept)


def read_history(path: Path) -> pd.DataFrame:
    """A run's `history.csv` (Keras' CSVLogger), or `DamagedRun` when it does not parse."""
    try:
        history = pd.read_csv(path)
        history["epoch"] = history["epoch"].astype(int)
    except (OSError, ValueError, KeyError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DamagedRun(f"{path} is damaged ({str(error).splitlines()[0]})") from None
    return history


def stateful_callbacks(recipe: TrainingRecipe, state: dict) -> dict[str, ResumableCallback]:
    """The recipe's early stopping and learning-rate schedule, with their saved counters."""
    saved = state["callbacks"]
    callbacks: dict[str, ResumableCallback] = {}
    if recipe.patience is not None:
        callbacks["early_stopping"] = ResumableEarlyStopping(
            monitor=recipe.monitor, mode="max", patience=recipe.patience, restored=saved.get("early_stopping")
        )
    if recipe.reduce_lr is not None:
        factor, patience = recipe.reduce_lr
        callbacks["reduce_lr"] = ResumableReduceLR(
            monitor="val_loss", factor=factor, patience=patience, restored=saved.get("reduce_lr")
        )
    return callbacks


def fit_resumable(
    build,
    layout: FitLayout,
    train: TrainingBatches,
    val: Iterable,  # data_pipeline.datasets.make_dataset of the validation split
    recipe: TrainingRecipe,
    extra_callbacks: list[keras.callbacks.Callback] = (),
    verbose: int = 0,
    guards: list[keras.callbacks.Callback] = (),
    class_weight: dict[int, float] | None = None,
) -> FitResult:
    """Train from the last committed epoch (or from `build()`), then keep the recipe's weights.

    `guards` run first at each epoch end: one that raises stops the epoch before anything is written
    (a non-finite loss always does: `NonFiniteLoss`). `class_weight` weighs each training clip's loss
    by its class (`hypermodels.class_weighting`); validation is never weighted.
    """
    layout.root.mkdir(parents=True, exist_ok=True)
    state, model = resume_point(layout, build)
    if state["epoch"] < recipe.max_epochs and not state["stopped"]:
        if state["epoch"]:
            print(f"resuming {layout.root.name} from epoch {state['epoch']}", flush=True)
        stateful = stateful_callbacks(recipe, state)
        batches = train.fit_input(state["epoch"], recipe.max_epochs)
        callbacks = [
            *batches.callbacks,
            StopOnNonFiniteLoss(),
            *guards,
            EpochKeyedDropout(),
            *stateful.values(),
            keras.callbacks.CSVLogger(str(layout.history), append=True),
            EpochCommit(layout, state, stateful, recipe.monitor),
            *extra_callbacks,
        ]
        model.fit(
            batches.x,
            steps_per_epoch=batches.steps_per_epoch,
            validation_data=val,
            epochs=recipe.max_epochs,
            initial_epoch=state["epoch"],
            callbacks=callbacks,
            verbose=verbose,
            shuffle=False,
            class_weight=class_weight,
        )
    if recipe.patience is not None:
        model.load_weights(layout.best_weights(state["best_epoch"]))
    return FitResult(
        model, state["best_value"], state["best_val_loss"], state["best_epoch"], state["epoch"], state["seconds"]
    )


def load_kept_model(layout: FitLayout) -> keras.Model:
    """The last committed model with the weights its recipe keeps (the best epoch's)."""
    state = read_state(layout)
    model = load_saved_model(layout.epoch_model(state["epoch"]), compile=True)
    model.load_weights(layout.best_weights(state["best_epoch"]))
    return model
