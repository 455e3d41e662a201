"""A KerasTuner `Tuner` whose trials resume mid-training and report one line each."""

import json
from dataclasses import dataclass
from pathlib import Path

import keras
import keras_tuner as kt
import pandas as pd

from experiments.training.interrupts import StopRequest, StopWhenRequested
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import TrainingRecipe, fit_resumable
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.training.seeding import set_random_seed
from experiments.training.tensorboard_logs import (
    hparam_label,
    tensorboard_callback,
    write_session_hparams,
    write_session_result,
)
from experiments.tuning.leaderboard import RESULT_NAMES, build_leaderboard, objective_of, write_leaderboard
from experiments.tuning.statuses import COMPLETED, ENDED, FAILED
from hypermodels.augmentation import MIXUP, uses_mixup
from hypermodels.class_weighting import CLASS_WEIGHT, WEIGHTINGS, class_weights
from plumbing.atomic import write_text_atomic


@dataclass(frozen=True)
class TrialTraining:
    """Where one trial's training state and TensorBoard logs live, and its recipe."""

    fit: FitLayout
    recipe: TrainingRecipe
    tb_dir: Path
    session_id: str


class GridTuner(kt.Tuner):
    """Runs `GridOracle` trials with the seed's recipe, resumable at epoch granularity."""

    def __init__(
        self,
        *,
        layout: RunLayout,
        recipe: TrainingRecipe,
        tb_root,
        seed: int,
        request: StopRequest,
        mixed_precision: str | None = None,
        class_weight: str = WEIGHTINGS[0],
        **kwargs,
    ):
        self.layout, self.recipe, self.tb_root = layout, recipe, tb_root
        self.seed, self.request, self.mixed_precision = seed, request, mixed_precision
        self.class_weight = class_weight  # trials whose space does not search class_weight
        super().__init__(directory=str(layout.root), project_name=layout.tuner_dir.name, **kwargs)

    def training_of(self, trial) -> TrialTraining:
        """Where and how far a trial trains: its own folder, the whole recipe."""
        trial_id = trial.trial_id
        fit = FitLayout(self.layout.trial_dir(trial_id))
        return TrialTraining(fit, self.recipe, self.tb_root / f"trial_{trial_id}", f"{self.layout.name}/{trial_id}")

    def run_trial(self, trial, train, val, **_search_kwargs):
        keras.backend.clear_session()
        use_precision(self.mixed_precision)  # clear_session reset the dtype policy
        set_random_seed(self.seed)
        training = self.training_of(trial)
        if not training.fit.state.exists():
            values = {name: trial.hyperparameters.values[name] for name in self.oracle.space.names}
            write_session_hparams(training.tb_dir, values, training.session_id)
        values = trial.hyperparameters.values
        if uses_mixup(values):
            train = train.with_mixup(values[MIXUP], self.hypermodel.num_classes)
        weights = class_weights(values.get(CLASS_WEIGHT, self.class_weight), train.data.labels)
        result = fit_resumable(
            lambda: self.hypermodel.build(trial.hyperparameters),
            training.fit,
            train,
            val,
            training.recipe,
            [tensorboard_callback(training.tb_dir), StopWhenRequested(self.request)],
            guards=self.guards(trial),
            class_weight=weights,
        )
        objective = self.oracle.objective.name
        write_session_result(
            training.tb_dir, objective, result.best_value, result.val_loss, result.best_epoch, result.epochs_run
        )
        return {objective: result.best_value, "val_loss": result.val_loss}

    def guards(self, trial) -> list[keras.callbacks.Callback]:
        """Callbacks that run first at every epoch end, before anything is written (none alone)."""
        return []

    def save_model(self, trial_id, model, step=0):
        """Checkpoints are written during training by `fit_resumable`."""

    def save(self):
        write_text_atomic(self._get_tuner_fname(), json.dumps(self.get_state()))

    def on_trial_end(self, trial):
        super().on_trial_end(trial)
        frame = self.leaderboard()
        write_leaderboard(frame, self.layout.leaderboard)
        print(self.progress(frame, trial) + failure_reason(trial), flush=True)

    def leaderboard(self) -> pd.DataFrame:
        """One row per trial, best first."""
        return build_leaderboard(
            self.oracle.trials.values(), self.oracle.space.names, self.layout, self.oracle.objective.name
        )

    def progress(self, frame: pd.DataFrame, trial) -> str:
        return progress_line(frame, trial.trial_id, len(self.oracle.points))

    def ended_count(self) -> int:
        """Trials that ended for good (completed or failed)."""
        return sum(t.status in ENDED for t in self.oracle.trials.values())

    def summary(self) -> str:
        """Where the sweep stands, printed when it starts."""
        done, size = self.ended_count(), len(self.oracle.points)
        return f"grid of {size} points, {done} done, {size - done} left"

    def finished(self) -> bool:
        """Every grid point has run."""
        return self.ended_count() == len(self.oracle.points)

    def best(self) -> tuple[str, FitLayout] | None:
        """The leaderboard's first completed trial: its name and training folder (None before one completes)."""
        board = self.leaderboard()
        completed = board[(board["status"] == COMPLETED) & board[self.oracle.objective.name].notna()]
        if completed.empty:
            return None
        trial = self.oracle.trials[str(completed.iloc[0]["trial_id"])]
        return f"trial {trial.trial_id}", self.training_of(trial).fit


def progress_line(frame, trial_id: str, grid_size: int, parallel: int = 1, ended: int | None = None) -> str:
    """`k/N trial hp... <objective> val_loss seconds ETA` for a finished trial (`parallel` trials at a time).

    `ended`: how many trials had ended with this one (k), when others may have ended since.
    """
    done = frame[frame["status"].isin(ENDED)]
    count = len(done) if ended is None else ended
    row, objective = frame[frame["trial_id"] == trial_id].iloc[0], objective_of(frame)
    names = [c for c in frame.columns if c not in ("trial_id", "status", *RESULT_NAMES)]
    values = " ".join(f"{n}={hparam_label(row[n])}" for n in names)
    mean = done["seconds"].mean() if len(done) else 0.0
    eta = mean * (grid_size - count) / parallel
    if row["status"] != COMPLETED:
        return f"[{count}/{grid_size}] trial {trial_id} {row['status']} {values}"
    return (
        f"[{count}/{grid_size}] trial {trial_id} {values} {objective}={row[objective]:.4f} "
        f"val_loss={row['val_loss']:.4f} {row['seconds']:.0f}s ETA {format_seconds(eta)}"
    )


def format_seconds(seconds: float) -> str:
    """1h02m, 5m30s, 12s."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def failure_reason(trial) -> str:
    """`: <why>` for a failed trial (the last line of KerasTuner's message), else nothing."""
    lines = (trial.message or "").strip().splitlines() if trial.status == FAILED else []
    return f": {lines[-1]}" if lines else ""
