"""Make sure a workdir is prepared (building the demo dataset on first use) and load its splits."""

from dataclasses import dataclass
from pathlib import Path

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.dataset_defaults import DEMO_DIR, DEMO_PER_CLASS, default_min_clips
from data_pipeline.datasets import SplitData, TrainingBatches, class_names, load_split, make_dataset
from data_pipeline.prepare import prepare, stored_preparation
from data_pipeline.representations import Features
from data_pipeline.split import SPLITS
from data_pipeline.workdir import Workdir
from experiments.training.run_options import RunOptions
from plumbing.errors import DataError, UsageError, refused_writes


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


def is_prepared(workdir: Workdir, config: Features) -> bool:
    cache = FeatureCache(workdir.feature_dir(config), config)
    return workdir.split.exists() and all(cache.index_path(split).exists() for split in SPLITS)


def open_workspace(options: RunOptions, config: Features | None = None) -> Workspace:
    """Prepare the workdir for `config`'s features (default: log-Mel) if it lacks them (making the demo dataset if
    needed), then load it.

    The workdir remembers its data dir: without --data-dir it is used again, and another one is refused.
    """
    config = config or FeatureConfig()
    workdir = Workdir(Path(options.workdir))
    if workdir.root.exists() and not workdir.root.is_dir():
        raise UsageError(f"--workdir {workdir.root} is a file: pass a folder (it is created if missing)")
    previous = stored_preparation(workdir)
    stored = Path(previous["data_dir"]) if previous else None
    given = Path(options.data_dir).resolve() if options.data_dir is not None else None
    if given is not None and stored is not None and given != stored:
        raise UsageError(
            f"--data-dir {given}: {workdir.root} was prepared from {stored}: pass that, or a new --workdir"
        )
    if not is_prepared(workdir, config):
        trained = workdir.experiments()
        if trained and not workdir.split.exists():
            raise DataError(
                f"{workdir.split} is missing, but {workdir.root} holds models trained on it ({', '.join(trained)}): "
                "restore the file, or use a new --workdir"
            )
        data_dir = given or stored or default_data(options.seed)
        min_clips = default_min_clips(previous, data_dir) if options.min_clips is None else options.min_clips
        with refused_writes("--workdir", workdir.root):
            prepare(data_dir, workdir, SplitConfig(min_clips=min_clips, seed=options.seed), config)
    return Workspace(workdir, class_names(workdir), *(load_split(workdir, config, split) for split in SPLITS))


def default_data(seed: int) -> Path:
    """The demo dataset, built on first use."""
    if not DEMO_DIR.exists():
        from data_pipeline.demo.generate import make_demo  # only here: a run on the user's data loads no demo code

        print(f"building the demo dataset in {DEMO_DIR} ({DEMO_PER_CLASS} clips per class)")
        make_demo(DEMO_DIR, DEMO_PER_CLASS, "14", seed=seed)
    return DEMO_DIR
