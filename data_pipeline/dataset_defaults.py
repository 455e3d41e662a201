"""Which data and class threshold a run uses when not told: the demo dataset, and the seed's or the demo's filter."""

from pathlib import Path

DEMO_DIR = Path("data/demo")  # the dataset a run without --data-dir trains on (built on first use)
DEMO_PER_CLASS = 60
DEMO_MIN_CLIPS = 40
SEED_MIN_CLIPS = 1000


def default_min_clips(previous: dict | None, data_dir: Path) -> int:
    """The threshold the workdir was prepared with, else the demo's or the seed's."""
    if previous:
        return previous["min_clips"]
    return DEMO_MIN_CLIPS if data_dir == DEMO_DIR else SEED_MIN_CLIPS
