"""The re-check's results: one row per run of each re-checked point, and the leaderboard's columns over its seeds."""

import pandas as pd

from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.leaderboard import RECHECK_COLUMNS, committed_results, ranked, result_columns
from experiments.tuning.recheck.plan import RECHECK_POINT, RECHECK_SEED
from experiments.tuning.recheck.statistics import seed_summary
from experiments.tuning.recheck.trials import grid_trials, recheck_trials
from experiments.tuning.statuses import COMPLETED, ENDED

RUN_KEYS = ["point", "grid_trial", "seed", "trial_id", "status"]


def recheck_runs(trials, points: list[dict], layout: RunLayout, objective: str, sweep_seed: int) -> pd.DataFrame:
    """Per re-checked point: its grid trial (the sweep's seed), then each re-check run, with committed results."""
    trials = list(trials)
    names = list(points[0]) if points else []
    grid = {points.index({n: t.hyperparameters.values[n] for n in names}): t for t in grid_trials(trials)}
    runs = sorted(recheck_trials(trials), key=lambda t: t.trial_id)
    rows = []
    for point in sorted({t.hyperparameters.values[RECHECK_POINT] for t in runs}):
        original = grid[point]
        own = FitLayout(layout.trial_dir(original.trial_id))
        rows.append(run_row(point, original.trial_id, sweep_seed, original, own, objective))
        for run in (t for t in runs if t.hyperparameters.values[RECHECK_POINT] == point):
            seed = run.hyperparameters.values[RECHECK_SEED]
            fit = FitLayout(layout.recheck_dir(point, seed))
            rows.append(run_row(point, original.trial_id, seed, run, fit, objective))
    return pd.DataFrame(rows, columns=[*RUN_KEYS, *result_columns(objective)])


def run_row(point: int, grid_trial: str, seed: int, trial, fit: FitLayout, objective: str) -> dict:
    """One run: which point and seed, its trial and status, and what its training committed."""
    keys = {"point": point, "grid_trial": grid_trial, "seed": seed, "trial_id": trial.trial_id, "status": trial.status}
    return {**keys, **committed_results(fit, objective)}


def counted_runs(runs: pd.DataFrame, objective: str) -> pd.DataFrame:
    """The runs that count: completed, with a kept epoch."""
    return runs[(runs["status"] == COMPLETED) & runs[objective].notna()]


def with_recheck(board: pd.DataFrame, runs: pd.DataFrame, objective: str) -> pd.DataFrame:
    """The leaderboard with each re-checked point's seeds, mean, standard deviation and 95% t-interval of its kept
    objective; re-checked points first, by the best mean."""
    board = board.assign(**{name: pd.Series(dtype=float) for name in RECHECK_COLUMNS})
    board["seeds"] = board["seeds"].astype("Int64")
    for grid_trial, group in counted_runs(runs, objective).groupby("grid_trial"):
        summary = seed_summary(group[objective])
        at = board["trial_id"] == grid_trial
        for name in RECHECK_COLUMNS:
            board.loc[at, name] = getattr(summary, name)
    return ranked(board, "trial_id", objective, first=(("status", True), ("mean", False)))


def recheck_line(runs: pd.DataFrame, trial, objective: str, planned: int) -> str:
    """`[recheck k/N] point p seed s <objective>=v; point p over n seeds: mean m, std d` for an ended re-check run."""
    own = runs[runs["trial_id"] == trial.trial_id].iloc[0]
    done = int(((runs["trial_id"] != runs["grid_trial"]) & runs["status"].isin(ENDED)).sum())
    head = f"[recheck {done}/{planned}] point {own['point']} seed {own['seed']}"
    if own["status"] != COMPLETED:
        return f"{head} {own['status']}"
    summary = seed_summary(counted_runs(runs[runs["point"] == own["point"]], objective)[objective])
    return (
        f"{head} {objective}={own[objective]:.4f} val_loss={own['val_loss']:.4f} {own['seconds']:.0f}s; "
        f"point {own['point']} over {summary.seeds} seeds: mean {summary.mean:.4f}, std {summary.std:.4f}"
    )
