"""TensorBoard event files written with TensorBoard's record framing and protos, never through TensorFlow.

TensorBoard's own `EventFileWriter` opens files through `tensorboard.compat.tf`, which imports
TensorFlow whenever it is installed: a JAX run would start TensorFlow only to write a log.
"""

import itertools
import os
import socket
import time
from pathlib import Path

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.summary.writer.record_writer import RecordWriter

_FILES = itertools.count()  # two files of one process in one second never share a name


class EventFile:
    """One new `events.out.tfevents.*` file in `logdir` (made if missing), named as TensorBoard names them."""

    def __init__(self, logdir: Path):
        logdir = Path(logdir)
        logdir.mkdir(parents=True, exist_ok=True)
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}.{next(_FILES)}"
        self._records = RecordWriter(open(logdir / name, "wb"))  # noqa: SIM115 (closed by close())
        self._write(Event(wall_time=time.time(), file_version="brain.Event:2"))
        self.flush()

    def add(self, summary: Summary, step: int) -> None:
        """Append one summary at `step` (written at the next flush)."""
        self._write(Event(wall_time=time.time(), step=step, summary=summary))

    def _write(self, event: Event) -> None:
        self._records.write(event.SerializeToString())

    def flush(self) -> None:
        self._records.flush()

    def close(self) -> None:
        self._records.close()


def write_summaries(logdir: Path, summaries: list[Summary], step: int) -> None:
    """Append the summaries at `step` to a new event file in `logdir`, on disk before returning."""
    events = EventFile(logdir)
    try:
        for summary in summaries:
            events.add(summary, step)
    finally:
        events.close()
