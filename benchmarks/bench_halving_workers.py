"""Halving on many workers: how much of the wall time the workers wait at the rungs' barriers.

Run: python benchmarks/bench_halving_workers.py [--workers 4] [--clips-per-class 30] [--min-epochs 1] [--eta 3]
     [--max-epochs 9] [--space benchmarks/halving_workers_space.json (24 points)]
`launch.py cnn --workers N --strategy halving` on synthetic clips (4 classes), its lines stamped as they arrive.
A worker is busy from `trial k begins` to that trial's end; the training span runs from the first trial's
beginning to the last one's end (start-up and the test evaluation are left out). Printed: the workers' idle share of
that span, and per rung (from its first trial's beginning to its last one's end) the idle share inside it.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_cluster import free_port, sweep_args  # benchmarks/ is on the path of its scripts

from data_pipeline.demo.generate import make_demo

REPO = Path(__file__).resolve().parents[1]
BEGINS = re.compile(r"^\[(w\d+)\] w\d+: trial (\d+) begins")
ENDS = re.compile(r"^\[(w\d+)\] w\d+: (?:trial (\d+) (?:COMPLETED|FAILED)|dropped trial (\d+))")


def launch(data: Path, root: Path, args) -> list[tuple[float, str]]:
    """Run the launch; every line it prints with the monotonic second it arrived."""
    command = [
        sys.executable,
        str(REPO / "experiments" / "launch.py"),
        "cnn",
        "--workers",
        str(args.workers),
        "--port",
        str(free_port()),
        *sweep_args(data, root, args),  # --patience as --max-epochs: no point stops early, every rung is full
        "--space",
        str(args.space),
        "--strategy",
        "halving",
        "--min-epochs",
        str(args.min_epochs),
        "--eta",
        str(args.eta),
    ]
    lines = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO) as process:
        for line in process.stdout:
            lines.append((time.monotonic(), line))
    (root / "launch.log").write_text("".join(line for _, line in lines))
    if process.returncode != 0:
        sys.exit(f"the launch failed ({process.returncode}): see {root / 'launch.log'}")
    return lines


def trial_spans(lines: list[tuple[float, str]]) -> list[tuple[str, str, float, float]]:
    """(worker, trial id, begin, end) of every trial a worker trained to its end."""
    begun, spans = {}, []
    for stamp, line in lines:
        if match := BEGINS.match(line):
            begun[match.group(1)] = (match.group(2), stamp)
        elif (match := ENDS.match(line)) and match.group(1) in begun:
            trial, start = begun.pop(match.group(1))
            spans.append((match.group(1), trial, start, stamp))
    return spans


def idle_share(spans: list[tuple[str, str, float, float]], workers: int) -> tuple[float, float]:
    """(idle share of the window, window seconds): the window from the first begin to the last end of `spans`."""
    start, end = min(s[2] for s in spans), max(s[3] for s in spans)
    busy = sum(stop - begin for _, _, begin, stop in spans)
    return 1 - busy / (workers * (end - start)), end - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clips-per-class", type=int, default=30)
    parser.add_argument("--min-epochs", type=int, default=1)
    parser.add_argument("--eta", type=int, default=3)
    parser.add_argument("--max-epochs", type=int, default=9)
    parser.add_argument("--space", type=Path, default=REPO / "benchmarks" / "halving_workers_space.json")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench_halving_workers_"))
    data = root / "clips"
    make_demo(data, args.clips_per_class, "flute,Drum_set,Bass_Guitar,Shakers", seed=3, synthetic=True)
    started = time.monotonic()
    spans = trial_spans(launch(data, root, args))
    wall = time.monotonic() - started
    tuner = root / "work" / "cnn" / "tuner"
    rung_of = {
        trial["trial_id"]: trial["hyperparameters"]["values"]["rung"]
        for trial in (json.loads(path.read_text()) for path in tuner.glob("trial_*/trial.json"))
    }
    share, span = idle_share(spans, args.workers)
    print(
        f"{args.workers} workers, {len(spans)} trials ({len(rung_of)} promotions), rungs from --min-epochs "
        f"{args.min_epochs} --eta {args.eta} --max-epochs {args.max_epochs}, {args.clips_per_class} clips per class; "
        f"whole launch {wall:.0f} s; files in {root}"
    )
    print(f"workers idle: {share:.0%} of the training span ({span:.0f} s)")
    by_rung = defaultdict(list)
    for span_ in spans:
        by_rung[rung_of[span_[1]]].append(span_)
    for rung, inside in sorted(by_rung.items()):
        share, seconds = idle_share(inside, args.workers)
        print(f"  rung {rung + 1}: {len(inside)} trials, {seconds:.0f} s, workers idle {share:.0%}")


if __name__ == "__main__":
    main()
