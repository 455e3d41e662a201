"""Ctrl-C while TensorFlow starts ends a command with one line, not an import traceback."""

import signal
import subprocess
import sys
import time

import pytest

from plumbing.quiet_start import interrupted
from tests.support import REPO


def test_ctrl_c_while_tensorflow_starts_is_one_line_and_exit_130(tmp_path):
    command = ["experiments/train.py", "--model", "cnn-baseline", "--data-dir", tmp_path, "--workdir", tmp_path / "w"]
    process = subprocess.Popen([sys.executable, *map(str, command)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # parsed (0.4 s), inside TensorFlow's import (3 s or more here)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted while starting: nothing was done"], err


def test_a_ctrl_c_that_surfaces_inside_the_import_machinery_is_still_a_ctrl_c():
    """CPython raises `SystemError` from its import lock when SIGINT lands there; its context is the interrupt."""
    with pytest.raises(SystemError) as raised:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise SystemError("<built-in function acquire_lock> returned a result with an exception set") from None
    assert interrupted(raised.value)
    assert not interrupted(ImportError("no module named tensorflow"))
