"""Many workers on one chief: a real chief (`search_cnn.py --chief`) serving a large grid to N fake workers that speak
its protocol (KerasTuner's gRPC oracle service, each with its own tuner id, channel and the chief's secret) and
"train" each trial as a few epochs of a few milliseconds, committing a real `state.json`. A third of the workers
stop calling mid-run without a word (their leases must expire and their trials go to others).

Printed per worker count: call latency p50/p99 (renewals, trial requests, ends), the chief's CPU, trials per
second, whether every point ended exactly once, whether a live worker ever lost its lease, and the largest count
whose p99 stays under the lease renewal interval (a third of --lease-seconds).

    python benchmarks/bench_chief_load.py --workers 8,32,128 --points 2000 --lease-seconds 30
"""

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import grpc
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from keras_tuner.src import protos  # noqa: E402
from keras_tuner.src.engine import trial as trial_module  # noqa: E402

from experiments.cluster.chief_secret import SECRET_KEY  # noqa: E402
from experiments.cluster.chief_server import TUNER_ID_KEY  # noqa: E402
from tests.support import free_port  # noqa: E402

RUNNING, IDLE, STOPPED = "RUNNING", "IDLE", "STOPPED"


def big_space(points: int) -> dict:
    """A quick CNN grid of about `points` points (learning rates x dense units)."""
    rates = [round(1e-4 * (1 + i / 100), 8) for i in range(max(1, points // 20))]
    return {"conv_filters": [[4, 8, 8]], "dense_units": list(range(8, 28)), "learning_rate": rates}


class FakeWorker(threading.Thread):
    """One worker: asks for trials, renews each epoch, commits a state file, reports and ends; or goes silent."""

    def __init__(self, name: str, address: str, secret: str, workdir: Path, epochs: int, epoch_ms: float, record):
        super().__init__(daemon=True)
        self.name, self.workdir, self.epochs, self.epoch_s, self.record = name, workdir, epochs, epoch_ms / 1000, record
        self.metadata = [(TUNER_ID_KEY, name), (SECRET_KEY, secret)]
        self.stub = protos.get_service_grpc().OracleStub(grpc.insecure_channel(address))
        self.silent, self.trials, self.lost = threading.Event(), 0, 0

    def call(self, kind: str, method, request):
        started = time.perf_counter()
        answer = method(request, metadata=self.metadata, timeout=120)
        self.record(kind, time.perf_counter() - started)
        return answer

    def run(self):
        service = protos.get_service()
        while not self.silent.is_set():
            trial = self.call("create", self.stub.CreateTrial, service.CreateTrialRequest(tuner_id=self.name)).trial
            status = trial_module.TrialStatus.from_proto(trial.status)
            if status == STOPPED:
                return
            if status != RUNNING:
                time.sleep(1.0)  # as the real worker's client polls while every free point is taken
                continue
            if not self.train(trial_module.Trial.from_proto(trial), service):
                continue
            self.trials += 1

    def train(self, trial, service) -> bool:
        """A few fast epochs, each renewed; then the results committed, reported and the trial ended."""
        trial_id = trial.trial_id
        for epoch in range(1, self.epochs + 1):
            time.sleep(self.epoch_s)
            if self.silent.is_set():
                return False  # dead without a word: the lease must expire
            renewed = self.call(
                "renew", self.stub.UpdateTrial, service.UpdateTrialRequest(trial_id=trial_id, step=epoch)
            )
            if trial_module.TrialStatus.from_proto(renewed.trial.status) == STOPPED:
                self.lost += 1  # a live worker lost its lease
                return False
        folder = self.workdir / "cnn" / "tuner" / f"trial_{trial_id}"
        folder.mkdir(parents=True, exist_ok=True)
        state = {"epoch": self.epochs, "stopped": False, "seconds": 0.1, "callbacks": {}, "best_epoch": self.epochs}
        (folder / "state.json").write_text(json.dumps({**state, "best_value": 0.5, "best_val_loss": 1.0}))
        metrics = {"val_accuracy": 0.5, "val_loss": 1.0}
        self.call("report", self.stub.UpdateTrial, service.UpdateTrialRequest(trial_id=trial_id, metrics=metrics))
        trial.status = trial_module.TrialStatus.COMPLETED
        self.call("end", self.stub.EndTrial, service.EndTrialRequest(trial=trial.to_proto()))
        return True


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the chief, once it has been waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_level(count: int, args, prepared: Path, root: Path) -> dict:
    """A chief and `count` fake workers until the grid ends; a third go silent at the middle of the run."""
    workdir = root / f"w{count}"
    shutil.copytree(prepared, workdir)
    space = root / "space.json"
    space.write_text(json.dumps(big_space(args.points)))
    address = f"127.0.0.1:{free_port()}"
    sweep = ["--workdir", str(workdir), "--tb-logs", str(root / "tb"), "--space", str(space), "--min-clips", "5"]
    sweep += ["--max-epochs", str(args.epochs), "--lease-seconds", str(args.lease_seconds)]
    log = open(root / f"chief{count}.log", "w")  # noqa: SIM115 - closed below
    chief = subprocess.Popen(
        [sys.executable, str(REPO / "experiments" / "search_cnn.py"), *sweep, "--chief", address],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    secret_file = workdir / "cnn" / "chief.secret"
    while not (secret_file.exists() and "serving" in (root / f"chief{count}.log").read_text()):
        if chief.poll() is not None:
            raise SystemExit((root / f"chief{count}.log").read_text()[-2000:])
        time.sleep(0.2)
    latencies: dict[str, list[float]] = {}
    lock = threading.Lock()

    def record(kind: str, seconds: float) -> None:
        with lock:
            latencies.setdefault(kind, []).append(seconds)

    workers = [
        FakeWorker(f"f{i}", address, secret_file.read_text().strip(), workdir, args.epochs, args.epoch_ms, record)
        for i in range(count)
    ]
    cpu0, started = children_cpu() + process_cpu(chief.pid), time.monotonic()  # its start-up left out
    for worker in workers:
        worker.start()
    time.sleep(args.drop_after)
    for worker in workers[: count // 3]:
        worker.silent.set()
    chief.wait(timeout=args.timeout)
    wall = time.monotonic() - started
    cpu = children_cpu() - cpu0  # the chief's CPU while it served
    log.close()
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    grid = math.prod(len(values) for values in big_space(args.points).values())
    every = list(latencies.get("renew", [])) + list(latencies.get("create", [])) + list(latencies.get("end", []))
    return {
        "workers": count,
        "points": grid,
        "completed once": bool(
            len(board) == grid and (board["status"] == "COMPLETED").all() and board["trial_id"].is_unique
        ),
        "leases lost by live workers": sum(w.lost for w in workers[count // 3 :]),
        "re-leased": len(json.loads((workdir / "cnn" / "cluster.json").read_text())["re_leases"]),
        "wall s": round(wall, 1),
        "trials/s": round(len(board) / wall, 1),
        "chief cores": round(cpu / wall, 2),
        "p50 ms": round(1000 * statistics.median(every), 1),
        "p99 ms": round(1000 * sorted(every)[int(0.99 * (len(every) - 1))], 1),
        "max ms": round(1000 * max(every), 1),
        "chief log": str(root / f"chief{count}.log"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="8,32,128", help="worker counts, one run each")
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--epoch-ms", type=float, default=5.0)
    parser.add_argument("--lease-seconds", type=float, default=30.0)
    parser.add_argument(
        "--drop-after", type=float, default=20.0, help="seconds before a third of the workers go silent"
    )
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-chief-"))
    data = root / "data"
    subprocess.run([sys.executable, "-m", "data_pipeline", "demo", "--synthetic", "--per-class", "8", "--classes",
                    "flute,Organ", "--out", str(data)], cwd=REPO, check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "-m", "data_pipeline", "prepare", "--data-dir", str(data), "--workdir",
                    str(root / "prepared"), "--min-clips", "5"], cwd=REPO, check=True, capture_output=True)  # fmt: skip
    rows = [one_level(int(n), args, root / "prepared", root) for n in args.workers.split(",")]
    renewal_ms = 1000 * args.lease_seconds / 3
    print(f"lease {args.lease_seconds:g} s (renewed every {renewal_ms / 1000:g} s); {args.epochs} epochs of "
          f"{args.epoch_ms:g} ms a trial; a third of the workers silent after {args.drop_after:g} s")  # fmt: skip
    keys = [k for k in rows[0] if k != "chief log"]
    print("| " + " | ".join(keys) + " |\n|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    fine = [row["workers"] for row in rows if row["p99 ms"] < renewal_ms]
    print(f"largest worker count with p99 under the renewal interval: {max(fine) if fine else 'none'}")


if __name__ == "__main__":
    main()
