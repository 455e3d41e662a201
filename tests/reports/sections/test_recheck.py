"""The re-check's verdict lines on hand-made boards: too few seed pairs is said as such, never `p = nan`."""

import pandas as pd

from reports.sections.recheck import verdict_lines

OBJECTIVE = "val_accuracy"


def board_and_runs(second_runs: list[tuple[int, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A halving board of two re-checked points; point 0 has two counted runs, point 1 the runs given."""
    board = pd.DataFrame(
        {
            "point": [0, 1],
            "status": ["COMPLETED", "PRUNED"],
            "rung": [2, 1],
            OBJECTIVE: [0.8, 0.7],
            "val_loss": [0.5, 0.6],
            "mean": [0.8, 0.75],
            "seeds": [2, 1],
        }
    )
    rows = [(0, 42, "COMPLETED", 0.8), (0, 43, "COMPLETED", 0.8)] + [(1, s, st, v) for s, st, v in second_runs]
    runs = pd.DataFrame(rows, columns=["point", "seed", "status", OBJECTIVE])
    return board, runs


def test_one_shared_seed_says_too_few_for_a_paired_test():
    board, runs = board_and_runs([(42, "PRUNED", 0.7), (43, "COMPLETED", 0.75)])  # --seeds 1, own run cut at a rung
    lines = verdict_lines(board, board, runs, OBJECTIVE, "point")
    assert "1 seed both ran, too few for a paired test" in lines[-1]
    assert "nan" not in " ".join(lines) and "a tie" not in lines[-1]


def test_two_shared_seeds_give_the_paired_test():
    board, runs = board_and_runs([(42, "COMPLETED", 0.7), (43, "COMPLETED", 0.72)])
    line = verdict_lines(board, board, runs, OBJECTIVE, "point")[-1]
    assert "paired over the 2 seeds both ran" in line and "p = " in line
