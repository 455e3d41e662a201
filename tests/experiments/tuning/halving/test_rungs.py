"""Rung arithmetic and promotion from committed epochs."""

import json

import keras_tuner as kt
import pandas as pd
import pytest

from experiments.training.run_layout import FitLayout
from experiments.tuning.halving.oracle import RUNG, HalvingOracle
from experiments.tuning.halving.rungs import (
    HalvingPlan,
    RungScore,
    committed_run,
    plan_of,
    promoted,
    promoted_at,
    rung_score,
)
from hypermodels.space import SearchSpace


@pytest.mark.parametrize(
    ("plan", "rungs", "grid", "sizes", "epochs"),
    [
        (HalvingPlan(3, 3, 30), (3, 9, 27, 30), 96, [96, 32, 10, 3], 96 * 3 + 32 * 6 + 10 * 18 + 3 * 3),
        (HalvingPlan(1, 2, 4), (1, 2, 4), 4, [4, 2, 1], 4 + 2 + 2),
        (HalvingPlan(2, 3, 12), (2, 6, 12), 18, [18, 6, 2], 18 * 2 + 6 * 4 + 2 * 6),
        (HalvingPlan(2, 3, 12), (2, 6, 12), 4, [4, 1, 1], 4 * 2 + 4 + 6),  # fewer than eta: one goes on
        (HalvingPlan(5, 3, 5), (5,), 7, [7], 35),  # first rung at the cap: a plain grid
        (HalvingPlan(4, 2, 10), (4, 8, 10), 8, [8, 4, 2], 32 + 16 + 4),
    ],
)
def test_rungs_points_and_worst_case_epochs(plan, rungs, grid, sizes, epochs):
    assert plan.rungs == rungs
    assert plan.sizes(grid) == sizes
    assert plan.worst_case_epochs(grid) == epochs


def test_the_seed_grid_costs_under_a_quarter_of_its_epochs():
    plan = HalvingPlan(3, 3, 30)
    assert plan.worst_case_epochs(96) / (96 * 30) < 0.25


def committed(
    tmp_path,
    name: str,
    accuracies: list[float],
    losses: list[float],
    epoch: int,
    stopped: bool = False,
    extra_rows: int = 0,
) -> FitLayout:
    """A training folder as `fit_resumable` leaves it: history rows (maybe beyond the commit) and state."""
    fit = FitLayout(tmp_path / name)
    fit.root.mkdir()
    rows = len(accuracies)
    assert rows == epoch + extra_rows
    history = pd.DataFrame(
        {"epoch": range(rows), "accuracy": 0.5, "loss": 1.0, "val_accuracy": accuracies, "val_loss": losses}
    )
    history.to_csv(fit.history, index=False)
    fit.state.write_text(
        json.dumps(
            {
                "epoch": epoch,
                "stopped": stopped,
                "seconds": 1.0,
                "callbacks": {},
                "best_epoch": 1,
                "best_value": 0.0,
                "best_val_loss": 0.0,
            }
        )
    )
    return fit


def test_rung_score_counts_committed_epochs_up_to_the_rung_only(tmp_path):
    # best of the first 3 epochs is 0.6 at epoch 2; epoch 4 (0.9) is beyond the rung; the sixth row is uncommitted
    accuracies, losses = [0.4, 0.6, 0.5, 0.9, 0.95, 0.99], [2, 1.5, 1.2, 0.5, 0.4, 0.1]
    fit = committed(tmp_path, "a", accuracies, losses, epoch=5, extra_rows=1)
    score = rung_score(7, committed_run(fit), 3)
    assert score == RungScore(7, True, 0.6, 1.5)
    assert rung_score(7, committed_run(fit), 5).score == 0.95  # not 0.99: killed before that epoch was committed
    assert not rung_score(7, committed_run(fit), 6).reached


def test_a_point_stopped_early_at_the_rung_does_not_go_on(tmp_path):
    stopped = committed(tmp_path, "s", [0.9, 0.8, 0.8], [1, 1, 1], epoch=3, stopped=True)
    assert not rung_score(0, committed_run(stopped), 3).reached
    assert rung_score(0, committed_run(stopped), 3).score == 0.9
    unreached = committed(tmp_path, "u", [0.9], [1], epoch=1)
    assert not rung_score(1, committed_run(unreached), 3).reached
    assert rung_score(2, committed_run(FitLayout(tmp_path / "never")), 3) == RungScore(2, False, None, None)


def test_a_run_cut_at_a_rung_is_what_a_halving_point_commits_there(tmp_path):
    # trained 3 epochs and stopped early at the third: cut at 2 it has not stopped yet, so it goes on
    run = committed_run(committed(tmp_path, "g", [0.5, 0.7, 0.6], [1, 0.8, 0.9], epoch=3, stopped=True))
    assert (run.until(2).epochs, run.until(2).stopped, list(run.until(2).history["epoch"])) == (2, False, [0, 1])
    assert rung_score(0, run.until(2), 2) == rung_score(0, run, 2) == RungScore(0, True, 0.7, 0.8)
    assert (run.until(4).epochs, run.until(4).stopped) == (3, True)
    assert not rung_score(0, run.until(4), 4).reached


