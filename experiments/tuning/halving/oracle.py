"""Successive halving over the grid, each decision recomputed from the committed epochs on disk.

KerasTuner's `Hyperband` samples random points and keeps its brackets in memory, so a kill loses
them. Here a trial is one grid point trained up to one rung (`rung` in its values, as Hyperband's
`tuner/epochs`); the points of each rung follow from the previous rung's committed epochs alone.
Rungs are synchronous: a rung is ranked once all its points have reached it or stopped early. After the last
rung, a `--recheck-top` sweep's re-check runs follow (`tuning.recheck`): the top of the halving leaderboard, each
point trained again from scratch to `--max-epochs` with more seeds.
"""

from collections.abc import Callable

import keras_tuner as kt

from experiments.training.run_layout import FitLayout
from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.halving.leaderboard import build_halving_leaderboard
from experiments.tuning.halving.rungs import CommittedRun, HalvingPlan, committed_run, promoted_at
from experiments.tuning.statuses import ENDED, FAILED, IDLE, RUNNING
from hypermodels.space import SearchSpace
from plumbing.errors import DataError

RUNG = "rung"


class HalvingOracle(GridOracle):
    """Every grid point trains to the first rung; the best 1/eta of each rung go on to the next."""

    def __init__(
        self, space: SearchSpace, plan: HalvingPlan, point_fit: Callable[[int], FitLayout], seed: int = 42, **kwargs
    ):
        super().__init__(space, seed=seed, **kwargs)
        self.plan, self.point_fit = plan, point_fit
        size = self.size
        self.max_trials = sum(plan.sizes(size)) + (self.recheck.most_trials(size) if self.recheck else 0)

    def trials_at(self, rung: int) -> dict[int, kt.engine.trial.Trial]:
        """The trials that train toward `rung`, by grid point (a re-check run has no rung)."""
        return {
            self.point_index(t.hyperparameters.values): t
            for t in self.trials.values()
            if t.hyperparameters.values.get(RUNG) == rung
        }

    def rung_members(self) -> list[list[int]]:
        """The points of every rung decided so far: all of them, then those each finished rung promoted."""
        members = [list(range(self.size))]
        for rung in range(len(self.plan.rungs) - 1):
            trials = self.trials_at(rung)
            self.check_agrees(rung, set(trials), members[-1])
            if set(trials) != set(members[-1]) or any(t.status not in ENDED for t in trials.values()):
                break
            members.append(promoted_at(self.plan, rung, members[-1], self.point_run))
        return members

    def first_trials(self) -> list:
        """Each point's first-rung trial: an adaptive search proposes from the first rung's results."""
        return list(self.trials_at(0).values())

    def point_run(self, point: int) -> CommittedRun:
        """What a grid point has committed so far, across its rungs."""
        return committed_run(self.point_fit(point))

    def check_agrees(self, rung: int, started: set[int], members: list[int]) -> None:
        """Refuse trials at a rung that the committed epochs do not promote to it (edited or foreign files)."""
        strays = sorted(started - set(members))
        if strays:
            folder = self.point_fit(strays[0]).root.parent
            raise DataError(
                f"{folder}: points {strays} have trials at rung {rung + 1} that their committed epochs do "
                "not earn (history.csv or state.json changed?): --overwrite to start the sweep again"
            )

    def next_answer(self, propose: bool) -> dict:
        """The next point of the open rung; IDLE while another worker finishes it; after the last rung, the
        re-check's next run, else STOPPED (without `propose`: a point still to be proposed is RUNNING, no values)."""
        self.load_proposals()
        members = self.rung_members()
        rung = len(members) - 1
        trials = self.trials_at(rung)
        for point in members[-1]:
            if point not in trials:
                if point >= len(self.points) and self.exhausted:
                    break
                if point >= len(self.points) and not propose:
                    return {"status": RUNNING, "values": None}
                values = self.points[point] if point < len(self.points) else self.propose()
                if values is not None:  # None: an adaptive search found no new point, and its rung is smaller
                    return {"status": RUNNING, "values": {**values, RUNG: rung}}
        if self.rungs_over(members):
            return self.after_grid()
        return {"status": IDLE, "values": None}

    def rungs_over(self, members: list[list[int]]) -> bool:
        """Whether the last rung is decided (`members`: `rung_members()`) and each of its trials has ended."""
        trials = self.trials_at(len(self.plan.rungs) - 1)
        decided = len(members) == len(self.plan.rungs) and set(members[-1]) <= set(trials)
        return decided and all(t.status in ENDED for t in trials.values())

    def final_ranking(self) -> list[int] | None:
        """After the last rung: the points as the halving leaderboard ranks them (highest rung, then the objective),
        a failed one or one without a kept epoch left out; None before."""
        if not self.rungs_over(self.rung_members()):
            return None
        board = build_halving_leaderboard(self)
        kept = board[(board["status"] != FAILED) & board[self.objective.name].notna()]
        return [int(point) for point in kept["point"]]
