"""`launch.py` stopped by a signal (Ctrl-C, SIGTERM, a hang-up) stops its chief and workers with it, and one killed
outright takes them with it; workers that leave (their term over, out of memory, killed) are replaced or named."""

import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from hypermodels.cnn import QUICK_SPACE
from tests.support import (
    HALVING_ARGS,
    HALVING_RUNGS,
    REPO,
    SWEEP_ARGS,
    Run,
    expected_rungs,
    free_port,
    point_history,
    wait_for,
)

pytestmark = pytest.mark.slow

EXIT_WAIT = 120  # seconds for the workers to end their epoch, then the chief
ORPHAN_SECONDS = 3  # for the kernel to tear down the processes of a launcher killed outright


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc)."""
    return [
        int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()
    ]


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting for its reaper does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def worker_pid(launcher: int, name: str) -> int:
    """The process of the launcher's worker `name` now (from its command line, `--worker-id name`)."""
    for pid in children(launcher):
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--worker-id" in argv and argv[argv.index(b"--worker-id") + 1] == name.encode():
            return pid
    raise LookupError(name)


def caught(pid: int) -> set[int]:
    """The signals process `pid` has a handler for (SigCgt in /proc)."""
    line = next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("SigCgt:"))
    mask = int(line.split()[1], 16)
    return {signum for signum in range(1, 65) if mask >> (signum - 1) & 1}


def stopped_by(launched: Run, signum: int) -> None:
    """Send `signum` to the launcher: it exits 130 with the resume command and leaves none of its processes."""
    started = children(launched.process.pid)
    try:
        launched.process.send_signal(signum)
        assert launched.wait(timeout=EXIT_WAIT) == 130, launched.output
        deadline = time.monotonic() + 10
        while any(map(alive, started)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in started if alive(pid)], f"left running:\n{launched.output[-3000:]}"
    finally:
        for pid in filter(alive, started):  # a failed run leaves no orphans behind
            os.kill(pid, signal.SIGKILL)
    resume = launched.output.partition("Resume with:\n  ")[2].partition("\n")[0]
    assert resume.startswith("python experiments/launch.py cnn ") and " --workers 2 " in f"{resume} ", launched.output


def test_a_stopped_launch_leaves_nothing_running_and_the_next_finishes_the_grid_once(tiny_dataset, tmp_path):
    """Ctrl-C after a first trial; then SIGTERM (a `kill`, a pre-emption) after a worker was SIGKILLed, which the
    launcher names; then a launch that finishes. SIGHUP (a closed terminal) has the same handler as SIGTERM."""
    args = launch_args(tiny_dataset, tmp_path, "--workers", "2", "--max-epochs", "2")
    first = Run("launch.py", *args, log=tmp_path / "launch0.log")
    wait_for(lambda: "[chief] [1/4] trial" in first.output, what="a first finished trial", run=first)
    assert len(children(first.process.pid)) == 3  # the chief and two workers
    assert {signal.SIGTERM, signal.SIGHUP} <= caught(first.process.pid)  # Python's default catches neither
    stopped_by(first, signal.SIGINT)
    assert "[w0] w0: training trials" in first.output and "[w1] w1: training trials" in first.output
    stopped = pd.read_csv(tmp_path / "work" / "cnn" / "leaderboard.csv")
    assert 1 <= (stopped["status"] == "COMPLETED").sum() <= 2  # the trials begun after it stopped after an epoch

    second = Run("launch.py", *args, log=tmp_path / "launch1.log")
    begun = lambda: "[w0] w0: trial" in second.output and "[w1] w1: trial" in second.output  # noqa: E731
    wait_for(begun, what="both workers training", run=second)
    os.kill(worker_pid(second.process.pid, "w1"), signal.SIGKILL)  # as the kernel's out-of-memory killer does
    named = "[launcher] worker w1 was killed by SIGKILL; no fresh worker takes its slot"
    wait_for(lambda: named in second.output, what="the killed worker named", run=second)
    assert len(children(second.process.pid)) == 2, "a fresh worker took the killed one's slot"
    stopped_by(second, signal.SIGTERM)

    again = Run("launch.py", *args, log=tmp_path / "launch2.log")
    assert again.wait(timeout=300) == 0, again.output
    assert "[chief] [4/4] trial" in again.output and "[chief] best trial" in again.output
    board = pd.read_csv(tmp_path / "work" / "cnn" / "leaderboard.csv")
    assert sorted(board["trial_id"]) == [0, 1, 2, 3] and (board["status"] == "COMPLETED").all()
    for trial in range(4):
        history = pd.read_csv(tmp_path / "work" / "cnn" / "tuner" / f"trial_{trial}" / "history.csv")
        assert list(history["epoch"]) == [0, 1], f"trial {trial}: an epoch trained twice or lost over the stops"


