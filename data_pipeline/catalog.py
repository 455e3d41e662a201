"""Scan a class-per-folder dataset, reading WAV headers only, into a catalog of clips."""

import os
import struct
from pathlib import Path

import pandas as pd
import soundfile as sf
from tqdm.auto import tqdm

from plumbing.errors import DataError
from plumbing.file_names import shown

CATALOG_COLUMNS = [
    "path",
    "class",
    "samplerate",
    "channels",
    "frames",
    "duration",
    "status",
    "reason",
    "size",
    "mtime_ns",
]
STREAMING_SIZE = 0xFFFFFFFF


def list_class_dirs(data_dir: Path) -> list[Path]:
    """Class folders of a dataset: its visible sub-folders, sorted by name."""
    if not data_dir.is_dir():
        problem = "is not a folder" if data_dir.exists() else "does not exist"
        raise DataError(f"data dir {shown(data_dir)} {problem}: pass --data-dir with one folder per class")
    dirs = sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not dirs:
        raise DataError(f"data dir {shown(data_dir)} has no class folders: expected DIR/<class>/<clip>.wav")
    return dirs


def riff_truncation(path: Path, size: int) -> str | None:
    """Why a RIFF/WAVE file's data chunk is cut short, or None when it is whole (or not RIFF)."""
    with open(path, "rb") as handle:
        if handle.read(12)[8:12] != b"WAVE":
            return None
        offset = 12
        while offset + 8 <= size:
            handle.seek(offset)
            chunk_id, chunk_size = struct.unpack("<4sI", handle.read(8))
            if chunk_id == b"data":
                missing = offset + 8 + chunk_size - size
                if chunk_size != STREAMING_SIZE and missing > 0:
                    return f"truncated: data chunk declares {chunk_size} bytes, {missing} missing"
                return None
            offset += 8 + chunk_size + (chunk_size & 1)
    return "truncated: no data chunk"


def inspect_clip(path: Path) -> dict:
    """Header facts of one file and whether it is usable (`ok`) or not (`unreadable`, reason)."""
    row = {"samplerate": None, "channels": None, "frames": None, "duration": None}
    if path.is_dir():
        return {**row, "status": "unreadable", "reason": "is a folder, not a file", "size": 0}
    if path.exists() and not path.is_file():
        return {**row, "status": "unreadable", "reason": "not a regular file (a FIFO or a device)", "size": 0}
    try:
        stat = path.stat()
        if stat.st_size == 0:
            reason = "empty file (0 bytes)"
        else:
            info = sf.info(os.fsencode(path))
            row = {
                "samplerate": info.samplerate,
                "channels": info.channels,
                "frames": info.frames,
                "duration": info.frames / info.samplerate if info.samplerate else None,
            }
            reason = riff_truncation(path, stat.st_size) or ("no audio samples" if not info.frames else "")
    except PermissionError:
        return {**row, "status": "unreadable", "reason": "permission denied", "size": 0}
    except (sf.LibsndfileError, RuntimeError, OSError) as error:
        reason, stat = shown(f"not decodable audio: {error}"), path.lstat()
    status = "unreadable" if reason else "ok"
    return {**row, "status": status, "reason": reason, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def catalog_row(class_name: str, entry: Path) -> dict:
    """One catalog row: its class and `class/clip` path as `shown` writes names (any name, read back by
    `plumbing.file_names.file_at`), and its header facts."""
    return {"path": shown(f"{class_name}/{entry.name}"), "class": shown(class_name), **inspect_clip(entry)}


def scan_dataset(data_dir: Path) -> pd.DataFrame:
    """One row per `.wav` entry (any letter case) of every class folder, with header facts."""
    data_dir = Path(data_dir)
    entries = [
        (class_dir.name, entry)
        for class_dir in list_class_dirs(data_dir)
        for entry in sorted(class_dir.iterdir())
        if entry.name.lower().endswith(".wav")
    ]
    rows = [
        catalog_row(name, entry) for name, entry in tqdm(entries, desc="scan", unit="file", leave=False, disable=None)
    ]
    frame = pd.DataFrame(rows, columns=CATALOG_COLUMNS)
    frame["reason"] = frame["reason"].fillna("")
    return frame


def class_counts(catalog: pd.DataFrame, min_clips: int) -> pd.DataFrame:
    """Per class: usable clips, unreadable files and whether it is kept (strictly > min_clips)."""
    usable = catalog[catalog["status"] == "ok"].groupby("class").size()
    bad = catalog[catalog["status"] != "ok"].groupby("class").size()
    names = sorted(set(catalog["class"]))
    table = pd.DataFrame(
        {
            "class": names,
            "clips": [int(usable.get(n, 0)) for n in names],
            "unreadable": [int(bad.get(n, 0)) for n in names],
        }
    )
    table["kept"] = table["clips"] > min_clips
    return table.sort_values(["clips", "class"], ascending=[False, True]).reset_index(drop=True)


def clip_summary(catalog: pd.DataFrame) -> pd.DataFrame:
    """Min, median and max of sample rate, channels and duration over usable clips."""
    usable = catalog[catalog["status"] == "ok"][["samplerate", "channels", "duration"]]
    return usable.astype(float).agg(["min", "median", "max"])
