"""Ctrl-C while TensorFlow starts ends a command with one line, not an import traceback."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import REPO


def interrupt_train(tmp_path: Path, after: float, **popen) -> subprocess.CompletedProcess:
    """Start `train.py` on an empty data folder and send it SIGINT `after` seconds later."""
    command = ["experiments/train.py", "--model", "cnn-baseline", "--data-dir", tmp_path, "--workdir", tmp_path / "w"]
    process = subprocess.Popen(
        [sys.executable, *map(str, command)], cwd=REPO, stderr=subprocess.PIPE, text=True, **popen
    )
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, "", err)


@pytest.mark.parametrize("after", [1.0, 1.5, 2.0, 2.5])  # parsed (0.4 s), inside TensorFlow's import (3 s or more here)
def test_ctrl_c_while_tensorflow_starts_is_one_line_and_exit_130(tmp_path, after):
    """Wherever in the import it lands: a Ctrl-C inside the import lock once left a half-built module behind."""
    stopped = interrupt_train(tmp_path, after)
    assert stopped.returncode == 130, stopped.stderr
    assert stopped.stderr.strip().splitlines() == ["interrupted while starting: nothing was done"], stopped.stderr


def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it(tmp_path):
    """A background process (SIGINT ignored) is not stopped by a SIGINT while it starts: it runs on to its own end."""
    finished = interrupt_train(tmp_path, 1.5, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert finished.returncode == 2, finished.stderr
    assert finished.stderr.startswith("error: "), finished.stderr
