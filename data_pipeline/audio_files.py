"""Find the audio files among paths given on a command line: files as given, folders searched recursively."""

from pathlib import Path

import soundfile as sf

ALIASES = {"aif", "aifc", "oga", "opus", "snd", "wave"}  # extensions of formats libsndfile names otherwise


def audio_extensions() -> set[str]:
    """Lower-case extensions of every format this libsndfile reads (headerless RAW excepted)."""
    return {name.lower() for name in sf.available_formats() if name != "RAW"} | ALIASES


def find_audio(paths: list[Path]) -> list[Path]:
    """Files given as such (whatever their name) and, under folders, every audio file by extension (any case).

    A path that does not exist is kept: reading it reports the error for that path alone.
    """
    extensions, found = audio_extensions(), []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix[1:].lower() in extensions)
        else:
            found.append(path)
    return found
