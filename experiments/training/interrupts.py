"""Ctrl-C stops after the current epoch (its progress saved); a second Ctrl-C stops at once."""

import os
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import keras
import keras_tuner as kt

from plumbing.errors import EXIT_INTERRUPTED

RESUME_ENV = "INSTRUMENT_TUNER_RESUME"  # set by launch.py: its own command resumes the processes it started


def resume_command() -> str:
    """The command line that continues this run (never with --overwrite)."""
    return os.environ.get(RESUME_ENV) or " ".join(
        shlex.quote(arg) for arg in ["python", *sys.argv] if arg != "--overwrite"
    )


def stopped_message(command: str | None = None) -> str:
    """What a stopped run prints: nothing finished is lost, and the command that resumes it."""
    return f"stopped; every finished epoch is saved. Resume with:\n  {command or resume_command()}"


class SweepInterrupted(kt.errors.FatalError):
    """Raised after an epoch was committed, when the user asked to stop."""


class StopRequest:
    """Set by the first SIGINT; a second SIGINT ends the process at once."""

    def __init__(self):
        self.event = threading.Event()

    def _handle(self, signum, frame) -> None:
        if self.event.is_set():
            self._stop_now()
        self.event.set()
        print("\nstopping after this epoch (Ctrl-C again to stop now)", flush=True)

    @staticmethod
    def _stop_now() -> None:
        """Every committed epoch is already on disk (a kill costs the same), so exit without unwinding.

        Unwinding from inside `model.fit` makes TensorFlow print resource-deleter tracebacks.
        """
        print(f"\nstopping now\n{stopped_message()}", flush=True)
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)

    @contextmanager
    def installed(self) -> Iterator["StopRequest"]:
        """Catch SIGINT for the block (main thread only)."""
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield self
        finally:
            # Once stopping, the process only exits: a further Ctrl-C there is ignored (a Python handler
            # cannot run during interpreter shutdown, and the default one would kill it mid-exit).
            signal.signal(signal.SIGINT, signal.SIG_IGN if self.event.is_set() else previous)


class StopWhenRequested(keras.callbacks.Callback):
    """Placed after the epoch checkpoint: raises once the epoch's progress is on disk."""

    def __init__(self, request: StopRequest):
        super().__init__()
        self.request = request

    def on_epoch_end(self, epoch, logs=None):
        if self.request.event.is_set():
            raise SweepInterrupted("interrupted by the user")
