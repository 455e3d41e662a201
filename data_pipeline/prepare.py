"""`prepare`: scan and validate a dataset, filter classes, split once, fill the feature cache."""

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from data_pipeline.cache import FeatureCache
from data_pipeline.catalog import class_counts, clip_summary, scan_dataset
from data_pipeline.config import SplitConfig
from data_pipeline.representations import Features
from data_pipeline.split import SPLITS, split_table, stratified_split
from data_pipeline.workdir import Workdir
from plumbing.atomic import write_csv_atomic, write_json_atomic
from plumbing.csv_files import read_csv
from plumbing.errors import DataError, UsageError
from plumbing.file_names import shown


def usable_clips(catalog: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Readable clips of the kept classes."""
    kept = set(counts.loc[counts["kept"], "class"])
    return catalog[(catalog["status"] == "ok") & catalog["class"].isin(kept)]


def reuse_or_split(workdir: Workdir, clips: pd.DataFrame, config: SplitConfig, resplit: bool) -> pd.DataFrame:
    """The workdir's stored split if it still matches the clips, else a new one (with --resplit).

    A split that models were trained on never changes: a new one could move their training clips
    into validation or test, and their test scores would then be measured on clips they saw.
    """
    trained = workdir.experiments()
    if workdir.split.exists() and resplit and trained:
        raise UsageError(
            f"--resplit: {workdir.root} holds models trained on its split ({', '.join(trained)}); a new split "
            "could put their training clips in validation or test: prepare into a new --workdir"
        )
    if workdir.split.exists() and not resplit:
        stored = read_csv(workdir.split)
        stored_set = set(zip(stored["path"], stored["class"], strict=True))
        current = set(zip(clips["path"], clips["class"], strict=True))
        if stored_set != current:
            todo = "prepare into a new --workdir" if trained else "rerun with --resplit to split again"
            raise DataError(
                f"data dir no longer matches {workdir.split} ({len(current - stored_set)} clips "
                f"new, {len(stored_set - current)} gone): {todo}"
            )
        return stored
    split = stratified_split(clips, config)
    write_csv_atomic(workdir.split, split)
    write_json_atomic(workdir.classes, sorted(split["class"].unique()))
    return split


def check_same_data_dir(workdir: Workdir, data_dir: Path, resplit: bool) -> None:
    """Refuse a workdir prepared from another data dir, unless its split is to be replaced."""
    stored = stored_data_dir(workdir)
    if stored is not None and stored != data_dir and workdir.split.exists() and not resplit:
        raise UsageError(
            f"--data-dir {shown(data_dir)}: {workdir.root} was prepared from {shown(stored)}: pass that, or a new "
            "--workdir"
        )


def stored_data_dir(workdir: Workdir) -> Path | None:
    """The data dir the workdir was last prepared from (None if never)."""
    info = stored_preparation(workdir)
    return Path(info["data_dir"]) if info else None


def stored_preparation(workdir: Workdir) -> dict | None:
    """What the last prepare recorded (`dataset.json`: data dir, threshold, seed), or None if never."""
    try:
        info = json.loads(workdir.dataset_info.read_text())
        return {"data_dir": str(info["data_dir"]), "min_clips": int(info["min_clips"]), **info}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{workdir.dataset_info} is damaged ({error}): delete it and prepare again") from None


def prepare(
    data_dir: Path,
    workdir: Workdir,
    split_config: SplitConfig,
    feature_config: Features,
    resplit: bool = False,
    echo: Callable[[str], None] = print,
) -> pd.DataFrame:
    """Run every prepare step, print its tables, and return the split."""
    if split_config.min_clips < 0:
        raise UsageError(f"--min-clips {split_config.min_clips} is negative: pass 0 or more")
    data_dir = Path(data_dir).resolve()
    check_same_data_dir(workdir, data_dir, resplit)
    catalog = scan_dataset(data_dir)
    if catalog.empty:
        raise DataError(f"no .wav files under {shown(data_dir)}: expected DIR/<class>/<clip>.wav")
    write_csv_atomic(workdir.catalog, catalog)
    counts = class_counts(catalog, split_config.min_clips)
    echo(f"Classes: {len(counts)}, clips: {int(counts['clips'].sum())}\n{counts.to_string()}")
    kept = counts[counts["kept"]]
    if kept.empty:
        raise DataError(
            f"no class has more than {split_config.min_clips} readable clips in {shown(data_dir)}: lower --min-clips"
        )
    dropped = counts.loc[~counts["kept"], "class"].tolist()
    echo(f"Kept {len(kept)} classes with > {split_config.min_clips} clips; dropped: {dropped or 'none'}")
    bad = catalog[catalog["status"] != "ok"]
    for row in bad.itertuples():
        echo(f"unreadable: {row.path}: {row.reason}")
    summary = clip_summary(catalog)
    echo(f"Clip summary (usable clips):\n{summary.to_string()}")
    clips = usable_clips(catalog, counts)
    split = reuse_or_split(workdir, clips, split_config, resplit)
    echo(f"Split (seed {split_config.seed}):\n{split_table(split).to_string()}")
    write_json_atomic(
        workdir.dataset_info,
        {
            "data_dir": str(data_dir),
            "min_clips": split_config.min_clips,
            "seed": split_config.seed,
            "class_counts": counts.to_dict(orient="records"),
            "clip_summary": summary.to_dict(),
            "unreadable": bad[["path", "reason"]].to_dict(orient="records"),
        },
    )
    cache_features(data_dir, workdir, catalog, split, feature_config, echo)
    return split


def cache_features(data_dir, workdir, catalog, split, config, echo) -> None:
    """Bring every split's cached features up to date with the files on disk."""
    cache = FeatureCache(workdir.feature_dir(config), config)
    stats = catalog.set_index("path")[["size", "mtime_ns"]]
    for name in SPLITS:
        rows = split[split["split"] == name]
        clips = rows[["path"]].join(stats, on="path")
        result = cache.sync(name, clips, data_dir)
        echo(f"features {name}: {result['computed']} computed, {result['reused']} reused, {result['failed']} failed")
