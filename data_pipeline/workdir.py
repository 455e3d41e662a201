"""Every path of a prepared workdir, defined once."""

from dataclasses import dataclass
from pathlib import Path

from data_pipeline.representations import Features

EXPERIMENT_INFO = "experiment.json"  # what marks W/<name>/ as an experiment with results (a sweep or fixed model)


@dataclass(frozen=True)
class Workdir:
    """Files that `prepare` writes under one workdir."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.csv"

    @property
    def split(self) -> Path:
        return self.root / "split.csv"

    @property
    def classes(self) -> Path:
        return self.root / "classes.json"

    @property
    def dataset_info(self) -> Path:
        """Data dir, threshold, class counts and clip summary of the last prepare."""
        return self.root / "dataset.json"

    @property
    def tensorboard_id(self) -> Path:
        """Random id made once per workdir: its TensorBoard folder never meets another workdir's."""
        return self.root / "tensorboard_id.txt"

    def experiments(self) -> list[str]:
        """Names of the experiment folders holding results: models trained on this workdir's split."""
        return sorted(path.parent.name for path in self.root.glob(f"*/{EXPERIMENT_INFO}"))

    def external_dir(self, name: str) -> Path:
        """Results of one outside test set (`evaluate.py --name NAME`)."""
        return self.root / "external" / name

    def feature_dir(self, config: Features) -> Path:
        """Cache folder of one representation's settings."""
        return self.root / "features" / config.fingerprint()
