"""Stratified 70/15/15 split in two stages, as the seed (Figure 34), and its count table (Figure 35)."""

import math

import pandas as pd
from sklearn.model_selection import train_test_split

from data_pipeline.config import SplitConfig
from plumbing.errors import DataError

SPLITS = ("train", "val", "test")
SHOWN_CLASSES = 4


def clips_needed_per_class(config: SplitConfig) -> int:
    """Fewest clips a class needs so that each split can hold at least one of its clips (7 for 70/15/15)."""
    smallest_share = min(config.test_size, (1 - config.test_size) * config.val_size_of_rest)
    return max(3, math.ceil(1 / smallest_share - 1e-3))


def check_splittable(counts: pd.Series, config: SplitConfig) -> None:
    """Refuse, with what to do, class counts (clips per kept class) that the split cannot serve."""
    if len(counts) < 2:
        names = ", ".join(counts.index) or "none"
        raise DataError(
            f"only one class is kept ({names}): a classifier needs at least 2 classes; add class "
            "folders or lower --min-clips"
        )
    needed = clips_needed_per_class(config)
    small = counts[counts < needed].sort_values(kind="stable")
    if len(small):
        shown = ", ".join(f"{name} {count}" for name, count in small.head(SHOWN_CLASSES).items())
        more = f" and {len(small) - SHOWN_CLASSES} more" if len(small) > SHOWN_CLASSES else ""
        raise DataError(
            f"cannot split 70/15/15: every class needs at least {needed} readable clips (one per split), but "
            f"{len(small)} of {len(counts)} have fewer ({shown}{more}); add clips, or pass --min-clips "
            f"{needed - 1} to drop those classes"
        )


def stratified_split(clips: pd.DataFrame, config: SplitConfig) -> pd.DataFrame:
    """Rows `path, class, split`: test first, then validation out of the rest, both stratified."""
    clips = clips[["path", "class"]].reset_index(drop=True)
    check_splittable(clips["class"].value_counts(), config)
    rest, test = train_test_split(clips, test_size=config.test_size, stratify=clips["class"], random_state=config.seed)
    train, val = train_test_split(
        rest, test_size=config.val_size_of_rest, stratify=rest["class"], random_state=config.seed
    )
    parts = [part.assign(split=name) for name, part in zip(SPLITS, (train, val, test), strict=True)]
    return pd.concat(parts, ignore_index=True)


def split_table(split: pd.DataFrame) -> pd.DataFrame:
    """Per-class clip counts of each split with row and column totals (Figure 35)."""
    table = pd.crosstab(split["class"], split["split"]).reindex(columns=list(SPLITS), fill_value=0)
    table.columns = [c.capitalize() for c in table.columns]
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    return table.astype(int)
