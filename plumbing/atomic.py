"""Crash-safe file writes: write a temporary file beside the target, then rename over it."""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from plumbing.disk_space import FULL_ERRNOS


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp_path)`, fsync the result, then atomically replace `path` with it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep the full suffix (.keras, .weights.h5): savers check the extension of the name.
    suffix = ".tmp" + "".join(path.suffixes[-2:])
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o644)  # mkstemp makes 0600; results are meant to be shared
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        if error.errno in FULL_ERRNOS and not error.filename:  # say which file did not fit
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Atomically write a text file."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json_atomic(path: Path, data: Any) -> None:
    """Atomically write JSON (indented, keys kept in insertion order)."""
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def write_csv_atomic(path: Path, frame: pd.DataFrame) -> None:
    """Atomically write a DataFrame as CSV without its index."""
    atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False))


def write_text_once(path: Path, text: str) -> str:
    """Create `path` holding `text` unless it exists; return what it holds (the first writer wins)."""
    path = Path(path)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        try:
            os.link(tmp, path)  # fails if another process created it meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8")
