"""Successive halving's decisions replayed on a finished grid's committed runs, for any plan.

A grid point trains epoch for epoch as the same halving point does (same seed; resume is bit-exact), so its run cut
at a rung (`CommittedRun.until`) is what halving commits there, and `promoted_at` decides as the live oracle does.
"""

from dataclasses import asdict, dataclass

import pandas as pd

from experiments.tuning.halving.rungs import CommittedRun, HalvingPlan, halving_ranking, promoted_at, rung_score


@dataclass(frozen=True)
class Replay:
    """One plan on a grid: the points of each rung, the epochs halving trains, the point its leaderboard puts first."""

    members: tuple[tuple[int, ...], ...]
    epochs: int
    winner: int | None  # None when no point kept an epoch


def replay(plan: HalvingPlan, runs: list[CommittedRun]) -> Replay:
    """Halving's rungs decided on the grid's runs (one per grid point, in grid order), as its oracle decides them."""
    members = [list(range(len(runs)))]
    for rung in range(len(plan.rungs) - 1):
        members.append(promoted_at(plan, rung, members[-1], runs.__getitem__))
    top = {point: rung for rung, points in enumerate(members) for point in points}  # the last rung it trained toward
    scores = [rung_score(point, runs[point], plan.rungs[rung]) for point, rung in top.items()]
    board = pd.DataFrame(map(asdict, scores)).assign(rung=[top[s.point] for s in scores])
    best = halving_ranking(board, "score").iloc[0]  # as the halving leaderboard ranks
    epochs = sum(runs[point].until(plan.rungs[rung]).epochs for point, rung in top.items())
    winner = None if pd.isna(best["score"]) else int(best["point"])
    return Replay(tuple(map(tuple, members)), epochs, winner)
