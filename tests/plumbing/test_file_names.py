"""Any file name is shown as one printable line that reads back to its exact bytes (generated names, seeded)."""

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plumbing.file_names import file_at, shown, unshown

NAME_BYTES = st.binary(min_size=1, max_size=255).filter(lambda b: b"/" not in b and b"\0" not in b)
NAME_TEXT = st.text(min_size=1, max_size=80).filter(lambda t: "/" not in t and "\0" not in t)


@settings(max_examples=500, derandomize=True)
@given(NAME_BYTES)
def test_any_bytes_of_a_name_are_one_printable_line_that_reads_back(name):
    text = shown(name)
    assert text.isprintable() and "\n" not in text
    assert unshown(text) == name


@settings(max_examples=500, derandomize=True)
@given(NAME_TEXT)
def test_any_text_name_reads_back_and_printable_text_without_backslash_is_itself(name):
    encoded = name.encode("utf-8", "surrogatepass")
    if name.isprintable() and "\\" not in name:
        assert shown(name) == name
    try:
        os.fsdecode(encoded)
    except UnicodeDecodeError:
        return  # a lone surrogate that no file name on this system can hold
    assert unshown(shown(os.fsdecode(encoded))) == encoded


def test_the_escapes_users_read():
    assert shown(b"a\\b\n\t\xff\xc3\xa9\xe2\x80\xae.wav") == "a\\\\b\\n\\t\\xffé\\u202e.wav"
    assert file_at(Path("/data"), "flute/clip\\xff.wav") == Path(os.fsdecode(b"/data/flute/clip\xff.wav"))
