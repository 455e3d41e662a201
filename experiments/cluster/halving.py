"""Successive halving over many workers: the halving oracle under leases, its chief and worker tuners.

Rungs stay synchronous. The chief's oracle is `HalvingOracle` (every decision recomputed from the
committed epochs on disk, IDLE while a rung is unfinished) with `LeasedGridOracle`'s leases on top:
a worker at a rung's barrier waits (IDLE, polling), a dead worker's trial is re-leased within its
rung, and a restarted chief recomputes the same promotions from the same files. A worker trains a
trial as the single-process `HalvingTuner` does: its point's folder, on to its rung's epochs (a re-check
run after the last rung: from scratch in its own folder).
"""

import keras_tuner as kt
import pandas as pd

from experiments.cluster.leased_oracle import LeasedGridOracle
from experiments.cluster.tuners import ChiefTuner, WorkerTuner, worker_tuner
from experiments.tuning.grid_tuner import failure_reason
from experiments.tuning.halving.leaderboard import build_halving_leaderboard
from experiments.tuning.halving.oracle import RUNG, HalvingOracle
from experiments.tuning.halving.tuner import HalvingTuner, halving_oracle
from experiments.tuning.recheck.plan import is_recheck
from experiments.tuning.sweep_plan import SweepPlan


class LeasedHalvingOracle(LeasedGridOracle, HalvingOracle):
    """`HalvingOracle`'s trials (a point trained to a rung), leased to workers and fenced as the grid's are."""

    @kt.synchronized
    def leaderboard(self) -> pd.DataFrame:
        """The halving leaderboard, read under the oracle's lock (workers end and start trials meanwhile)."""
        return build_halving_leaderboard(self)


class HalvingChiefTuner(ChiefTuner, HalvingTuner):
    """Serves the rungs to workers; ranks, reports and evaluates as the single-process halving tuner does."""

    def sweep_board(self) -> pd.DataFrame:
        return self.oracle.leaderboard()

    def ended_line(self, frame: pd.DataFrame, runs: pd.DataFrame | None, trial_id: str, count: int) -> str:
        """The single-process line, its rung's count as of this trial's end (others may have ended since); a re-check
        run's line as a grid chief prints it."""
        trial = self.oracle.trials[trial_id]
        if is_recheck(trial.hyperparameters.values):
            return super().ended_line(frame, runs, trial_id, count)
        rung = trial.hyperparameters.values[RUNG]
        done = self.ended_among(count, lambda values: values.get(RUNG) == rung)
        return self.progress(frame, trial, done) + failure_reason(trial)


class HalvingWorkerTuner(WorkerTuner, HalvingTuner):
    """Trains the rung trials the chief leases to it, each in its point's folder."""


def halving_chief_tuner(plan: SweepPlan, common: dict) -> HalvingChiefTuner:
    """The chief of a halving sweep: serves its rungs under leases of `--lease-seconds`."""
    oracle = halving_oracle(plan, LeasedHalvingOracle, lease_seconds=plan.options.lease_seconds)
    return HalvingChiefTuner(oracle=oracle, role=plan.role, **common)


def halving_worker_tuner(plan: SweepPlan, common: dict) -> HalvingWorkerTuner:
    """A worker of a halving sweep: trains what the chief leases it, renewing the lease."""
    return worker_tuner(plan, common, HalvingWorkerTuner, halving_oracle(plan))