def test_a_run_that_monitored_macro_f1_is_scored_by_its_macro_f1(tmp_path):
    fit = committed(tmp_path, "f", [0.9, 0.5, 0.6], [1, 1, 1], epoch=3)  # accuracy best at epoch 1
    history = pd.read_csv(fit.history).assign(val_macro_f1=[0.2, 0.7, 0.4])  # macro F1 best at epoch 2
    history.to_csv(fit.history, index=False)
    fit.state.write_text(json.dumps({**json.loads(fit.state.read_text()), "monitor": "val_macro_f1"}))
    assert rung_score(0, committed_run(fit), 3) == RungScore(0, True, 0.7, 1)
    assert rung_score(0, committed_run(fit).until(1), 1) == RungScore(0, True, 0.2, 1)


def test_a_val_loss_rung_scores_the_epoch_of_lowest_loss_up_to_the_rung(tmp_path):
    # lowest loss of the first 4 epochs is epoch 3 (0.9 at 0.5 accuracy), not the best accuracy's (epoch 2)
    fit = committed(tmp_path, "l", [0.4, 0.7, 0.5, 0.6, 0.2], [2.0, 1.2, 0.9, 1.0, 0.1], epoch=5)
    assert rung_score(3, committed_run(fit), 4, "val_loss") == RungScore(3, True, 0.5, 0.9, "val_loss")
    assert rung_score(3, committed_run(fit), 4) == RungScore(3, True, 0.7, 1.2)  # the objective's
    ties = committed(tmp_path, "t", [0.1, 0.3, 0.2], [1.0, 1.0, 1.0], epoch=3)
    assert rung_score(0, committed_run(ties), 3, "val_loss").score == 0.1  # the first of equal losses


def test_a_val_loss_rung_promotes_by_loss_then_the_objective_then_grid_order():
    scores = [
        RungScore(0, True, 0.9, 1.0, "val_loss"),
        RungScore(1, True, 0.5, 0.8, "val_loss"),  # lower loss beats higher accuracy
        RungScore(2, True, 0.6, 0.8, "val_loss"),  # same loss as 1, better accuracy
        RungScore(3, False, 0.99, 0.1, "val_loss"),  # stopped early: done, not promoted
        RungScore(4, True, 0.9, 1.0, "val_loss"),  # tie with 0 on both: grid order
    ]
    assert promoted(scores, 4) == [2, 1, 0, 4]


def test_the_rung_score_decides_who_goes_on(tmp_path):
    # point 0 leads on accuracy, point 1 on loss: one slot goes to each in turn
    fast = committed(tmp_path, "fast", [0.8, 0.6], [1.5, 1.4], epoch=2)
    steady = committed(tmp_path, "steady", [0.6, 0.7], [1.0, 0.9], epoch=2)
    runs = {0: committed_run(fast), 1: committed_run(steady)}
    assert promoted_at(HalvingPlan(2, 2, 4), 0, [0, 1], runs.__getitem__) == [0]
    assert promoted_at(HalvingPlan(2, 2, 4, "val_loss"), 0, [0, 1], runs.__getitem__) == [1]


def test_promotion_ranks_accuracy_then_loss_then_grid_order():
    scores = [
        RungScore(0, True, 0.5, 1.0),
        RungScore(1, True, 0.7, 0.9),
        RungScore(2, True, 0.7, 0.8),  # same accuracy as 1, lower loss
        RungScore(3, False, 0.99, 0.1),  # stopped early: done, not promoted
        RungScore(4, True, 0.5, 1.0),  # tie with 0 on both: grid order
    ]
    assert promoted(scores, 2) == [2, 1]
    assert promoted(scores, 4) == [2, 1, 0, 4]
    assert promoted(scores, 9) == [2, 1, 0, 4]


def test_plan_of_reads_the_recorded_strategy():
    assert plan_of({"strategy": "grid", "max_epochs": 30}) is None
    assert plan_of({"max_epochs": 30}) is None  # sweeps from before halving
    assert plan_of({"strategy": "halving", "min_epochs": 2, "eta": 4, "max_epochs": 20}) == HalvingPlan(2, 4, 20)
    recorded = {"strategy": "halving", "min_epochs": 2, "eta": 4, "max_epochs": 20, "rung_score": "val_loss"}
    assert plan_of(recorded).rung_score == "val_loss"
    assert HalvingPlan(2, 4, 20).rung_score == "objective"  # sweeps from before --rung-score


@pytest.mark.parametrize(("rung_score", "going_on"), [("objective", 0), ("val_loss", 1)])
def test_the_oracle_promotes_by_its_plans_rung_score(tmp_path, rung_score, going_on):
    # two points at the first rung, both ended: point 0 leads on accuracy, point 1 on loss
    space = SearchSpace.from_mapping("two", {"learning_rate": [0.003, 0.001]})
    fits = [
        committed(tmp_path, "p0", [0.8, 0.6], [1.5, 1.4], epoch=2),
        committed(tmp_path, "p1", [0.6, 0.7], [1.0, 0.9], 2),
    ]
    oracle = HalvingOracle(space, HalvingPlan(2, 2, 4, rung_score), fits.__getitem__)
    for point, values in enumerate(space.points()):
        hyperparameters = kt.HyperParameters()
        for name, value in {**values, RUNG: 0}.items():
            hyperparameters.Fixed(name, value)
        trial_id = str(point)
        oracle.trials[trial_id] = kt.engine.trial.Trial(hyperparameters, trial_id=trial_id, status="COMPLETED")
    assert oracle.rung_members() == [[0, 1], [going_on]]
    assert oracle.populate_space("next")["values"] == {**space.points()[going_on], RUNG: 1}
