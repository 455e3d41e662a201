"""Project errors: raised with a message a user can act on, caught once at the command line."""

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from plumbing.disk_space import disk_full


class DataError(Exception):
    """The data on disk is missing, malformed or does not match what the workdir expects."""


class UsageError(Exception):
    """A command-line flag or argument is wrong."""


EXIT_REFUSED = 2  # bad input: one `error:` line (argparse's own exit code for a bad flag too)
EXIT_INTERRUPTED = 130


def run_command(action: Callable[[], int | None]) -> int:
    """Run a command-line action; a project error becomes one `error:` line on stderr and exit code 2.

    Ctrl-C outside a training loop (which handles it itself) ends with one line, not a traceback, and so does a
    full disk, wherever it surfaced (`plumbing.disk_space`).
    """
    try:
        return action() or 0
    except (DataError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\ninterrupted: nothing computed so far is lost; run the same command again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        full = disk_full(error)
        if full is None:
            raise
        print(f"error: {full}", file=sys.stderr)
        return EXIT_REFUSED


REFUSED_WRITE = (errno.EACCES, errno.EPERM, errno.EROFS)  # permission denied, not permitted, read-only file system


@contextmanager
def refused_writes(flag: str, folder: Path) -> Iterator[None]:
    """A write refused under `folder` (read-only, permission denied) becomes one error naming `flag`."""
    try:
        yield
    except OSError as error:
        where = os.path.abspath(error.filename) if error.filename else ""
        if error.errno not in REFUSED_WRITE or not Path(where).is_relative_to(os.path.abspath(folder)):
            raise
        raise UsageError(
            f"{flag} {folder}: cannot write in {Path(error.filename).parent} ({error.strerror}): "
            "pass a folder you can write"
        ) from None
