"""Stratified 70/15/15 split in two stages, as the seed (Figure 34), and its count table (Figure 35)."""

import pandas as pd
from sklearn.model_selection import train_test_split

from data_pipeline.config import SplitConfig

SPLITS = ("train", "val", "test")


def stratified_split(clips: pd.DataFrame, config: SplitConfig) -> pd.DataFrame:
    """Rows `path, class, split`: test first, then validation out of the rest, both stratified."""
    clips = clips[["path", "class"]].reset_index(drop=True)
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
