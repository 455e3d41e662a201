"""Ctrl-C stops after the current epoch (its progress saved); a second Ctrl-C stops at once."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import keras
import keras_tuner as kt


class SweepInterrupted(kt.errors.FatalError):
    """Raised after an epoch was committed, when the user asked to stop."""


class StopRequest:
    """Set by the first SIGINT; the next SIGINT gets Python's default KeyboardInterrupt."""

    def __init__(self):
        self.event = threading.Event()

    def _handle(self, signum, frame) -> None:
        self.event.set()
        print("\nstopping after this epoch (Ctrl-C again to stop now)", flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    @contextmanager
    def installed(self) -> Iterator["StopRequest"]:
        """Catch SIGINT for the block (main thread only)."""
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)


class StopWhenRequested(keras.callbacks.Callback):
    """Placed after the epoch checkpoint: raises once the epoch's progress is on disk."""

    def __init__(self, request: StopRequest):
        super().__init__()
        self.request = request

    def on_epoch_end(self, epoch, logs=None):
        if self.request.event.is_set():
            raise SweepInterrupted("interrupted by the user")