def data_kib(pid: int) -> int:
    """A process's private data (VmData, KiB): what RLIMIT_DATA bounds."""
    line = next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("VmData:"))
    return int(line.split()[1])


def launch_args(dataset: Path, root: Path, *more: str) -> list[str]:
    return [
        "cnn",
        "--port",
        str(free_port()),
        "--data-dir",
        str(dataset),
        "--workdir",
        str(root / "work"),
        "--tb-logs",
        str(root / "tb"),
        *SWEEP_ARGS,
        *more,
    ]


def test_workers_that_served_their_term_are_replaced_and_the_grid_runs_exactly_once(tiny_dataset, tmp_path):
    args = launch_args(tiny_dataset, tmp_path, "--workers", "2", "--trials-per-worker", "1", "--max-epochs", "1")
    launched = Run("launch.py", *args, log=tmp_path / "launch.log")
    assert launched.wait(timeout=240) == 0, launched.output
    out = launched.output
    restarts = re.findall(r"\[launcher\] (w\d) left at the end of its term: a fresh w\d starts", out)
    assert len(restarts) >= 2, out  # 2 + restarts worker processes for 2 slots; the last may find the grid done
    assert out.count("leaves after 1 trial (--trials-per-worker 1)") == len(restarts), "one line per restart"
    board = pd.read_csv(tmp_path / "work" / "cnn" / "leaderboard.csv")
    assert sorted(board["trial_id"]) == [0, 1, 2, 3] and (board["status"] == "COMPLETED").all()
    assert len(re.findall(r"\[chief\] \[\d/4\] trial", out)) == 4 and "[chief] best trial" in out
    for trial in range(4):
        history = pd.read_csv(tmp_path / "work" / "cnn" / "tuner" / f"trial_{trial}" / "history.csv")
        assert list(history["epoch"]) == [0]


BIG_ACTIVATION_MIB = 16 * 64 * 255 * 128 * 4 / 2**20  # the big point's first feature map at batch 16: 128 MiB
HEADROOM_MIB = 80  # private memory left to a warm worker: more than a small point needs, less than that map


def test_a_worker_out_of_memory_hands_its_trial_back_and_the_launcher_says_which_k_fits(
    tiny_dataset, tmp_path, monkeypatch
):
    """A real allocation failure, no mock: the worker that begins the big point (its second trial, so its threads
    exist) gets a private-memory bound (RLIMIT_DATA) HEADROOM_MIB above what it holds, and TensorFlow's own
    allocator fails on the big feature map (ResourceExhaustedError, as on a GPU whose share is spent). The workers
    run TensorFlow's own CPU kernels: oneDNN's convolution allocates scratch memory unchecked before its output
    (a segmentation fault under the bound, seen on some CPUs), which GPU kernels do not."""
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    space = tmp_path / "space.json"
    values = {"conv_filters": [[8, 16, 32], [8, 16, 16], [128, 8, 8]], "dropout_block3": [0.3], "dense_units": [64]}
    space.write_text(json.dumps({**values, "dropout_head": [0.3], "learning_rate": [0.001]}))
    more = ["--gpus", "0", "--trials-per-gpu", "2", "--space", str(space), "--max-epochs", "1", "--batch-size", "16"]
    args = launch_args(tiny_dataset, tmp_path, *more, "--lease-seconds", "60")  # a hand-back beats the lease
    launched = Run("launch.py", *args, log=tmp_path / "launch.log")
    big = re.compile(r"\[(w\d)\] w\d: trial 2 begins")
    try:
        wait_for(lambda: big.search(launched.output), what="the big point", run=launched)
        name = big.search(launched.output).group(1)
        pid = worker_pid(launched.process.pid, name)
        bound = (data_kib(pid) + HEADROOM_MIB * 1024) * 1024
        resource.prlimit(pid, resource.RLIMIT_DATA, (bound, bound))
        assert launched.wait(timeout=240) == 0, launched.output
    finally:
        if launched.process.poll() is None:
            launched.kill(signal.SIGTERM)
    out = launched.output
    said = f"[{name}] {name}: trial 2 ran out of GPU memory: handed back to the chief (ResourceExhaustedError); this"
    assert said + " worker leaves" in out
    assert f"[chief] trial 2 handed back by {name} (out of memory): it goes to the next worker" in out
    line = f"[launcher] worker {name} ran out of GPU memory with 2 trials per GPU: its trial was handed back; try "
    assert line + "--trials-per-gpu 1" in out
    other = "w1" if name == "w0" else "w0"
    assert f"[chief] trial 2 re-leased to {other} after {name} (attempt 2)" in out and "expired" not in out
    board = pd.read_csv(tmp_path / "work" / "cnn" / "leaderboard.csv")
    assert sorted(board["trial_id"]) == [0, 1, 2] and (board["status"] == "COMPLETED").all()
    history = pd.read_csv(tmp_path / "work" / "cnn" / "tuner" / "trial_2" / "history.csv")
    assert list(history["epoch"]) == [0]


