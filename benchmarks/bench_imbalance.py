"""Class weights and the objective on the Kaggle set's own imbalance: test macro F1 and the smallest classes' recall.

Run: python benchmarks/bench_imbalance.py [--scale 0.05] [--family cnn] [--space quick] [--max-epochs 12]
     [--patience 4] [--smallest 5] [--out runs/bench-imbalance]
Renders the 28-class demo with the Kaggle counts times --scale once (FluidR3 through fluidsynth), prepares it once
(every class kept), then runs one sweep per class weighting (none, balanced) and objective (val_accuracy,
val_macro_f1), each in a copy of that workdir (same split, seed 42), and prints a Markdown table of each sweep's
best trial on the test split: accuracy, macro F1, and the recall of the classes with the fewest training clips.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from plumbing.quiet_start import start_keras

start_keras()  # the weightings' module is in `hypermodels`, which imports Keras: quietly

from data_pipeline.demo.output_folder import MARKER  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402
from experiments.training.objectives import OBJECTIVES  # noqa: E402
from hypermodels.class_weighting import WEIGHTINGS  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MIN_CLIPS = "6"  # the demo gives every class at least 7 clips: keep them all


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)


def smallest_classes(workdir: Workdir, count: int) -> list[str]:
    """The `count` classes with the fewest training clips (ties by name)."""
    split = pd.read_csv(workdir.split)
    train = split[split["split"] == "train"].groupby("class").size().reset_index(name="clips")
    return list(train.sort_values(["clips", "class"])["class"].head(count))


def sweep(weighting: str, objective: str, args: argparse.Namespace, root: Path, small: list[str]) -> dict:
    """One sweep in a copy of the prepared workdir under `root`; what the table shows of its best trial."""
    data, workdir = root / "data", root / f"{weighting}-{objective}"
    if not workdir.exists():
        shutil.copytree(root / "prepared", workdir)
    command = [f"experiments/search_{args.family}.py", "--data-dir", str(data), "--workdir", str(workdir)]
    command += ["--tb-logs", str(root / "tb"), "--min-clips", MIN_CLIPS, "--space", args.space]
    command += ["--max-epochs", str(args.max_epochs), "--patience", str(args.patience)]
    command += ["--class-weight", weighting, "--objective", objective]
    started = time.perf_counter()
    run(*command)
    seconds = time.perf_counter() - started
    metrics = json.loads((workdir / args.family / "test_metrics.json").read_text())
    recalls = {name: metrics["per_class"][name]["recall"] for name in small}
    return {
        "class weight": weighting,
        "objective": objective,
        "test accuracy": round(metrics["accuracy"], 4),
        "test macro F1": round(metrics["macro"]["f1"], 4),
        f"mean recall, {len(small)} smallest": round(sum(recalls.values()) / len(recalls), 4),
        **{f"recall {name}": round(value, 2) for name, value in recalls.items()},
        "wall time (s)": round(seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="0.05", help="each class's Kaggle count times this (at least 7 clips)")
    parser.add_argument("--family", choices=["cnn", "rnn"], default="cnn")
    parser.add_argument("--space", default="quick")
    parser.add_argument("--max-epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=4)
    parser.add_argument("--smallest", type=int, default=5, help="how many of the smallest classes' recall to show")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "bench-imbalance")
    args = parser.parse_args()
    root = args.out / f"scale-{args.scale}"  # another scale never reuses these clips or sweeps
    data, prepared = root / "data", root / "prepared"
    if not (data / MARKER).exists():
        run("-m", "data_pipeline", "demo", "--out", str(data), "--counts", "kaggle", "--scale", args.scale)
    run("-m", "data_pipeline", "prepare", "--data-dir", str(data), "--workdir", str(prepared), "--min-clips", MIN_CLIPS)
    small = smallest_classes(Workdir(prepared), args.smallest)
    rows = [sweep(w, o, args, root, small) for w in WEIGHTINGS for o in OBJECTIVES]
    table = pd.DataFrame(rows)
    (root / "bench_imbalance.md").write_text(table.to_markdown(index=False) + "\n")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    sys.exit(run_command(main))
