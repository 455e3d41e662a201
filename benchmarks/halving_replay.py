"""`bench_halving.py --replay W`: halving plans replayed on the finished grid sweep in W, against the grid itself.

Per plan (and rung score, named after the plan where it is not the default): the epochs halving trains against the
grid's, its winner, the winner's rank in the grid and its test accuracy against the grid winner's. A point's test
accuracy is its kept (best) weights, which the grid keeps for every trial, evaluated on the test split; "n/a" where
they are not kept.
"""

from dataclasses import dataclass
from pathlib import Path

import keras
import pandas as pd
from sklearn.metrics import accuracy_score

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import SplitData, load_split
from data_pipeline.workdir import Workdir
from experiments.training.evaluation import predict_labels
from experiments.training.resumable_fit import committed_state, load_kept_model
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.grid_sweep import GridSweep, read_grid
from experiments.tuning.halving.replay import replay
from experiments.tuning.halving.rungs import HalvingPlan, committed_run
from experiments.tuning.rung_scores import DEFAULT_RUNG_SCORE, RUNG_SCORES
from plumbing.errors import UsageError


def parse_plans(text: str) -> list[tuple[int, int]]:
    """`1x3,2x3` -> [(1, 3), (2, 3)]: (min epochs, eta) per plan."""
    try:
        plans = [tuple(int(n) for n in plan.split("x")) for plan in text.split(",")]
    except ValueError:
        plans = []
    if not plans or any(len(plan) != 2 or plan[0] < 1 or plan[1] < 2 for plan in plans):
        raise UsageError(f"--plans {text}: give MINxETA plans, comma-separated, e.g. 1x3,2x3 (min >= 1, eta >= 2)")
    return plans


def kept_test_accuracy(fit: FitLayout, test: SplitData) -> float | None:
    """Test accuracy of the run's kept weights, or None when its folder no longer holds them."""
    state = committed_state(fit)
    if not (fit.epoch_model(state["epoch"]).exists() and fit.best_weights(state["best_epoch"]).exists()):
        return None
    keras.backend.clear_session()
    return float(accuracy_score(test.labels, predict_labels(load_kept_model(fit), test)))


@dataclass(frozen=True)
class Outcome:
    """What the grid, or one halving plan replayed on it, trained and chose."""

    plan: str
    points_per_rung: str
    epochs: int
    winner: int | None


def parse_rung_scores(text: str) -> list[str]:
    """`objective,val_loss` -> ["objective", "val_loss"]: the rung scores to replay each plan with."""
    scores = text.split(",")
    if any(score not in RUNG_SCORES for score in scores):
        raise UsageError(f"--rung-scores {text}: give some of {', '.join(RUNG_SCORES)}, comma-separated")
    return scores


def outcomes(grid: GridSweep, plans: list[tuple[int, int]], rung_scores: list[str]) -> list[Outcome]:
    """The grid's own outcome, then each plan's with each rung score, replayed on the grid's committed runs."""
    runs = [committed_run(grid.fit(point)) for point in range(len(grid.space))]
    found = [Outcome(f"grid ({grid.max_epochs} epochs)", str(len(runs)), sum(run.epochs for run in runs), grid.winner)]
    for rung_score in rung_scores:
        for min_epochs, eta in plans:
            replayed = replay(HalvingPlan(min_epochs, eta, grid.max_epochs, rung_score), runs)
            sizes = "/".join(str(len(points)) for points in replayed.members)
            label = f"{min_epochs}x{eta}" + ("" if rung_score == DEFAULT_RUNG_SCORE else f" {rung_score}")
            found.append(Outcome(label, sizes, replayed.epochs, replayed.winner))
    return found


def hyperparameters(grid: GridSweep, point: int) -> str:
    """The point's values of the hyperparameters the grid varies."""
    values = grid.space.points()[point]
    return " ".join(f"{name}={values[name]}" for name, candidates in grid.space.values if len(candidates) > 1)


def table_row(grid: GridSweep, outcome: Outcome, grid_epochs: int, accuracies: dict[int, float | None]) -> dict:
    """One Markdown row: epochs against the grid's, the winner, its grid rank, its test accuracy against the grid's."""
    winner = outcome.winner
    accuracy, baseline = accuracies.get(winner), accuracies[grid.winner]
    return {
        "plan": outcome.plan,
        "points per rung": outcome.points_per_rung,
        "epochs": outcome.epochs,
        "% of grid": f"{outcome.epochs / grid_epochs:.0%}",
        "winner": "none" if winner is None else hyperparameters(grid, winner),
        "grid rank": "n/a" if winner is None else grid.rank(winner),
        "test acc": "n/a" if accuracy is None else f"{accuracy:.4f}",
        "vs grid winner": "n/a" if None in (accuracy, baseline) else f"{100 * (accuracy - baseline):+.1f} pt",
    }


def replay_table(workdir: Path, family: str, plans: list[tuple[int, int]], rung_scores: list[str]) -> pd.DataFrame:
    """One row for the grid sweep in `workdir/family`, then one per plan and rung score replayed on it."""
    grid = read_grid(RunLayout(workdir / family))
    found = outcomes(grid, plans, rung_scores)
    test = load_split(Workdir(workdir), FeatureConfig(), "test")
    winners = {outcome.winner for outcome in found if outcome.winner is not None}
    accuracies = {point: kept_test_accuracy(grid.fit(point), test) for point in sorted(winners)}
    return pd.DataFrame([table_row(grid, outcome, found[0].epochs, accuracies) for outcome in found])
