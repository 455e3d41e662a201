"""Helpers for end-to-end tests: experiment scripts as real subprocesses."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SWEEP_ARGS = ["--min-clips", "5", "--space", "quick", "--max-epochs", "4", "--patience", "4", "--batch-size", "4"]
HALVING_ARGS = [*SWEEP_ARGS, "--strategy", "halving", "--eta", "2"]  # default first rung (a sixth of 4) and rung score
HALVING_RUNGS, HALVING_ETA = (1, 2, 4), 2  # HALVING_ARGS: rungs 1, 2, 4 (--eta 2 --max-epochs 4): 4 points -> 2 -> 1
LEASE_ARGS = ["--lease-seconds", "10"]  # a chief and workers beside other tests: renewed every 3.3 s


def sweep_args(data_dir, workdir, tb_logs, *more) -> list[str]:
    """A quick sweep's command line on tiny data: where the data, results and logs are, then `more`."""
    return [
        "--data-dir",
        str(data_dir),
        "--workdir",
        str(workdir),
        "--tb-logs",
        str(tb_logs),
        *SWEEP_ARGS,
        *map(str, more),
    ]


def run_checked(script: str, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    """A script (path from the repository root) run to its end, asserted to succeed; its output returned."""
    done = subprocess.run(
        [sys.executable, script, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


MODULES_AT_EXIT = """
import json, runpy, sys
script, *sys.argv[1:] = sys.argv[1:]
sys.argv[0] = script
code = 0
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as stop:
    code = stop.code or 0
print("modules:", json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def run_listing_modules(script: str, *args, timeout: float = 600, **popen) -> tuple[subprocess.CompletedProcess, set]:
    """An entry script run in a process of its own (`popen`: e.g. `env`), and every module it had loaded at its end
    (printed last, after a line that starts with `modules:`: cut the script's own output there)."""
    done = subprocess.run(
        [sys.executable, "-c", MODULES_AT_EXIT, script, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )
    last = done.stdout.rstrip().rpartition("\n")[2]
    return done, set(json.loads(last.removeprefix("modules:"))) if last.startswith("modules:") else set()


class Run:
    """One experiment script running in the background, its output in a file."""

    def __init__(self, script: str, *args: str, log: Path):
        self.log = log
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO / "experiments" / script), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REPO,
                env=env,
            )

    @property
    def output(self) -> str:
        return self.log.read_text()

    def wait(self, timeout: float = 300) -> int:
        return self.process.wait(timeout=timeout)

    def kill(self, sig) -> None:
        self.process.send_signal(sig)
        self.process.wait(timeout=60)


class Cluster:
    """A chief and workers of one quick CNN sweep (`SWEEP_ARGS`, then `more`), each a real process with its own log."""

    def __init__(self, sweep_data, root, *more: str):
        self.root, self.workdir = root, root / "work"
        self.address = f"127.0.0.1:{free_port()}"
        self.args = sweep_args(sweep_data, self.workdir, root / "tb", *more)
        self.runs: dict[str, list[Run]] = {}

    def start(self, name: str) -> Run:
        role = ["--chief", self.address] if name == "chief" else ["--worker", self.address, "--worker-id", name]
        runs = self.runs.setdefault(name, [])
        runs.append(Run("search_cnn.py", *self.args, *role, log=self.root / f"{name}{len(runs)}.log"))
        return runs[-1]

    def output(self, name: str) -> str:
        return "".join(run.output for run in self.runs[name])

    def trial_of(self, name: str) -> str:
        """The trial a worker began last."""
        return re.findall(rf"{name}: trial (\d+) begins", self.output(name))[-1]

    def board(self) -> pd.DataFrame:
        return pd.read_csv(self.workdir / "cnn" / "leaderboard.csv")


def sweep_output(family: str, args: list[str], capsys) -> tuple[int, str, str]:
    """`search_<family>.py ARGS` run in this process (no interpreter start-up): exit code, stdout, stderr."""
    from experiments.options import parse_sweep
    from experiments.tuning.sweep import run_sweep
    from plumbing.errors import run_command

    capsys.readouterr()
    code = run_command(lambda: run_sweep(family, parse_sweep(family, list(map(str, args)))))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sweep_in_process(family: str, args: list[str], capsys) -> tuple[int, str]:
    """`search_<family>.py ARGS` run in this process: exit code and the last stderr line."""
    code, _, err = sweep_output(family, args, capsys)
    lines = err.strip().splitlines()
    return code, lines[-1] if lines else ""


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float = 240, what: str = "condition", run: Run | None = None) -> None:
    """Poll `condition` every 20 ms; fail with the run's output if it never holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if run is not None and run.process.poll() is not None:
            pytest.fail(f"process ended before {what}:\n{run.output[-3000:]}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}" + (f":\n{run.output[-3000:]}" if run else ""))


def trial_epoch(workdir: Path, family: str, trial_id: str) -> int:
    """Committed epochs of one trial (0 before its first commit)."""
    path = workdir / family / "tuner" / f"trial_{trial_id}" / "state.json"
    try:
        return json.loads(path.read_text())["epoch"]
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def point_epoch(workdir: Path, point: int) -> int:
    """Committed epochs of one grid point of a halving sweep (0 before its first commit)."""
    try:
        return json.loads((workdir / "cnn" / "points" / f"point_{point:03d}" / "state.json").read_text())["epoch"]
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def point_history(workdir: Path, point: int) -> pd.DataFrame:
    """The `history.csv` of one grid point of a halving sweep of the CNN."""
    return pd.read_csv(workdir / "cnn" / "points" / f"point_{point:03d}" / "history.csv")


def expected_rungs(workdir: Path, points: int) -> dict[int, int]:
    """Each of the `points` grid points' rung (1 = first) as its history implies under `HALVING_ARGS`, recomputed
    here without the sweep's code: lowest val loss up to the rung, then higher accuracy there, then grid order."""
    histories = {p: point_history(workdir, p) for p in range(points)}
    members, rung_of = list(histories), dict.fromkeys(histories, 1)
    for number, epochs in enumerate(HALVING_RUNGS[:-1], start=2):

        def standing(point, epochs=epochs):
            rows = histories[point].iloc[:epochs]
            lowest = rows["val_loss"].idxmin()
            return (rows.at[lowest, "val_loss"], -rows.at[lowest, "val_accuracy"], point)

        members = sorted(members, key=standing)[: max(1, len(members) // HALVING_ETA)]
        rung_of.update(dict.fromkeys(members, number))
    return rung_of


def unprivileged(command: list[str]) -> list[str]:
    """`command` run without root's power over files: as root, inside a new user namespace (`unshare -U`)."""
    return ["unshare", "-U", *command] if os.geteuid() == 0 else command


def read_only(folder: Path) -> Path:
    """Make `folder` read-only (mode 555); skip the test where an unprivileged process could still write it."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    probe = f"open({str(folder / '.probe')!r}, 'w')"
    try:
        refused = subprocess.run(unprivileged([sys.executable, "-c", probe]), capture_output=True).returncode != 0
    except FileNotFoundError:  # no unshare
        refused = False
    if not refused:
        folder.chmod(0o755)
        pytest.skip("root ignores file modes and `unshare -U` is not available: a read-only folder cannot be made")
    return folder


def prepared_copy(dataset: Path, tmp_path: Path):
    """A copy of `dataset` in `tmp_path/data`, prepared into `tmp_path/work` (threshold 5 clips): (data, workdir)."""
    import shutil

    from data_pipeline.config import FeatureConfig, SplitConfig
    from data_pipeline.prepare import prepare
    from data_pipeline.workdir import Workdir

    data = tmp_path / "data"
    shutil.copytree(dataset, data)
    workdir = Workdir(tmp_path / "work")
    prepare(data, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lambda _: None)
    return data, workdir


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def hparams_dashboard(logdir: Path, sessions: int) -> tuple[list[dict], dict]:
    """A real TensorBoard server on `logdir`, asked over HTTP for its HParams session groups (until
    `sessions` of them show, for up to a minute) and its declared experiment."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/data/plugin/hparams"
    query = {"experimentName": "", "startIndex": 0, "sliceSize": 100, "includeMetrics": True,
             "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS"]}  # fmt: skip
    try:
        deadline, groups = time.monotonic() + 60, []
        while time.monotonic() < deadline and len(groups) < sessions:
            try:
                groups = post(f"{base}/session_groups", query).get("sessionGroups", [])
            except OSError:
                time.sleep(0.5)
        experiment = post(f"{base}/experiment", {"experimentName": "", "includeMetrics": True})
    finally:
        server.terminate()
        server.wait(timeout=30)
    return groups, experiment
