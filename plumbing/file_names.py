"""The one way a file name (or any text taken from one) is written out: console, CSV, JSON, Markdown, model cards.

A name on disk is bytes, and may be anything but `/` and NUL: not valid UTF-8 (copied from another system), with
newlines, tabs or terminal control characters, invisible format characters, a backslash. `shown` writes every
such name as one line of printable text, and `unshown` reads that text back to the exact bytes, so a name in a
CSV or a JSON file maps back to its file:

- a backslash is doubled: `\\\\`;
- newline, carriage return and tab are `\\n`, `\\r`, `\\t`; other control characters below 0x80 are `\\xNN`;
- a byte that is not part of valid UTF-8 is `\\xNN` (NN at least 80: never a character of its own);
- any other character that does not print (C1 controls, format characters, line separators, non-breaking
  spaces, unassigned code points) is `\\uNNNN` or `\\UNNNNNNNN`;
- everything else, every letter of every script included, is itself.
"""

import os
import re
from pathlib import Path

NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
READ_BACK = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")
SURROGATE_BYTES = range(0xDC80, 0xDD00)  # how Python's surrogateescape holds a byte that is not UTF-8


def shown(name: str | bytes | Path) -> str:
    """`name` as one line of printable text that `unshown` reads back to its bytes."""
    text = os.fsdecode(name) if isinstance(name, bytes | Path) else name
    return "".join(shown_character(c) for c in text)


def shown_character(c: str) -> str:
    if c in NAMED:
        return NAMED[c]
    code = ord(c)
    if code in SURROGATE_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    if c.isprintable():
        return c
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def unshown(text: str) -> bytes:
    """The bytes of the name `shown` wrote as `text`."""

    def original(match: re.Match) -> str:
        escape = match.group(1)
        if escape in ("\\", "n", "r", "t"):
            return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[escape]
        code = int(escape[1:], 16)
        return chr(0xDC00 + code) if escape[0] == "x" and code >= 0x80 else chr(code)

    return os.fsencode(READ_BACK.sub(original, text))


def is_utf8(name: str | bytes | Path) -> bool:
    """Whether a name's bytes are valid UTF-8 (libraries that take text paths, TensorFlow's, need them to be)."""
    try:
        os.fsencode(name).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def file_at(root: Path, text: str) -> Path:
    """The file a shown relative name (`class/clip.wav`, as a catalog stores it) names under `root`."""
    return Path(os.fsdecode(os.fsencode(root) + b"/" + unshown(text)))
