"""The oracle's side of a re-check: which (point, seed) runs are due once the sweep's own trials have ended.

Decided from what is on disk alone (the trials' statuses and reported results; halving: the committed epochs), so a
restarted process or a restarted chief ranks the same top and hands out exactly the runs that no trial has taken yet.
"""

from experiments.tuning.recheck.plan import RECHECK_POINT, RECHECK_SEED, RecheckPlan, is_recheck, recheck_values
from experiments.tuning.statuses import ENDED, IDLE, RUNNING, STOPPED


def grid_trials(trials) -> list:
    """The trials of the grid points themselves (no re-check run)."""
    return [t for t in trials if not is_recheck(t.hyperparameters.values)]


def recheck_trials(trials) -> list:
    """The re-check runs among `trials`."""
    return [t for t in trials if is_recheck(t.hyperparameters.values)]


def grid_ended(trials, grid_size: int) -> bool:
    """Every grid point has a trial, and every such trial ended: the top of the board is decided."""
    grid = grid_trials(trials)
    return len(grid) >= grid_size and all(t.status in ENDED for t in grid)


def next_recheck(plan: RecheckPlan, trials, points: list[dict], ranked: list[int] | None) -> dict:
    """The oracle's answer once the sweep's own trials are all handed out: the first (point, seed) run no trial took;
    IDLE while the sweep's own trials or re-check runs still train elsewhere; STOPPED once every run has ended.

    `ranked`: the points that may be re-checked, best first, once the sweep's own trials have all ended (None before:
    the top is not decided yet).
    """
    if ranked is None:
        return {"status": IDLE, "values": None}
    runs = recheck_trials(trials)
    taken = {(t.hyperparameters.values[RECHECK_POINT], t.hyperparameters.values[RECHECK_SEED]) for t in runs}
    for point in ranked[: plan.top]:
        for seed in plan.extra_seeds():
            if (point, seed) not in taken:
                return {"status": RUNNING, "values": recheck_values(points[point], point, seed)}
    if all(t.status in ENDED for t in runs):
        return {"status": STOPPED, "values": None}
    return {"status": IDLE, "values": None}


def planned_runs(plan: RecheckPlan, grid_size: int, ranked: list[int] | None) -> int:
    """How many re-check runs the sweep makes: decided once the top is (`ranked`), at most `most_trials` before."""
    if ranked is None:
        return plan.most_trials(grid_size)
    return len(ranked[: plan.top]) * plan.seeds
