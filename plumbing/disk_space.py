"""A full disk, told apart from other errors wherever it surfaces (Python's `OSError`, h5py's and TensorFlow's
errors that carry the C library's words), so that every command stops with one line naming where to free space.

Nothing committed is touched by it: every file that must survive is written to a temporary file and renamed into
place (`plumbing.atomic`), so a write that fails for space leaves the last committed version; the command that
stopped resumes from it once space is freed.
"""

import errno
import re

FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
FULL_WORDS = ("No space left on device", "Disk quota exceeded", "errno = 28")
FILE_NAMED = re.compile(r"name = '([^']+)'")  # how HDF5 names the file it could not write


def disk_full(error: BaseException) -> str | None:
    """The one line for `error` if a full disk (or quota) caused it, anywhere in its chain; None otherwise."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error)
        if (isinstance(error, OSError) and error.errno in FULL_ERRNOS) or any(words in text for words in FULL_WORDS):
            named = FILE_NAMED.search(text)
            return full_line(getattr(error, "filename", None) or (named.group(1) if named else None))
        error = error.__cause__ or error.__context__
    return None


def full_line(filename) -> str:
    """`no space left on the disk of <folder>: ...`, naming the folder being written where it is known."""
    from pathlib import Path

    where = f"the disk of {Path(str(filename)).parent}" if filename else "a disk this command writes to"
    return f"no space left on {where}: free space and run the same command again (nothing committed is lost)"
