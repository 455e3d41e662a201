"""Which data and class threshold a run uses when not told: the demo dataset, and the seed's or the demo's filter."""

import os
from pathlib import Path

DEMO_DIR = Path("data/demo")  # the dataset a run without --data-dir trains on (built on first use)
DEMO_PER_CLASS = 60
DEMO_MIN_CLIPS = 40
SEED_MIN_CLIPS = 1000  # the seed's filter: 14 of the Kaggle set's 28 classes have more clips


def is_demo_dir(data_dir: Path) -> bool:
    """Whether `data_dir` is the demo's folder, however it is spelled (relative, absolute, through a link)."""
    try:
        return os.path.samefile(data_dir, DEMO_DIR)
    except OSError:  # one of them does not exist (yet)
        return Path(data_dir).resolve() == DEMO_DIR.resolve()


def default_min_clips(previous: dict | None, data_dir: Path) -> int:
    """The threshold the workdir was prepared with, else the demo's or the seed's."""
    if previous:
        return previous["min_clips"]
    return DEMO_MIN_CLIPS if is_demo_dir(data_dir) else SEED_MIN_CLIPS
