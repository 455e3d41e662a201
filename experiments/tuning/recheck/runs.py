"""The re-check's results: one row per run of each re-checked point, and the leaderboard's columns over its seeds."""

from dataclasses import dataclass

import pandas as pd

from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.leaderboard import RECHECK_COLUMNS, committed_results, ranked, result_columns
from experiments.tuning.recheck.plan import RECHECK_POINT, RECHECK_SEED
from experiments.tuning.recheck.statistics import seed_summary
from experiments.tuning.recheck.trials import grid_trials, recheck_trials
from experiments.tuning.statuses import COMPLETED, ENDED

RUN_KEYS = ["point", "grid_trial", "seed", "trial_id", "status"]
RUN_KEY = {"trial_id": "grid_trial", "point": "point"}  # a leaderboard's key column: the runs' column that matches it


@dataclass(frozen=True)
class OwnRun:
    """A re-checked point's run at the sweep's own seed: the trial that names it, its folder and its status.

    Halving: the point's last rung's trial, its `points/` folder and its leaderboard status; a PRUNED run was cut
    short of `--max-epochs`, so it is listed but not counted among the point's seeds.
    """

    trial_id: str
    fit: FitLayout
    status: str


def grid_own_runs(trials, points: list[dict], layout: RunLayout) -> dict[int, OwnRun]:
    """Each grid point's own run: its grid trial."""
    names = list(points[0]) if points else []
    return {
        points.index({n: t.hyperparameters.values[n] for n in names}): OwnRun(
            t.trial_id, FitLayout(layout.trial_dir(t.trial_id)), t.status
        )
        for t in grid_trials(trials)
    }


def recheck_runs(trials, own: dict[int, OwnRun], layout: RunLayout, objective: str, sweep_seed: int) -> pd.DataFrame:
    """Per re-checked point: its own run (the sweep's seed), then each re-check run, with committed results."""
    runs = sorted(recheck_trials(trials), key=lambda t: t.trial_id)
    rows = []
    for point in sorted({t.hyperparameters.values[RECHECK_POINT] for t in runs}):
        mine = own[point]
        rows.append(run_row(point, mine.trial_id, sweep_seed, mine.trial_id, mine.status, mine.fit, objective))
        for run in (t for t in runs if t.hyperparameters.values[RECHECK_POINT] == point):
            seed = run.hyperparameters.values[RECHECK_SEED]
            fit = FitLayout(layout.recheck_dir(point, seed))
            rows.append(run_row(point, mine.trial_id, seed, run.trial_id, run.status, fit, objective))
    return pd.DataFrame(rows, columns=[*RUN_KEYS, *result_columns(objective)])


def run_row(point: int, grid_trial: str, seed: int, trial_id: str, status: str, fit: FitLayout, objective: str) -> dict:
    """One run: which point and seed, its trial and status, and what its training committed."""
    keys = {"point": point, "grid_trial": grid_trial, "seed": seed, "trial_id": trial_id, "status": status}
    return {**keys, **committed_results(fit, objective)}


def counted_runs(runs: pd.DataFrame, objective: str) -> pd.DataFrame:
    """The runs that count: completed, with a kept epoch."""
    return runs[(runs["status"] == COMPLETED) & runs[objective].notna()]


def first_counted_seed(runs: pd.DataFrame, point: int, objective: str) -> int | None:
    """The seed of a point's first run that counts (None without one): the model a halving winner whose own run was
    cut short (PRUNED) is evaluated by."""
    counted = counted_runs(runs[runs["point"] == point], objective)
    return None if counted.empty else int(counted.iloc[0]["seed"])


def with_recheck(
    board: pd.DataFrame,
    runs: pd.DataFrame,
    objective: str,
    key: str = "trial_id",
    then: tuple[tuple[str, bool], ...] = (("status", True),),
) -> pd.DataFrame:
    """The leaderboard (rows named by `key`: a grid's `trial_id`, halving's `point`) with each re-checked point's
    seeds, mean, standard deviation and 95% t-interval of its kept objective; re-checked points first, by the best
    mean, then the board's own ranking (`then`, then the objective)."""
    board = board.assign(**{name: pd.Series(dtype=float) for name in RECHECK_COLUMNS})
    board["seeds"] = board["seeds"].astype("Int64")
    for name_of_row, group in counted_runs(runs, objective).groupby(RUN_KEY[key]):
        summary = seed_summary(group[objective])
        at = board[key] == name_of_row
        for name in RECHECK_COLUMNS:
            board.loc[at, name] = getattr(summary, name)
    return ranked(board, key, objective, first=(("mean", False), *then))


def recheck_line(runs: pd.DataFrame, trial, objective: str, planned: int, done: int | None = None) -> str:
    """`[recheck k/N] point p seed s <objective>=v; point p over n seeds: mean m, std d` for an ended re-check run.

    `done`: how many re-check runs had ended with this one (k), when others may have ended since (a chief's workers).
    """
    own = runs[runs["trial_id"] == trial.trial_id].iloc[0]
    if done is None:
        done = int(((runs["trial_id"] != runs["grid_trial"]) & runs["status"].isin(ENDED)).sum())
    head = f"[recheck {done}/{planned}] point {own['point']} seed {own['seed']}"
    if own["status"] != COMPLETED:
        return f"{head} {own['status']}"
    summary = seed_summary(counted_runs(runs[runs["point"] == own["point"]], objective)[objective])
    return (
        f"{head} {objective}={own[objective]:.4f} val_loss={own['val_loss']:.4f} {own['seconds']:.0f}s; "
        f"point {own['point']} over {summary.seeds} seeds: mean {summary.mean:.4f}, std {summary.std:.4f}"
    )
