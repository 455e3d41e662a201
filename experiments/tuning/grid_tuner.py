"""A KerasTuner `Tuner` whose trials resume mid-training and report one line each."""

import json
from dataclasses import dataclass, replace
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
from experiments.tuning.recheck.plan import RECHECK_POINT, RECHECK_SEED, is_recheck
from experiments.tuning.recheck.runs import OwnRun, grid_own_runs, recheck_line, recheck_runs, with_recheck
from experiments.tuning.statuses import COMPLETED, ENDED, FAILED
from hypermodels.augmentation import MIXUP, uses_mixup
from hypermodels.class_weighting import CLASS_WEIGHT, WEIGHTINGS, class_weights
from plumbing.atomic import write_text_atomic
from plumbing.disk_space import disk_full


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
        """Where and how far a trial trains: its own folder (a re-check run's: by point and seed), the whole recipe."""
        trial_id, values = trial.trial_id, trial.hyperparameters.values
        if is_recheck(values):
            point, seed = values[RECHECK_POINT], values[RECHECK_SEED]
            fit = FitLayout(self.layout.recheck_dir(point, seed))
            run = f"recheck_point_{point:03d}_seed_{seed}"
            return TrialTraining(fit, self.recipe, self.tb_root / run, f"{self.layout.name}/{run}")
        fit = FitLayout(self.layout.trial_dir(trial_id))
        return TrialTraining(fit, self.recipe, self.tb_root / f"trial_{trial_id}", f"{self.layout.name}/{trial_id}")

    def run_trial(self, trial, train, val, **_search_kwargs):
        """Train the trial (resumed from its last committed epoch); a full disk stops the sweep, not the trial."""
        try:
            return self.train_trial(trial, train, val)
        except Exception as error:
            full = disk_full(error)
            if full is None:
                raise
            raise DiskFull(full) from error

    def train_trial(self, trial, train, val) -> dict:
        keras.backend.clear_session()
        use_precision(self.mixed_precision)  # clear_session reset the dtype policy
        seed = trial.hyperparameters.values.get(RECHECK_SEED, self.seed)  # a re-check run's own seed
        set_random_seed(seed)  # initial weights and the layers' random streams (dropout)
        train = replace(train, seed=seed)  # every epoch's batch order (and mixup draws)
        training = self.training_of(trial)
        if not training.fit.state.exists():
            values = {name: trial.hyperparameters.values[name] for name in self.oracle.space.names}
            write_session_hparams(training.tb_dir, values, training.session_id, frozenset(self.oracle.space.ranges))
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
        frame, runs = self.write_boards()
        print(self.trial_line(frame, runs, trial) + failure_reason(trial), flush=True)

    def trial_list(self) -> list:
        """Every trial of the oracle."""
        return list(self.oracle.trials.values())

    def leaderboard(self) -> pd.DataFrame:
        """One row per grid point, best first (a re-checked point by its mean over seeds)."""
        return self.boards()[0]

    def boards(self) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """The leaderboard, and every run of each re-checked point (None for a sweep without a re-check)."""
        board = self.sweep_board()
        if self.oracle.recheck is None:
            return board, None
        runs = recheck_runs(self.trial_list(), self.own_runs(), self.layout, self.oracle.objective.name, self.seed)
        return self.with_recheck(board, runs), runs

    def sweep_board(self) -> pd.DataFrame:
        """The sweep's own leaderboard: one row per grid point's trial, best first."""
        return build_leaderboard(self.trial_list(), self.oracle.space.names, self.layout, self.oracle.objective.name)

    def own_runs(self) -> dict[int, OwnRun]:
        """Each grid point's run at the sweep's seed: its grid trial."""
        return grid_own_runs(self.trial_list(), self.oracle.points, self.layout)

    def with_recheck(self, board: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
        """The board with the re-check's columns, re-checked points first by their mean."""
        return with_recheck(board, runs, self.oracle.objective.name)

    def write_boards(self) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """Rank what has ended and write it: `leaderboard.csv`, and `recheck.csv` for a re-checked sweep."""
        frame, runs = self.boards()
        write_leaderboard(frame, self.layout.leaderboard)
        if runs is not None:
            write_leaderboard(runs, self.layout.recheck_runs)
        return frame, runs

    def trial_line(self, frame: pd.DataFrame, runs: pd.DataFrame | None, trial, **numbers) -> str:
        """The line printed when a trial ends: a grid trial's progress, or a re-check run's."""
        if is_recheck(trial.hyperparameters.values):
            return recheck_line(runs, trial, self.oracle.objective.name, self.oracle.planned_recheck_runs())
        return self.progress(frame, trial, **numbers)

    def progress(self, frame: pd.DataFrame, trial, **numbers) -> str:
        return progress_line(frame, trial.trial_id, self.oracle.size, **numbers)

    def ended_count(self) -> int:
        """Trials that ended for good (completed or failed)."""
        return sum(t.status in ENDED for t in self.oracle.trials.values())

    def summary(self) -> str:
        """Where the sweep stands, printed when it starts."""
        trials, size = self.trial_list(), self.oracle.size
        done = sum(t.status in ENDED and not is_recheck(t.hyperparameters.values) for t in trials)
        return f"{self.oracle.searched} of {size} points, {done} done, {size - done} left{self.recheck_summary()}"

    def recheck_summary(self) -> str:
        """`; then the top K again with S more seeds each: done/planned done` (nothing without a re-check)."""
        plan = self.oracle.recheck
        if plan is None:
            return ""
        planned = self.oracle.planned_recheck_runs()
        return f"; then the top {plan.top} again with {plan.seeds} more seeds each: {self.rechecked()}/{planned} done"

    def rechecked(self) -> int:
        """Re-check runs that ended for good."""
        return sum(t.status in ENDED and is_recheck(t.hyperparameters.values) for t in self.trial_list())

    def finished(self) -> bool:
        """Every grid point has run, and every re-check run."""
        return self.ended_count() == self.oracle.planned_trials()

    def best(self) -> tuple[str, FitLayout] | None:
        """The leaderboard's first completed trial: its name and training folder (None before one completes)."""
        board = self.leaderboard()
        completed = board[(board["status"] == COMPLETED) & board[self.oracle.objective.name].notna()]
        if completed.empty:
            return None
        trial = self.oracle.trials[str(completed.iloc[0]["trial_id"])]
        return f"trial {trial.trial_id}", self.training_of(trial).fit


class DiskFull(kt.errors.FatalError):
    """A trial could not write for lack of space: KerasTuner would fail the trial and go on to fail the next ones;
    the sweep stops instead, the trial left to resume from its last committed epoch."""


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
