"""Halving's winner line: a point cut short at a rung that wins by its re-check mean is named as such."""

import pandas as pd

from reports.sections.experiment import winner_line


def row(status: str) -> pd.Series:
    return pd.Series({"point": 3, "status": status, "rung": 1, "epochs_run": 2, "best_epoch": 2, "val_accuracy": 0.5})


def test_a_promoted_winner_names_its_rung():
    assert winner_line(row("COMPLETED"), "val_accuracy").startswith("Winner: point 3, promoted to rung 1, 2 epochs")


def test_a_winner_cut_short_at_a_rung_is_named_as_won_by_its_recheck_mean():
    line = winner_line(row("PRUNED"), "val_accuracy")
    assert line.startswith("Winner by re-check mean: point 3, cut short at rung 1") and "promoted" not in line
    assert "evaluated on the test split is its first re-check run" in line
