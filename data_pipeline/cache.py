"""On-disk feature store (log-Mel spectrograms or musicnn embeddings): one memory-mappable array per split, each row
computed once.

A row is reused while its file keeps the size and mtime it had when the row was computed;
changing any constant of the representation selects another cache folder. Progress is committed
batch by batch, so a killed run keeps every finished row.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from data_pipeline.audio import load_clip
from data_pipeline.representations import Features, features_record
from plumbing.atomic import write_csv_atomic, write_json_atomic
from plumbing.errors import DataError
from plumbing.file_names import file_at

INDEX_COLUMNS = ["path", "size", "mtime_ns", "status", "reason"]
COMMIT_SECONDS = 5.0


def reserve_space(path: Path) -> None:
    """Give a memory-mapped array file its blocks now: a full disk is then an `OSError` here, not a SIGBUS when a
    row is written into a hole of the file later."""
    with open(path, "r+b") as handle:
        try:
            os.posix_fallocate(handle.fileno(), 0, os.fstat(handle.fileno()).st_size)
        except OSError as error:  # posix_fallocate names no file
            raise OSError(error.errno, error.strerror, str(path)) from None


class FeatureCache:
    """The cache folder of one feature configuration under a workdir."""

    def __init__(self, folder: Path, config: Features, batch_size: int = 64):
        self.folder = Path(folder)
        self.config = config
        self.batch_size = batch_size

    def array_path(self, split: str) -> Path:
        return self.folder / f"{split}.npy"

    def index_path(self, split: str) -> Path:
        return self.folder / f"{split}.index.csv"

    def read_index(self, split: str) -> pd.DataFrame:
        """Row status of one split: `done`, `pending` or `failed` (with a reason)."""
        path = self.index_path(split)
        if not path.exists():
            return pd.DataFrame(columns=INDEX_COLUMNS)
        return pd.read_csv(path, keep_default_na=False, dtype={"reason": str})  # every cell text: no reason is ""

    def open(self, split: str) -> np.ndarray:
        """Read-only memory map of a split's features, [clips, *config.shape]."""
        path = self.array_path(split)
        if not path.exists():
            raise DataError(
                f"no cached features at {path}: run `python -m data_pipeline prepare` (log-Mel), or the family's "
                "sweep or train.py, which compute its features first"
            )
        return np.load(path, mmap_mode="r")

    def sync(self, split: str, clips: pd.DataFrame, data_dir: Path) -> dict[str, int]:
        """Make the split's array hold current features of `clips` (path, size, mtime_ns) in order."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.folder / "config.json", features_record(self.config))
        index, array = self._aligned(split, clips.reset_index(drop=True))
        stale = np.flatnonzero(index["status"].to_numpy() != "done")
        self._compute(split, index, array, stale, Path(data_dir))
        failed = int((index["status"] == "failed").sum())
        return {"reused": len(index) - len(stale), "computed": len(stale) - failed, "failed": failed}

    def _aligned(self, split: str, clips: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """Index and writable array in the order of `clips`, keeping rows that are still valid."""
        old = self.read_index(split)
        fresh = clips[["path", "size", "mtime_ns"]].astype({"size": "int64", "mtime_ns": "int64"})
        fresh = fresh.assign(status="pending", reason="")
        shape = (len(fresh), *self.config.shape)
        path = self.array_path(split)
        same_rows = path.exists() and list(old["path"]) == list(fresh["path"])
        if same_rows:
            reserve_space(path)
            array = np.load(path, mmap_mode="r+")
            valid = self._still_valid(old, fresh)
            fresh.loc[valid, "status"] = "done"
            return fresh, array
        array = np.lib.format.open_memmap(path.with_suffix(".new.npy"), "w+", np.float32, shape)
        reserve_space(path.with_suffix(".new.npy"))
        if path.exists() and len(old):
            self._copy_valid(old, fresh, np.load(path, mmap_mode="r"), array)
        array.flush()
        path.with_suffix(".new.npy").replace(path)
        write_csv_atomic(self.index_path(split), fresh)
        return fresh, np.load(path, mmap_mode="r+")

    @staticmethod
    def _still_valid(old: pd.DataFrame, fresh: pd.DataFrame) -> np.ndarray:
        """Rows of `fresh` whose cached row in `old` is done and matches size and mtime."""
        return (
            (old["status"].to_numpy() == "done")
            & (old["size"].to_numpy(dtype=np.int64) == fresh["size"].to_numpy())
            & (old["mtime_ns"].to_numpy(dtype=np.int64) == fresh["mtime_ns"].to_numpy())
        )

    def _copy_valid(self, old, fresh, old_array, new_array) -> None:
        """Carry still-valid rows from an array of another row order into the new one."""
        old_rows = {p: i for i, p in enumerate(old["path"])}
        where = fresh["path"].map(old_rows)
        has_old = where.notna().to_numpy()
        src = where[has_old].astype(int).to_numpy()
        matched = old.iloc[src].reset_index(drop=True)
        dst = np.flatnonzero(has_old)
        keep = self._still_valid(matched, fresh.iloc[dst].reset_index(drop=True))
        for s, d in zip(src[keep], dst[keep], strict=True):
            new_array[d] = old_array[s]
        fresh.loc[dst[keep], "status"] = "done"

    def _compute(self, split, index, array, rows, data_dir) -> None:
        """Extract features for `rows` in batches, committing the index every few seconds."""
        if not len(rows):
            return
        extract = self.config.extractor()
        last_commit = time.monotonic()
        progress = tqdm(total=len(rows), desc=f"features {split}", unit="clip", disable=None)
        with ThreadPoolExecutor() as pool:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                paths = [file_at(data_dir, index.at[r, "path"]) for r in batch]
                loaded = dict(zip(batch, pool.map(self._load, paths), strict=True))
                good = [r for r, clip in loaded.items() if isinstance(clip, np.ndarray)]
                for r, reason in loaded.items():
                    if isinstance(reason, str):
                        index.loc[r, ["status", "reason"]] = ["failed", reason]
                        tqdm.write(f"skipped {index.at[r, 'path']}: {reason}")
                if good:
                    array[good] = extract(np.stack([loaded[r] for r in good]))
                index.loc[good, "status"] = "done"
                progress.update(len(batch))
                if time.monotonic() - last_commit > COMMIT_SECONDS:
                    self._commit(split, index, array)
                    last_commit = time.monotonic()
        progress.close()
        self._commit(split, index, array)

    def _load(self, path: Path) -> np.ndarray | str:
        """Decoded clip, or the reason it could not be decoded."""
        try:
            return load_clip(path, self.config)
        except DataError as error:
            return str(error)

    def _commit(self, split: str, index: pd.DataFrame, array: np.ndarray) -> None:
        """Flush computed rows to disk, then record them as done."""
        array.flush()
        write_csv_atomic(self.index_path(split), index)
