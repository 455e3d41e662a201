"""The sweep leaderboard: one row per trial, in the one ranking that the sweep, halving and the report all use."""

from pathlib import Path

import pandas as pd

from experiments.training.objectives import OBJECTIVES
from experiments.training.resumable_fit import committed_state
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.recheck.trials import grid_trials
from experiments.tuning.statuses import COMPLETED
from plumbing.atomic import write_csv_atomic

TIMING_COLUMNS = ["best_epoch", "epochs_run", "seconds"]
# a re-checked point's kept objective over its seeds: how many, mean, standard deviation, 95% t-interval
RECHECK_COLUMNS = ["seeds", "mean", "std", "ci95_low", "ci95_high"]
RESULT_NAMES = {*OBJECTIVES, "val_loss", *TIMING_COLUMNS, *RECHECK_COLUMNS}  # leaderboard columns that are no hp


def result_columns(objective: str) -> list[str]:
    """A sweep's result columns: its objective at the kept epoch (`val_accuracy`, `val_macro_f1`), then the rest."""
    return [objective, "val_loss", *TIMING_COLUMNS]


def ranking(objective: str) -> tuple[tuple[str, bool], ...]:
    """Better first: a higher kept objective, then a lower validation loss."""
    return ((objective, False), ("val_loss", True))


def objective_of(frame: pd.DataFrame) -> str:
    """The objective a leaderboard ranks by: its one objective column."""
    return next(name for name in OBJECTIVES if name in frame.columns)


def ranked(
    frame: pd.DataFrame, grid_order: str, objective: str, first: tuple[tuple[str, bool], ...] = ()
) -> pd.DataFrame:
    """The one ranking: `first` keys, then `ranking(objective)`, then grid order; rows without a result last.

    A `("status", True)` key puts completed trials before every other status (a failed trial's
    committed epochs never outrank a finished one).
    """
    keys = [*first, *ranking(objective), (grid_order, True)]

    def sort_key(column: pd.Series) -> pd.Series:
        return column != COMPLETED if column.name == "status" else column

    return frame.sort_values(
        [name for name, _ in keys], ascending=[up for _, up in keys], na_position="last", key=sort_key
    ).reset_index(drop=True)


def committed_results(fit: FitLayout, objective: str) -> dict:
    """The leaderboard's result columns from one training run's committed state (kept by `objective`)."""
    state = committed_state(fit)
    kept = bool(state.get("best_epoch"))
    return {
        objective: state.get("best_value") if kept else None,
        "val_loss": state.get("best_val_loss") if kept else None,
        "best_epoch": state.get("best_epoch"),
        "epochs_run": state.get("epoch", 0),
        "seconds": round(state.get("seconds", 0.0), 1),
    }


def trial_row(trial, names: list[str], layout: RunLayout, objective: str) -> dict:
    """Leaderboard row of one KerasTuner trial, with the numbers its training state committed."""
    row = {"trial_id": trial.trial_id, "status": trial.status}
    row.update({name: trial.hyperparameters.values.get(name) for name in names})
    return {**row, **committed_results(FitLayout(layout.trial_dir(trial.trial_id)), objective)}


def build_leaderboard(trials, names: list[str], layout: RunLayout, objective: str) -> pd.DataFrame:
    """One row per grid point's trial (re-check runs are not rows), completed first, in the one ranking by the
    sweep's objective (trial ids are handed out in grid order)."""
    rows = [trial_row(trial, names, layout, objective) for trial in grid_trials(trials)]
    frame = pd.DataFrame(rows, columns=["trial_id", "status", *names, *result_columns(objective)])
    return ranked(frame, "trial_id", objective, first=(("status", True),))


def write_leaderboard(frame: pd.DataFrame, path: Path) -> None:
    write_csv_atomic(path, frame)
