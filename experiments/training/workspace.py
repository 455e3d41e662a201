"""Make sure a workdir is prepared (building the demo dataset on first use) and load its splits."""

from dataclasses import dataclass
from pathlib import Path

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.datasets import SplitData, TrainingBatches, class_names, load_split, make_dataset
from data_pipeline.prepare import prepare
from data_pipeline.split import SPLITS
from data_pipeline.workdir import Workdir
from experiments.training.run_options import DEMO_DIR, RunOptions
from plumbing.errors import UsageError, refused_writes

DEMO_PER_CLASS = 60
DEMO_MIN_CLIPS = 40
SEED_MIN_CLIPS = 1000


@dataclass(frozen=True)
class Workspace:
    """A prepared workdir with its class names and the three splits from the feature cache."""

    workdir: Workdir
    names: list[str]
    train: SplitData
    val: SplitData
    test: SplitData

    def datasets(self, batch_size: int, seed: int):
        """(train, val) `tf.data` pipelines."""
        return TrainingBatches(self.train, batch_size, seed), make_dataset(self.val, batch_size)


def is_prepared(workdir: Workdir, config: FeatureConfig) -> bool:
    cache = FeatureCache(workdir.feature_dir(config), config)
    return workdir.split.exists() and all(cache.index_path(split).exists() for split in SPLITS)


def open_workspace(options: RunOptions, config: FeatureConfig = FeatureConfig()) -> Workspace:
    """Prepare the workdir if it lacks it (making the demo dataset if needed), then load it."""
    workdir = Workdir(Path(options.workdir))
    if workdir.root.exists() and not workdir.root.is_dir():
        raise UsageError(f"--workdir {workdir.root} is a file: pass a folder (it is created if missing)")
    if not is_prepared(workdir, config):
        data_dir = options.data_dir or DEMO_DIR
        if options.data_dir is None and not DEMO_DIR.exists():
            from data_pipeline.demo.generate import make_demo  # only here: a run on the user's data loads no demo code

            print(f"building the demo dataset in {DEMO_DIR} ({DEMO_PER_CLASS} clips per class)")
            make_demo(DEMO_DIR, DEMO_PER_CLASS, "14", seed=options.seed)
        default_min = DEMO_MIN_CLIPS if options.data_dir is None else SEED_MIN_CLIPS
        min_clips = default_min if options.min_clips is None else options.min_clips
        with refused_writes("--workdir", workdir.root):
            prepare(data_dir, workdir, SplitConfig(min_clips=min_clips, seed=options.seed), config)
    return Workspace(workdir, class_names(workdir), *(load_split(workdir, config, split) for split in SPLITS))
