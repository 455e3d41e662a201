"""The sweep leaderboard: one row per trial, best validation accuracy first."""

import json
from pathlib import Path

import pandas as pd

from data_pipeline.atomic import write_csv_atomic
from experiments.run_layout import FitLayout, RunLayout

RESULT_COLUMNS = ["val_accuracy", "val_loss", "best_epoch", "epochs_run", "seconds"]


def trial_row(trial, names: list[str], layout: RunLayout) -> dict:
    """Leaderboard row of one KerasTuner trial, with the numbers its training state committed."""
    state_path = FitLayout(layout.trial_dir(trial.trial_id)).state
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    row = {"trial_id": trial.trial_id, "status": trial.status}
    row.update({name: trial.hyperparameters.values.get(name) for name in names})
    row.update(
        val_accuracy=state.get("best_value") if state.get("best_epoch") else None,
        val_loss=state.get("best_val_loss") if state.get("best_epoch") else None,
        best_epoch=state.get("best_epoch"),
        epochs_run=state.get("epoch", 0),
        seconds=round(state.get("seconds", 0.0), 1),
    )
    return row


def build_leaderboard(trials, names: list[str], layout: RunLayout) -> pd.DataFrame:
    """All trials, sorted by validation accuracy (ties: lower loss), unfinished last."""
    rows = [trial_row(trial, names, layout) for trial in trials]
    frame = pd.DataFrame(rows, columns=["trial_id", "status", *names, *RESULT_COLUMNS])
    return frame.sort_values(["val_accuracy", "val_loss", "trial_id"], ascending=[False, True, True],
                             na_position="last").reset_index(drop=True)  # fmt: skip


def write_leaderboard(frame: pd.DataFrame, path: Path) -> None:
    write_csv_atomic(path, frame)
