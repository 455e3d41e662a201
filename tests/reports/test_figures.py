"""The report's best-so-far curve: the best score among the points proposed so far, by points and by epochs."""

import math

import pandas as pd

from reports.figures import progress_curve


def test_the_curve_keeps_the_best_score_in_proposal_order_and_adds_up_the_epochs():
    board = pd.DataFrame(  # a leaderboard is ranked best first: the curve reorders it as the points were proposed
        {"trial_id": [2, 0, 3, 1], "val_accuracy": [0.9, 0.5, None, 0.7], "epochs_run": [4, 4, 1, 2]}
    )
    curve = progress_curve(board, "trial_id", "val_accuracy")
    assert list(curve["tried"]) == [1, 2, 3, 4]
    assert list(curve["epochs"]) == [4, 6, 10, 11]
    best = list(curve["best"])
    assert best[:3] == [0.5, 0.7, 0.9] and best[3] == 0.9 and not any(math.isnan(b) for b in best)
