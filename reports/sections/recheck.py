"""A re-checked sweep in the report: its points over seeds, the winner by mean, and whether it beats the runner-up
beyond seed noise (a paired t-test over the seeds both ran)."""

import pandas as pd

from experiments.training.objectives import OBJECTIVES
from experiments.tuning.leaderboard import RESULT_NAMES, ranked
from experiments.tuning.recheck.runs import RUN_KEY, counted_runs
from experiments.tuning.recheck.statistics import paired_over_seeds
from reports.markdown_tables import table
from reports.workdir_reader import Experiment

OWN_RANKING = {"trial_id": (("status", True),), "point": (("rung", False),)}  # the sweep's own: grid, halving


def recheck_lines(experiment: Experiment) -> list[str]:
    """The re-check's heading, its table, the winner by mean and the separable-or-tie line (nothing without one)."""
    info, board, runs = experiment.info, experiment.leaderboard, experiment.recheck_runs
    if "recheck_top" not in info or board is None or "mean" not in board:
        return []
    objective = experiment.objective
    title = OBJECTIVES[objective].title
    lines = [
        f"#### Re-check: the top {info['recheck_top']} again with {info['recheck_seeds']} more seeds",
        f"Each re-check run trains its point from scratch with another seed (initial weights, dropout masks and "
        f"batch order) to the sweep's epochs; per point, the kept {title} over its seeds, the sweep's own run "
        "included (halving: where it was not cut short, PRUNED, at a rung), with Student's t 95% interval of the mean.",
    ]
    checked = board[board["mean"].notna()]
    if checked.empty or runs is None:
        return [*lines, "> No re-check run has finished yet."]
    key = "point" if experiment.plan is not None else "trial_id"
    hp_names = [c for c in board.columns if c not in ("trial_id", "point", "status", "rung", *RESULT_NAMES)]
    shown = checked[[key, *hp_names, objective, "seeds", "mean", "std", "ci95_low", "ci95_high"]]
    lines.append(table(shown.rename(columns={objective: f"{objective} (sweep's seed)"})))
    return [*lines, *verdict_lines(board, checked, runs, objective, key)]


def verdict_lines(
    board: pd.DataFrame, checked: pd.DataFrame, runs: pd.DataFrame, objective: str, key: str
) -> list[str]:
    """The winner by mean against the single-seed winner, then against the runner-up paired over seeds (rows named by
    `key`: a grid's trial, halving's point)."""
    noun = "point" if key == "point" else "trial"
    winner = checked.iloc[0]
    single = ranked(board, key, objective, first=OWN_RANKING[key]).iloc[0]
    kept = "the same point" if single[key] == winner[key] else f"{noun} {single[key]}"
    lines = [
        f"Winner by mean: **{noun} {winner[key]}**, mean {winner['mean']:.4f} over {winner['seeds']} seeds "
        f"(the single-seed winner was {kept}); it is the model evaluated on the test split."
    ]
    if len(checked) < 2:
        return lines
    runner_up = checked.iloc[1]
    counted = counted_runs(runs, objective)
    seeds_of = {t: dict(zip(g["seed"], g[objective], strict=True)) for t, g in counted.groupby(RUN_KEY[key])}
    paired = paired_over_seeds(seeds_of[winner[key]], seeds_of[runner_up[key]])
    if paired.pairs < 2:
        return [
            *lines,
            f"Against the runner-up, {noun} {runner_up[key]} (mean {runner_up['mean']:.4f}): {paired.pairs} seed"
            f"{'' if paired.pairs == 1 else 's'} both ran, too few for a paired test (a run cut short at a rung is "
            "not counted); resume with a larger `--seeds` to tell them apart.",
        ]
    verdict = (
        "**separable**: the winner is better beyond seed noise"
        if paired.separable
        else "**a tie** within seed noise: the re-check cannot tell them apart"
    )
    lines.append(
        f"Against the runner-up, {noun} {runner_up[key]} (mean {runner_up['mean']:.4f}), paired over the "
        f"{paired.pairs} seeds both ran (paired t-test, two-sided): difference {paired.difference:+.4f} (95% "
        f"interval {paired.low:+.4f} to {paired.high:+.4f}), p = {paired.p_value:.3g}: {verdict}."
    )
    return lines
