"""Successive halving as arithmetic: the rungs, how many points go on, and who, from committed epochs."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from experiments.training.objectives import DEFAULT_OBJECTIVE, recorded_objective
from experiments.training.resumable_fit import DamagedRun, committed_state, read_history
from experiments.training.run_layout import FitLayout
from experiments.tuning.leaderboard import ranked
from experiments.tuning.rung_scores import LEGACY_RUNG_SCORE


def first_rung(max_epochs: int) -> int:
    """The first rung when none is asked for: a sixth of the epochs, halves rounded up, at least 1.

    Measured (benchmarks/README.md, "Halving replay") on two 24-point grids of 20 epochs, with rungs ranked by
    validation loss: the first rung at 3 epochs found both grids' winners; at 5 it lost one."""
    return max(1, (max_epochs + 3) // 6)


@dataclass(frozen=True)
class HalvingPlan:
    """Rungs at min_epochs * eta**k epochs, capped at max_epochs; the best 1/eta by `rung_score` go on at each."""

    min_epochs: int
    eta: int
    max_epochs: int
    rung_score: str = LEGACY_RUNG_SCORE

    @property
    def rungs(self) -> tuple[int, ...]:
        """Cumulative epochs at each rung, the last one `max_epochs` (3, 9, 27, 30 for 3, 3, 30)."""
        rungs, epochs = [], self.min_epochs
        while epochs < self.max_epochs:
            rungs.append(epochs)
            epochs *= self.eta
        return (*rungs, self.max_epochs)

    def going_on(self, points_at_rung: int) -> int:
        """How many of a rung's points are promoted to the next one (at least one)."""
        return max(1, points_at_rung // self.eta)

    def sizes(self, grid_size: int) -> list[int]:
        """Points training toward each rung when none stops early."""
        sizes = [grid_size]
        for _ in self.rungs[1:]:
            sizes.append(self.going_on(sizes[-1]))
        return sizes

    def worst_case_epochs(self, grid_size: int) -> int:
        """Epochs trained when no point stops early."""
        starts = (0, *self.rungs[:-1])
        return sum(n * (end - start) for n, start, end in zip(self.sizes(grid_size), starts, self.rungs, strict=True))


@dataclass(frozen=True)
class RungScore:
    """One point's standing at a rung: its scoring epoch among its committed epochs up to the rung."""

    point: int
    reached: bool  # trained to the rung and may go on (not stopped early there or before)
    score: float | None  # the run's monitored objective (`state.json`'s monitor) at the scoring epoch
    val_loss: float | None  # ... and its validation loss there
    by: str = LEGACY_RUNG_SCORE  # objective: the scoring epoch is the best objective's; val_loss: the lowest loss's

    def sort_key(self) -> tuple:
        """Best first: by the objective, then loss, as the leaderboard ranks (`leaderboard.ranking`); or by loss,
        then the objective; then grid order."""
        if self.by == "val_loss":
            return (self.val_loss, -self.score, self.point)
        return (-self.score, self.val_loss, self.point)


@dataclass(frozen=True)
class CommittedRun:
    """A point's committed training: its history rows of committed epochs, how many, if early stopping ended it, and
    the objective its best epoch is kept by."""

    history: pd.DataFrame
    epochs: int
    stopped: bool
    monitor: str = DEFAULT_OBJECTIVE

    def until(self, epochs: int) -> "CommittedRun":
        """What the run would have committed had it trained `epochs` epochs at most (a point trained to a rung)."""
        stopped = self.stopped and self.epochs <= epochs
        kept = self.history[self.history["epoch"] < epochs]
        return CommittedRun(kept, min(self.epochs, epochs), stopped, self.monitor)


NOTHING_COMMITTED = CommittedRun(pd.DataFrame(columns=["epoch", DEFAULT_OBJECTIVE, "val_loss"]), 0, False)


def committed_run(fit: FitLayout) -> CommittedRun:
    """The run's committed epochs (`state.json`, then the history rows it commits); a damaged history is nothing yet
    (its training restarts it from epoch 0)."""
    state = committed_state(fit)
    if not state["epoch"]:
        return NOTHING_COMMITTED
    try:
        history = read_history(fit.history)
    except DamagedRun:
        return NOTHING_COMMITTED
    kept = history[history["epoch"] < state["epoch"]]
    return CommittedRun(kept, state["epoch"], state["stopped"], recorded_objective(state, "monitor"))


def rung_score(point: int, run: CommittedRun, rung_epochs: int, by: str = LEGACY_RUNG_SCORE) -> RungScore:
    """The run's standing at its epoch, among its committed ones up to `rung_epochs`, with the best monitored
    objective (`by="objective"`) or the lowest validation loss (`by="val_loss"`); the first of equal ones.

    Only committed epochs count (`state.json`), so the score never changes once the rung is reached,
    whatever the point trained or was killed in afterwards.
    """
    at_rung = run.until(rung_epochs)
    reached = at_rung.epochs == rung_epochs and not at_rung.stopped
    if at_rung.history.empty:
        return RungScore(point, False, None, None, by)
    history = at_rung.history
    epoch = history[run.monitor].idxmax() if by == "objective" else history["val_loss"].idxmin()
    scoring = history.loc[epoch]  # the objective's first of equal maxima is also the epoch the checkpoint keeps
    return RungScore(point, reached, float(scoring[run.monitor]), float(scoring["val_loss"]), by)


def promoted(scores: list[RungScore], slots: int) -> list[int]:
    """The points that go on: the best `slots` of those that reached the rung, in rank order."""
    ranked = sorted((s for s in scores if s.reached), key=RungScore.sort_key)
    return [s.point for s in ranked[:slots]]


def promoted_at(plan: HalvingPlan, rung: int, members: list[int], run_of: Callable[[int], CommittedRun]) -> list[int]:
    """The points of rung `rung` (0 = first) that go on to the next, from each point's committed run."""
    scores = [rung_score(point, run_of(point), plan.rungs[rung], plan.rung_score) for point in members]
    return promoted(scores, plan.going_on(len(members)))


def halving_ranking(board: pd.DataFrame, score: str) -> pd.DataFrame:
    """Halving's one ranking of its points, best first: the highest rung reached, then `score` (the sweep's objective,
    or a replay's), then the lower validation loss, then grid order; points without a result last."""
    return ranked(board, "point", score, first=(("rung", False),))


def plan_of(info: dict) -> HalvingPlan | None:
    """The halving plan an experiment's `experiment.json` records, or None for a grid sweep."""
    if info.get("strategy", "grid") != "halving":
        return None
    return HalvingPlan(info["min_epochs"], info["eta"], info["max_epochs"], info.get("rung_score", LEGACY_RUNG_SCORE))
