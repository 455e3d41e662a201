"""Successive halving as arithmetic: the rungs, how many points go on, and who, from committed epochs."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from experiments.training.objectives import DEFAULT_OBJECTIVE, recorded_objective
from experiments.training.resumable_fit import DamagedRun, committed_state, read_history
from experiments.training.run_layout import FitLayout


def first_rung(max_epochs: int) -> int:
    """The first rung when none is asked for: a quarter of the epochs, halves rounded up, at least 1 (README, "the
    plan to use": earlier rungs, measured on a 24-point grid of 20 epochs, ranked the fast starters and lost the
    grid's winner)."""
    return max(1, (max_epochs + 2) // 4)


@dataclass(frozen=True)
class HalvingPlan:
    """Rungs at min_epochs * eta**k epochs, capped at max_epochs; the best 1/eta go on at each."""

    min_epochs: int
    eta: int
    max_epochs: int

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
    """One point's standing at a rung, from its committed epochs up to the rung."""

    point: int
    reached: bool  # trained to the rung and may go on (not stopped early there or before)
    score: float | None  # the run's monitored objective (`state.json`'s monitor) at its best epoch to the rung
    val_loss: float | None

    def sort_key(self) -> tuple:
        """The leaderboard's ranking (`leaderboard.ranking`, then grid order) on one rung's scores."""
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


def rung_score(point: int, run: CommittedRun, rung_epochs: int) -> RungScore:
    """The best value of the run's monitored objective among its committed epochs up to `rung_epochs`.

    Only committed epochs count (`state.json`), so the score never changes once the rung is reached,
    whatever the point trained or was killed in afterwards.
    """
    at_rung = run.until(rung_epochs)
    reached = at_rung.epochs == rung_epochs and not at_rung.stopped
    if at_rung.history.empty:
        return RungScore(point, False, None, None)
    monitored = at_rung.history[run.monitor]
    best = at_rung.history.loc[monitored.idxmax()]  # first of equal maxima, as the checkpoint keeps
    return RungScore(point, reached, float(best[run.monitor]), float(best["val_loss"]))


def promoted(scores: list[RungScore], slots: int) -> list[int]:
    """The points that go on: the best `slots` of those that reached the rung, in rank order."""
    ranked = sorted((s for s in scores if s.reached), key=RungScore.sort_key)
    return [s.point for s in ranked[:slots]]


def promoted_at(plan: HalvingPlan, rung: int, members: list[int], run_of: Callable[[int], CommittedRun]) -> list[int]:
    """The points of rung `rung` (0 = first) that go on to the next, from each point's committed run."""
    scores = [rung_score(point, run_of(point), plan.rungs[rung]) for point in members]
    return promoted(scores, plan.going_on(len(members)))


def plan_of(info: dict) -> HalvingPlan | None:
    """The halving plan an experiment's `experiment.json` records, or None for a grid sweep."""
    if info.get("strategy", "grid") != "halving":
        return None
    return HalvingPlan(info["min_epochs"], info["eta"], info["max_epochs"])
