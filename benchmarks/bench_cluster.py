"""A distributed sweep on this machine: wall time with 1 and 2 workers, and what a killed worker costs.

Run: python benchmarks/bench_cluster.py [--clips-per-class 30] [--max-epochs 4] [--lease-seconds 10]
1. `launch.py cnn --workers N` on the quick 4-point CNN grid (4 synthetic classes), N = 1 then 2,
   each on a fresh workdir of the same data: wall time of the whole command (start-up included).
2. A chief and two workers; worker a is SIGKILLed part-way into an epoch of its first trial.
   Printed: seconds from the kill until the chief re-leases the trial and until worker b resumes
   it, the epoch b resumes from (lost: the kill's partial epoch only), and the total wall time.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data_pipeline.demo.generate import make_demo

REPO = Path(__file__).resolve().parents[1]


def sweep_args(data: Path, root: Path, args) -> list[str]:
    return [
        "--data-dir",
        str(data),
        "--workdir",
        str(root / "work"),
        "--tb-logs",
        str(root / "tb"),
        "--min-clips",
        "5",
        "--space",
        "quick",
        "--max-epochs",
        str(args.max_epochs),
        "--patience",
        str(args.max_epochs),
        "--batch-size",
        "4",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed_launch(data: Path, root: Path, workers: int, args) -> float:
    started = time.monotonic()
    command = [
        sys.executable,
        str(REPO / "experiments" / "launch.py"),
        "cnn",
        "--workers",
        str(workers),
        "--port",
        str(free_port()),
        *sweep_args(data, root, args),
    ]
    with open(root / "launch.log", "w") as log:
        code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    if code != 0:
        sys.exit(f"launch with {workers} workers failed ({code}): see {root / 'launch.log'}")
    return time.monotonic() - started


def start(script_args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        return subprocess.Popen(
            [sys.executable, str(REPO / "experiments" / "search_cnn.py"), *script_args],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env=env,
        )


def wait_for(condition, what: str, timeout: float = 600) -> float:
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)
    return time.monotonic()


def committed_epoch(root: Path, trial: str) -> int:
    try:
        return json.loads((root / "work" / "cnn" / "tuner" / f"trial_{trial}" / "state.json").read_text())["epoch"]
    except (OSError, ValueError):
        return 0


def killed_worker(data: Path, root: Path, args) -> None:
    address = f"127.0.0.1:{free_port()}"
    common = [*sweep_args(data, root, args), "--lease-seconds", str(args.lease_seconds)]
    started = time.monotonic()
    chief = start([*common, "--chief", address], root / "chief.log")
    logs = {name: root / f"{name}.log" for name in ("a", "b")}
    workers = {name: start([*common, "--worker", address, "--worker-id", name], logs[name]) for name in logs}
    began = wait_for(lambda: "a: trial" in logs["a"].read_text(), "a's first trial")
    trial = re.findall(r"a: trial (\d+) begins", logs["a"].read_text())[0]
    committed = wait_for(lambda: committed_epoch(root, trial) >= 1, "a's first epoch")
    time.sleep((committed - began) / 3)  # part-way into a later epoch
    workers["a"].kill()
    killed = time.monotonic()
    epoch = committed_epoch(root, trial)
    state = root / "work" / "cnn" / "tuner" / f"trial_{trial}" / "state.json"
    lost = time.time() - state.stat().st_mtime  # training since the last committed epoch
    re_leased = wait_for(lambda: f"trial {trial} re-leased to b" in (root / "chief.log").read_text(), "re-lease")
    resumed = wait_for(lambda: f"resuming trial_{trial}" in logs["b"].read_text(), "b resuming")
    line = re.search(rf"resuming trial_{trial} from epoch (\d+)", logs["b"].read_text())
    if chief.wait(timeout=900) != 0 or workers["b"].wait(timeout=120) != 0:
        sys.exit(f"the killed-worker sweep failed: see {root}")
    print(
        f"killed worker a at committed epoch {epoch} of trial {trial}: re-leased after {re_leased - killed:.1f} s "
        f"(lease {args.lease_seconds:g} s), b resumed it {resumed - killed:.1f} s after the kill from epoch "
        f"{line.group(1)} (lost: the {lost:.1f} s trained since that epoch); sweep wall time "
        f"{time.monotonic() - started:.0f} s; a trial is re-leased when its lease has expired and a worker asks, "
        "so the delay is the lease or the time until a worker is free, whichever is longer"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips-per-class", type=int, default=30)
    parser.add_argument("--max-epochs", type=int, default=4)
    parser.add_argument("--lease-seconds", type=float, default=10.0)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench_cluster_"))
    data = base / "clips"
    make_demo(data, args.clips_per_class, "flute,Drum_set,Bass_Guitar,Shakers", seed=3, synthetic=True)
    print(
        f"{os.cpu_count()} CPU cores; quick CNN grid (4 points x {args.max_epochs} epochs), "
        f"{args.clips_per_class} clips per class; files in {base}"
    )
    for workers in (1, 2):
        root = base / f"launch{workers}"
        root.mkdir()
        print(f"launch.py --workers {workers}: {timed_launch(data, root, workers, args):.0f} s", flush=True)
    (base / "killed").mkdir()
    killed_worker(data, base / "killed", args)


if __name__ == "__main__":
    main()
