"""One sweep per experiment folder: an advisory file lock the kernel drops when its holder dies."""

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plumbing.errors import UsageError

RETRY_SECONDS = 0.2


@contextmanager
def exclusive(lock_path: Path, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold `lock_path` for the block, or refuse if another live process holds it for `wait` seconds (a launch's
    chief waits for a predecessor the kernel is still tearing down)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the whole block
    give_up = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() < give_up:
                time.sleep(RETRY_SECONDS)
                continue
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise UsageError(
                f"{what} is already running (pid {holder}) on {lock_path.parent}; "
                "wait for it to finish or pass another --workdir"
            ) from None
    try:
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
