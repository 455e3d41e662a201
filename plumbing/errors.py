"""Project errors: raised with a message a user can act on, caught once at the command line."""

import sys
from collections.abc import Callable


class DataError(Exception):
    """The data on disk is missing, malformed or does not match what the workdir expects."""


class UsageError(Exception):
    """A command-line flag or argument is wrong."""


EXIT_INTERRUPTED = 130


def run_command(action: Callable[[], int | None]) -> int:
    """Run a command-line action; a project error becomes one `error:` line on stderr and exit code 2.

    Ctrl-C outside a training loop (which handles it itself) ends with one line, not a traceback.
    """
    try:
        return action() or 0
    except (DataError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: nothing computed so far is lost; run the same command again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
