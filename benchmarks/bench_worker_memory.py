"""Resident memory of one worker slot over many short trials, with and without recycling the worker.

Run: python benchmarks/bench_worker_memory.py [--trials 50] [--growth 10] [--epochs 1]
Two real launches (`launch.py cnn --workers 1`, a chief and one worker slot) of `--trials` quick-CNN
points (learning rates) on a small synthetic demo set: one whose worker serves the whole grid
(`--trials-per-worker` = `--trials`), one with `--worker-memory-growth --growth` (10: what launch.py's
workers get when no term is given). After every trial it prints the slot's resident memory (VmRSS of
the worker process then in the slot); the last lines compare the last trial, and the most, with the first.
"""

import argparse
import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from data_pipeline.demo.generate import make_demo

REPO = Path(__file__).resolve().parents[1]
ENDED = re.compile(r"^\[w0\] w0: trial (\d+) (COMPLETED|FAILED)")


def rss_mib(pid: int) -> float:
    """A process's resident memory (VmRSS) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def slot_pid(launcher: int) -> int | None:
    """The launcher's worker process now (the one started with --worker-id w0)."""
    for task in Path(f"/proc/{launcher}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            except FileNotFoundError:
                continue
            if b"--worker-id" in argv:
                return int(child)
    return None


def free_port() -> str:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def measure(root: Path, name: str, trials: int, epochs: int, term: list[str]) -> list[float]:
    """One launch over the grid; the worker slot's RSS after each trial."""
    argv = [sys.executable, str(REPO / "experiments" / "launch.py"), "cnn", "--workers", "1", "--port", free_port()]
    argv += ["--data-dir", str(root / "clips"), "--workdir", str(root / name), "--tb-logs", str(root / f"tb-{name}")]
    argv += ["--min-clips", "5", "--space", str(root / "space.json"), "--max-epochs", str(epochs), "--batch-size", "8"]
    launched = subprocess.Popen([*argv, *term], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    samples: list[float] = []
    started = time.monotonic()
    try:
        for line in launched.stdout:
            if ENDED.match(line) and (pid := slot_pid(launched.pid)) is not None:
                samples.append(rss_mib(pid))
                print(f"  {name}: after trial {len(samples):>2} (pid {pid}): RSS {samples[-1]:7.1f} MiB", flush=True)
    finally:
        if launched.poll() is None:  # stopped early (Ctrl-C, a timeout): the launcher stops its chief and worker
            launched.send_signal(signal.SIGTERM)
    if launched.wait() != 0:
        raise SystemExit(f"{name}: launch.py exited {launched.returncode}")
    print(f"  {name}: {len(samples)} trials in {time.monotonic() - started:.0f} s", flush=True)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--growth", type=int, default=10, help="--worker-memory-growth of the recycled launch")
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench_worker_memory_"))
    make_demo(root / "clips", 12, "flute,Drum_set,Bass_Guitar,Shakers", seed=3, synthetic=True)
    rates = [float(r) for r in np.geomspace(1e-4, 1e-2, args.trials)]
    grid = {"conv_filters": ["8-16-32"], "dropout_block3": [0.3], "dense_units": [64], "dropout_head": [0.3]}
    (root / "space.json").write_text(json.dumps({**grid, "learning_rate": rates}))
    runs = {
        "one worker": measure(root, "kept", args.trials, args.epochs, ["--trials-per-worker", str(args.trials)]),
        f"recycled at +{args.growth}%": measure(
            root, "recycled", args.trials, args.epochs, ["--worker-memory-growth", str(args.growth)]
        ),
    }
    for name, samples in runs.items():
        first, last, top = samples[0], samples[-1], max(samples)
        print(
            f"{name:>20}: {len(samples)} trials, RSS first {first:.0f} MiB, last {last:.0f} MiB "
            f"({100 * (last / first - 1):+.0f}%), most {top:.0f} MiB ({100 * (top / first - 1):+.0f}%)"
        )
    print(f"workdirs under {root}")


if __name__ == "__main__":
    sys.exit(main())
