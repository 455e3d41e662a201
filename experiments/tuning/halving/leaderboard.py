"""The halving leaderboard: one row per grid point, highest rung first, then the sweep's objective."""

from typing import TYPE_CHECKING

import pandas as pd

from experiments.training.resumable_fit import committed_state
from experiments.tuning.halving.rungs import halving_ranking
from experiments.tuning.leaderboard import committed_results, result_columns
from experiments.tuning.statuses import COMPLETED, FAILED, PENDING, PRUNED, RUNNING, WAITING

if TYPE_CHECKING:  # the oracle ranks its points with this board
    from experiments.tuning.halving.oracle import HalvingOracle


def point_status(trial, rung: int, members: list[list[int]], point: int, last_rung: int, stopped: bool) -> str:
    """PENDING, RUNNING, FAILED; COMPLETED (last rung, or stopped early); PRUNED; WAITING for its rung."""
    if trial is None:
        return PENDING
    if trial.status in (RUNNING, FAILED):
        return trial.status
    if stopped or rung == last_rung:
        return COMPLETED
    decided = rung + 1 < len(members)
    return PRUNED if decided and point not in members[rung + 1] else WAITING


def build_halving_leaderboard(oracle: "HalvingOracle") -> pd.DataFrame:
    """Every grid point with the rung it was promoted to (1 = first), its status and committed results."""
    members = oracle.rung_members()
    trials = [oracle.trials_at(rung) for rung in range(len(members))]
    last_rung, objective = len(oracle.plan.rungs) - 1, oracle.objective.name
    rows = []
    for point, values in enumerate(oracle.points):
        rung = max(k for k, points in enumerate(members) if point in points)
        fit = oracle.point_fit(point)
        status = point_status(trials[rung].get(point), rung, members, point, last_rung, committed_state(fit)["stopped"])
        rows.append({"point": point, "status": status, "rung": rung + 1, **values, **committed_results(fit, objective)})
    frame = pd.DataFrame(rows, columns=["point", "status", "rung", *oracle.space.names, *result_columns(objective)])
    return halving_ranking(frame, objective)
