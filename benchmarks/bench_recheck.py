"""How often the single-seed winner of a grid stays the winner once the top of the board is re-checked with more seeds.

Run: python benchmarks/bench_recheck.py [--per-class 20] [--classes 14] [--max-epochs 4] [--seeds 2]
     [--space benchmarks/recheck_space.json] [--family rnn] [--out runs/bench-recheck]
Renders the demo clips once (FluidR3 through fluidsynth), runs one real sweep with `--recheck-top` every point and
`--seeds S`, so that every grid point has S + 1 seeded runs (`recheck.csv`). Then each of those seeds in turn plays
the sweep's own: its runs pick the single-seed winner and the top K (the one ranking), the re-check of those K over
all the seeds picks the winner by mean; the table says, for each K, in how many of the seeds the two agree. Last,
the real sweep's verdict: its winner by mean against the runner-up, paired t-test over the seeds.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from demo_clips import demo_clips  # benchmarks/ is on the path of its scripts

from plumbing.errors import run_command
from plumbing.quiet_start import start_keras

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)


def single_seed_order(runs: pd.DataFrame, seed: int, objective: str) -> list[int]:
    """The grid points ranked by their runs with `seed` alone (the leaderboard's ranking)."""
    from experiments.tuning.leaderboard import ranked

    return [int(p) for p in ranked(runs[runs["seed"] == seed], "point", objective)["point"]]


def replay(runs: pd.DataFrame, objective: str) -> pd.DataFrame:
    """For each seed as the sweep's and each K: the single-seed winner and the winner by mean over all seeds of the
    top K (ties by the single-seed ranking)."""
    seeds, rows = sorted(runs["seed"].unique()), []
    means = runs.groupby("point")[objective].mean()
    for seed in seeds:
        order = single_seed_order(runs, seed, objective)
        for top in range(2, len(order) + 1):
            by_mean = max(order[:top], key=lambda p: (means[p], -order.index(p)))
            rows.append({"sweep seed": seed, "K": top, "single-seed winner": order[0], "winner by mean": by_mean})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=20)
    parser.add_argument("--classes", default="14")
    parser.add_argument("--max-epochs", type=int, default=4)
    parser.add_argument("--seeds", type=int, default=2, help="more seeds per point (every point is re-checked)")
    parser.add_argument("--space", default=str(REPO / "benchmarks" / "recheck_space.json"))
    parser.add_argument("--family", choices=["cnn", "rnn"], default="rnn")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "bench-recheck")
    args = parser.parse_args()
    data, workdir = demo_clips(args.out / "data", args.per_class, args.classes), args.out / "work"
    start_keras()  # the space's size (every point is re-checked); the sweep runs as its own process
    from experiments.tuning.space_files import load_space

    points = len(load_space(args.space, args.family))
    started = time.perf_counter()
    run(
        f"experiments/search_{args.family}.py", "--data-dir", str(data), "--workdir", str(workdir),
        "--tb-logs", str(args.out / "tb"), "--min-clips", "5", "--space", args.space, "--max-epochs",
        str(args.max_epochs), "--patience", str(args.max_epochs), "--recheck-top", str(points),
        "--seeds", str(args.seeds),
    )  # fmt: skip
    seconds = time.perf_counter() - started
    from experiments.tuning.recheck.runs import counted_runs
    from experiments.tuning.recheck.statistics import paired_over_seeds

    root = workdir / args.family
    runs = pd.read_csv(root / "recheck.csv", dtype={"grid_trial": str})
    objective = next(c for c in ("val_accuracy", "val_macro_f1") if c in runs)
    runs = counted_runs(runs, objective)
    print(runs.pivot(index="point", columns="seed", values=objective).round(4).to_markdown())
    table = replay(runs, objective)
    table["stays"] = table["single-seed winner"] == table["winner by mean"]
    print(table.to_markdown(index=False))
    for top, group in table.groupby("K"):
        print(f"re-check of the top {top}: the single-seed winner stays the winner for {group['stays'].sum()} of "
              f"{len(group)} sweep seeds")  # fmt: skip
    board = pd.read_csv(root / "leaderboard.csv", dtype={"trial_id": str})
    values = {p: dict(zip(g["seed"], g[objective], strict=True)) for p, g in runs.groupby("grid_trial")}
    first, second = board.iloc[0], board.iloc[1]
    paired = paired_over_seeds(values[first["trial_id"]], values[second["trial_id"]])
    print(
        f"the sweep ({len(board)} points, {len(runs)} runs, {seconds:.0f} s): winner by mean trial {first['trial_id']} "
        f"({first['mean']:.4f}) against trial {second['trial_id']} ({second['mean']:.4f}): difference "
        f"{paired.difference:+.4f}, 95% interval {paired.low:+.4f} to {paired.high:+.4f}, paired t-test p = "
        f"{paired.p_value:.3g}: {'separable' if paired.separable else 'a tie'}"
    )


if __name__ == "__main__":
    sys.exit(run_command(main))
