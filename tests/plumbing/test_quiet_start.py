"""Ctrl-C while TensorFlow starts ends a command with one line, not an import traceback."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plumbing.quiet_start import start_keras
from tests.support import REPO

TENSORFLOW_LIBRARY = "_pywrap_tensorflow_internal"  # mapped early in TensorFlow's import, seconds before its end


def interrupt_train(tmp_path: Path, after: float, ignoring: bool = False) -> subprocess.CompletedProcess:
    """Start `train.py` on an empty data folder (SIGINT ignored, as a background job, with `ignoring`); once
    TensorFlow's import has begun, wait `after` seconds and send SIGINT."""
    train = [sys.executable, "experiments/train.py", "--model", "cnn-baseline", "--data-dir", str(tmp_path)]
    command = [*train, "--workdir", str(tmp_path / "w")]
    if ignoring:
        command = ["sh", "-c", 'trap \'\' INT; exec "$0" "$@"', *command]
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while TENSORFLOW_LIBRARY not in Path(f"/proc/{process.pid}/maps").read_text():
        assert process.poll() is None and time.monotonic() < deadline, "TensorFlow's import never began"
        time.sleep(0.01)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, "", err)


@pytest.mark.parametrize("after", [round(0.3 * k, 1) for k in range(9)])  # the import goes on 3 s or more
def test_ctrl_c_while_tensorflow_starts_is_one_line_and_exit_130(tmp_path, after):
    """Wherever in the import it lands: a Ctrl-C inside the import lock once left a half-built module behind."""
    stopped = interrupt_train(tmp_path, after)
    assert stopped.returncode == 130, stopped.stderr
    assert stopped.stderr.strip().splitlines() == ["interrupted while starting: nothing was done"], stopped.stderr


def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it(tmp_path):
    """A background job (SIGINT ignored) is not stopped by a SIGINT while it starts: it runs on to its own end."""
    finished = interrupt_train(tmp_path, 0.5, ignoring=True)
    assert finished.returncode == 2, finished.stderr
    assert finished.stderr.startswith("error: "), finished.stderr


def test_once_started_ctrl_c_is_handled_as_before():
    before = signal.getsignal(signal.SIGINT)
    start_keras()
    assert signal.getsignal(signal.SIGINT) is before
