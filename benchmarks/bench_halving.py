"""Successive halving against the full grid on the same demo data: epochs, wall time, winner, accuracy.

Run: python benchmarks/bench_halving.py [--per-class 100] [--classes 14] [--max-epochs 12] [--min-epochs 2]
     [--eta 3] [--space benchmarks/halving_space.json] [--out runs/bench-halving]
Renders the demo clips once (FluidR3 through fluidsynth), prepares one workdir per strategy from them
(same split, seed 42), runs `search_cnn.py` with each strategy and prints a Markdown table.

Or: python benchmarks/bench_halving.py --replay W [--plans 1x3,2x3,2x2,3x3] [--rung-scores val_loss,objective]
replays each (min epochs x eta) plan with each rung score on the finished grid sweep in W (`halving_replay.py`) and
prints one row per plan and rung score.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from demo_clips import demo_clips  # benchmarks/ is on the path of its scripts

from experiments.tuning.rung_scores import DEFAULT_RUNG_SCORE
from plumbing.errors import run_command
from plumbing.quiet_start import start_keras

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)


def sweep(strategy: str, args: argparse.Namespace, data: Path) -> dict:
    """Prepare a workdir, run one sweep in it; return what the table shows."""
    workdir = args.out / strategy
    run("-m", "data_pipeline", "prepare", "--data-dir", str(data), "--workdir", str(workdir), "--min-clips", "5")
    command = [
        "experiments/search_cnn.py",
        "--data-dir",
        str(data),
        "--workdir",
        str(workdir),
        "--tb-logs",
        str(args.out / "tb"),
        "--min-clips",
        "5",
        "--space",
        str(args.space),
        "--max-epochs",
        str(args.max_epochs),
        "--strategy",
        strategy,
        "--min-epochs",
        str(args.min_epochs),
        "--eta",
        str(args.eta),
    ]
    started = time.perf_counter()
    run(*command)
    seconds = time.perf_counter() - started
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    metrics = json.loads((workdir / "cnn" / "test_metrics.json").read_text())
    names = json.loads((workdir / "cnn" / "experiment.json").read_text())["space"]
    winner = board.iloc[0]
    return {
        "strategy": strategy,
        "epochs trained": int(board["epochs_run"].sum()),
        "wall time (s)": round(seconds),
        "winner": " ".join(f"{name}={winner[name]}" for name, values in names if len(values) > 1),
        "winner val acc": round(float(winner["val_accuracy"]), 4),
        "winner test acc": round(metrics["accuracy"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=100)
    parser.add_argument("--classes", default="14")
    parser.add_argument("--max-epochs", type=int, default=12)
    parser.add_argument("--min-epochs", type=int, default=2)
    parser.add_argument("--eta", type=int, default=3)
    parser.add_argument("--space", type=Path, default=REPO / "benchmarks" / "halving_space.json")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "bench-halving")
    parser.add_argument("--replay", type=Path, metavar="W", help="replay --plans on the finished grid sweep in W")
    parser.add_argument("--plans", default="1x3,2x3,2x2,3x3", help="MINxETA halving plans to replay")
    parser.add_argument("--rung-scores", default=DEFAULT_RUNG_SCORE, help="rung scores to replay each plan with")
    args = parser.parse_args()
    if args.replay:
        start_keras()  # only the replay loads models: the sweeps run as their own processes
        from halving_replay import parse_plans, parse_rung_scores, replay_table  # benchmarks/ is on the path

        plans, rung_scores = parse_plans(args.plans), parse_rung_scores(args.rung_scores)
        print(replay_table(args.replay, "cnn", plans, rung_scores).to_markdown(index=False))
        return
    data = demo_clips(args.out / "data", args.per_class, args.classes)
    rows = [sweep(strategy, args, data) for strategy in ("grid", "halving")]
    table = pd.DataFrame(rows)
    grid, halving = rows
    print(table.to_markdown(index=False))
    print(
        f"halving: {halving['epochs trained'] / grid['epochs trained']:.0%} of the grid's epochs, "
        f"{halving['wall time (s)'] / grid['wall time (s)']:.0%} of its wall time; winner test accuracy "
        f"{100 * (halving['winner test acc'] - grid['winner test acc']):+.1f} points"
    )


if __name__ == "__main__":
    sys.exit(run_command(main))
