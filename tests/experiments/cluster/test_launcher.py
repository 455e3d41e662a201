"""`launch.py` stopped by a signal (Ctrl-C, SIGTERM, a hang-up) stops its chief and workers with it."""

import os
import signal
import time
from pathlib import Path

import pytest

from tests.support import SWEEP_ARGS, Run, free_port, wait_for

pytestmark = pytest.mark.slow

EXIT_WAIT = 120  # seconds for the workers to end their epoch, then the chief


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


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_to_the_launcher_stops_its_chief_and_workers(tiny_dataset, tmp_path, signum):
    args = ["cnn", "--workers", "2", "--port", str(free_port()), "--data-dir", str(tiny_dataset)]
    args += ["--workdir", str(tmp_path / "work"), "--tb-logs", str(tmp_path / "tb"), *SWEEP_ARGS, "--max-epochs", "2"]
    launched = Run("launch.py", *args, log=tmp_path / "launch.log")
    begun = lambda: "[w0] w0: trial" in launched.output and "[w1] w1: trial" in launched.output  # noqa: E731
    wait_for(begun, what="both workers training", run=launched)
    started = children(launched.process.pid)
    assert len(started) == 3, started  # the chief and two workers
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
    assert "Resume with:\n  python experiments/launch.py cnn --workers 2" in launched.output
