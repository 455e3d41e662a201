"""Replay every sampled search on a finished grid: how many trials each needs to find the grid's winner.

Each search, restricted to the grid's own values, proposes points one after another; a proposed point's result is
read from the finished grid's trials (the validation objective a search would have seen), no training needed. Over
many seeds: the mean number of trials until the grid's winner is proposed, and until a point within `--within`
of the winner's validation score is. A random search needs (n + 1) / 2 trials on average to meet the winner of an
n-point grid; a search that learns from results should need fewer.

    python benchmarks/bench_search_replay.py --workdir runs-grid [--family cnn] [--seeds 50] [--within 0.01]
"""

import argparse
import math
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plumbing.quiet_start import start_keras  # noqa: E402

start_keras()  # before KerasTuner imports TensorFlow: its start-up lines hidden

from experiments.training.run_layout import RunLayout  # noqa: E402
from experiments.tuning.grid_sweep import GridSweep, read_grid  # noqa: E402
from experiments.tuning.leaderboard import objective_of  # noqa: E402
from experiments.tuning.samplers import SAMPLED  # noqa: E402
from experiments.tuning.samplers.replay import Key, proposals  # noqa: E402
from plumbing.errors import UsageError, run_command  # noqa: E402


def grid_scores(grid: GridSweep) -> dict[Key, float]:
    """Each grid point's validation objective at its kept epoch, as its trial reported it to the sweep; a point
    without one (failed, no kept epoch) scores as the worst point."""
    board = grid.board.set_index("trial_id")
    objective = objective_of(grid.board)
    points = grid.space.points()
    scores = {grid.space.key(points[p]): float(board.loc[trial, objective]) for p, trial in enumerate(grid.trial_ids)}
    worst = min((score for score in scores.values() if math.isfinite(score)), default=0.0)
    return {key: score if math.isfinite(score) else worst for key, score in scores.items()}


def replay_row(search: str, grid: GridSweep, seeds: int, within: float) -> dict:
    """Mean and median trials until the winner, and until a point within `within` of it, over seeds 0..seeds-1."""
    scores = grid_scores(grid)
    best = max(scores.values())
    winners = {key for key, score in scores.items() if score == best}
    near = {key for key, score in scores.items() if score >= best - within}
    runs = [proposals(search, grid.space, scores, seed, winners) for seed in range(seeds)]
    to_winner = [len(proposed) for proposed in runs]
    to_near = [next(n for n, key in enumerate(proposed, 1) if key in near) for proposed in runs]  # winners are near
    return {
        "search": search,
        "trials to the winner, mean": float(statistics.mean(to_winner)),
        "median": float(statistics.median(to_winner)),
        "worst": max(to_winner),
        f"trials to within {within:g}, mean": float(statistics.mean(to_near)),
        "grid points": len(scores),
        "winners (ties)": len(winners),
        f"points within {within:g}": len(near),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True, help="a workdir holding a finished grid sweep")
    parser.add_argument("--family", default="cnn", help="the sweep's folder in the workdir (cnn, rnn)")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--within", type=float, default=0.01, help="validation score below the winner's")
    parser.add_argument("--searches", default=",".join(SAMPLED))
    args = parser.parse_args(argv)
    unknown = [name for name in args.searches.split(",") if name not in SAMPLED]
    if unknown:
        raise UsageError(
            f"--searches {args.searches}: {unknown[0]} is no sampled search; give some of {','.join(SAMPLED)}"
        )
    grid = read_grid(RunLayout(args.workdir / args.family))
    rows = [replay_row(search, grid, args.seeds, args.within) for search in args.searches.split(",")]
    keys = list(rows[0])
    print(f"{args.workdir / args.family}: {len(grid.space)} points; seeds 0-{args.seeds - 1}")
    print("| " + " | ".join(keys) + " |\n|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in row.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(lambda: main(sys.argv[1:])))
