"""How many clips the demo draws of each class: one number for all, or a real dataset's counts scaled down.

The Kaggle set's own counts (seed Figure 5) give the demo the set's imbalance, 3,719 flute clips
against 131 harmonica clips, without its data.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from data_pipeline.config import SplitConfig
from data_pipeline.demo.instruments import select_instruments
from data_pipeline.split import clips_needed_per_class
from plumbing.errors import UsageError

DEFAULT_PER_CLASS = 60
MIN_SCALED_CLIPS = clips_needed_per_class(SplitConfig())  # 7: a scaled class still has a clip for each split


@dataclass(frozen=True)
class ClassCounts:
    """Clips per class of a dataset, in its own order."""

    name: str
    counts: tuple[tuple[str, int], ...]

    def scaled(self, scale: float, classes: Sequence[str]) -> dict[str, int]:
        """Each of `classes`' count times `scale`, rounded half up, and at least `MIN_SCALED_CLIPS`."""
        count_of = dict(self.counts)
        return {name: max(MIN_SCALED_CLIPS, math.floor(count_of[name] * scale + 0.5)) for name in classes}


# The seed's `display(df_counts)` of the Kaggle "Music Instrument Sounds for Classification" set
# (Figure 5 of ../shared/seed/000_d53ed674f6111fea.txt): 28 classes, 42,311 clips.
KAGGLE = ClassCounts(
    "kaggle",
    (
        ("flute", 3719),
        ("Acoustic_Guitar", 3654),
        ("Drum_set", 3648),
        ("Bass_Guitar", 3613),
        ("Accordion", 3581),
        ("Banjo", 2998),
        ("Trombone", 2965),
        ("Mandolin", 2458),
        ("Keyboard", 2041),
        ("Organ", 1442),
        ("Shakers", 1357),
        ("Electro_Guitar", 1316),
        ("Harmonium", 1314),
        ("Horn", 1258),
        ("Ukulele", 790),
        ("Clarinet", 634),
        ("Violin", 630),
        ("cowbell", 621),
        ("Piano", 575),
        ("Tambourine", 558),
        ("vibraphone", 506),
        ("Trumpet", 503),
        ("Dobro", 487),
        ("Saxophone", 454),
        ("Hi_Hats", 444),
        ("Floor_Tom", 406),
        ("Cymbals", 208),
        ("Harmonica", 131),
    ),
)
CLASS_COUNTS = {counts.name: counts for counts in (KAGGLE,)}  # `--counts NAME`


def clips_per_class(
    per_class: int | None, counts: str | None, scale: float | None, classes: str
) -> int | dict[str, int]:
    """`--per-class N` (60 when neither is given), or `--counts NAME` times `--scale` (1 when not given) for the
    classes of `--classes`."""
    if counts is None:
        if scale is not None:
            raise UsageError("--scale scales the counts of --counts: pass --counts kaggle with it, or drop it")
        return DEFAULT_PER_CLASS if per_class is None else per_class
    if per_class is not None:
        raise UsageError("--counts and --per-class: each sets how many clips a class gets; pass one")
    names = [inst.name for inst in select_instruments(classes)]
    return CLASS_COUNTS[counts].scaled(1.0 if scale is None else scale, names)
