"""The report's account of a successive-halving sweep: progress, rungs, epochs spent, the winner."""

import pandas as pd

from experiments.tuning.halving.rungs import DONE, HalvingPlan


def halving_progress(board: pd.DataFrame, plan: HalvingPlan, grid_size: int) -> str:
    done = int(board["status"].isin(DONE).sum())
    rungs = ", ".join(str(r) for r in plan.rungs)
    return (f"Successive halving over a grid of {grid_size} points: rungs at {rungs} epochs, the best 1/{plan.eta} "
            f"of each rung go on. {done} of {grid_size} points done"
            + (" (**sweep still running or interrupted**)." if done < grid_size else "."))  # fmt: skip


def rung_table(board: pd.DataFrame, plan: HalvingPlan) -> pd.DataFrame:
    """Per rung: its epochs, how many points trained toward it, and how many of them went on."""
    points = [int((board["rung"] >= number).sum()) for number in range(1, len(plan.rungs) + 1)]
    return pd.DataFrame({"rung": range(1, len(plan.rungs) + 1), "epochs": plan.rungs, "points": points,
                         "promoted": [*points[1:], None]})  # fmt: skip


def epochs_spent(board: pd.DataFrame, plan: HalvingPlan, grid_size: int) -> str:
    """Epochs trained against the full grid's worst case (every point to --max-epochs)."""
    spent, full = int(board["epochs_run"].sum()), grid_size * plan.max_epochs
    return (f"Epochs trained: {spent:,} of the full grid's {full:,} ({spent / full:.0%}; every point to "
            f"{plan.max_epochs} epochs with no early stop). Halving's own worst case: "
            f"{plan.worst_case_epochs(grid_size):,}.")  # fmt: skip


def winner_line(row: pd.Series) -> str:
    return (
        f"Winner: point {row['point']}, promoted to rung {row['rung']}, {row['epochs_run']} epochs "
        f"(best at epoch {row['best_epoch']}), validation accuracy {row['val_accuracy']:.4f}."
    )
