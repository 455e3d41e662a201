"""The demo's `--out` folder: written only when missing, empty, or a demo dataset holding nothing else.

A rerun replaces what an earlier demo wrote there (its marker, its clip list, its class folders of
`<n>.wav`) and nothing else: a folder holding anything the demo did not write is refused untouched.
"""

import json
import shutil
from pathlib import Path

from data_pipeline.demo.instruments import select_instruments
from plumbing.errors import UsageError

MARKER = ".demo.json"  # the settings of the demo that wrote the folder, and its class folders
CLIPS_LIST = ".demo_clips.csv"  # class, file, style, program of every clip


def marked_folders(out: Path) -> set[str]:
    """The class folders the demo that wrote `out` made (a marker without them names its classes)."""
    try:
        settings = json.loads((out / MARKER).read_text())
    except ValueError:
        return set()  # a damaged marker vouches for nothing
    if "folders" in settings:
        return set(settings["folders"])
    spec = settings["classes"]
    return set(spec) if isinstance(spec, dict) else {inst.name for inst in select_instruments(spec)}


def is_clip_folder(folder: Path) -> bool:
    """A class folder as the demo writes it: only `<n>.wav` files."""
    return not folder.is_symlink() and all(
        p.is_file() and not p.is_symlink() and p.suffix == ".wav" and p.stem.isdigit() for p in folder.iterdir()
    )


def foreign_entries(out: Path) -> list[Path]:
    """What in an existing `out` no demo wrote (everything, when `out` holds no marker)."""
    if not (out / MARKER).is_file():
        return sorted(out.iterdir())
    own = marked_folders(out)
    return sorted(
        p
        for p in out.iterdir()
        if p.name not in (MARKER, CLIPS_LIST) and not (p.name in own and p.is_dir() and is_clip_folder(p))
    )


def reset_output(out: Path, settings: dict, folders: list[str]) -> None:
    """Make `out` an empty demo dataset marked with `settings`; refuse a file or a folder holding others' files."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file: pass a folder for the demo dataset (a new one, or an earlier demo's)")
    if out.is_dir():
        foreign = foreign_entries(out)
        if foreign:
            raise UsageError(
                f"--out {out} holds files the demo did not write ({foreign[0]}"
                f"{f' and {len(foreign) - 1} more' if len(foreign) > 1 else ''}): choose a new or empty folder"
            )
        for entry in out.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot make the folder ({error.strerror}): choose another one") from None
    (out / MARKER).write_text(json.dumps({**settings, "folders": folders}, indent=2))