def killed_outright(launched: Run) -> list[int]:
    """SIGKILL the launcher (an out-of-memory killer, `kill -9`, a scheduler's hard stop): its chief and workers die
    with it at once (their pids, checked), not at their next write into its closed pipes."""
    started = children(launched.process.pid)
    launched.process.kill()
    launched.process.wait(timeout=30)
    deadline = time.monotonic() + ORPHAN_SECONDS
    while any(map(alive, started)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started and not [pid for pid in started if alive(pid)], f"orphans left:\n{launched.output[-3000:]}"
    return started


def test_a_launcher_killed_at_random_moments_takes_its_processes_and_the_relaunch_resumes_exactly(
    tiny_dataset, tmp_path
):
    """SIGKILL during start-up, mid-trial and as halving promotes its first rung, each time relaunched at once with
    the same command: the last launch finishes, every point trained each epoch of its rungs once."""
    moments = random.Random(11)
    args = launch_args(tiny_dataset, tmp_path, "--workers", "2", *HALVING_ARGS[len(SWEEP_ARGS) :])
    waits = [  # the chief and both workers started, starting Keras and preparing the workdir
        lambda run: wait_for(lambda: len(children(run.process.pid)) == 3, run=run),
        lambda run: wait_for(lambda: re.search(r"\[w\d\] w\d: trial \d+ begins", run.output), run=run),
        lambda run: wait_for(lambda: "[rung 1/3 at epoch 1: 4/4]" in run.output, run=run),  # the rung's last point
    ]
    every = []
    for attempt, wait in enumerate(waits):
        launched = Run("launch.py", *args, log=tmp_path / f"launch{attempt}.log")
        wait(launched)
        time.sleep(moments.uniform(0.0, 1.0))
        every += killed_outright(launched)
    final = Run("launch.py", *args, log=tmp_path / "final.log")
    assert final.wait(timeout=300) == 0, final.output
    assert "already running" not in final.output and not [pid for pid in every if alive(pid)]
    workdir = tmp_path / "work"
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    assert dict(zip(board["point"], board["rung"], strict=True)) == expected_rungs(workdir, len(QUICK_SPACE))
    for point, rung in zip(board["point"], board["rung"], strict=True):
        epochs = list(point_history(workdir, point)["epoch"])
        assert epochs == list(range(HALVING_RUNGS[rung - 1])), f"point {point}: an epoch trained twice or lost"


def test_a_port_in_use_is_refused_naming_port_and_nothing_starts(tiny_dataset, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = [*launch_args(tiny_dataset, tmp_path, "--workers", "1"), "--port", str(port)]
        done = subprocess.run(
            [sys.executable, "experiments/launch.py", *args], capture_output=True, text=True, cwd=REPO, timeout=120
        )
    assert done.returncode == 2 and "[chief]" not in done.stdout, done.stdout
    assert done.stderr.strip().splitlines()[-1] == (
        f"error: --port {port}: 127.0.0.1:{port} is in use (another launch, or another program): pass another --port"
    )
