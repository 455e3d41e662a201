"""Keras input pipelines over the feature cache, on any backend: no WAV decoding or STFT during training.

Every training batch is a function of (seed, epoch, batch number) alone, read from the memory-mapped
cache, so a resumed run reads what an unbroken run reads. On TensorFlow `tf.data` makes them, several
at once (`datasets_tf`); on other backends `keras.utils.PyDataset`s make them when Keras asks. Not
with Keras' reader threads (`workers` > 1): its enqueuer makes batches ahead across an epoch's end
and hands the ones it drained to the next epoch, so an epoch could read batches made for another
(JAX's first peek at the data does exactly that).
"""

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

import keras
import numpy as np

from data_pipeline.cache import FeatureCache
from data_pipeline.mixup import mix_batch
from data_pipeline.representations import Features
from data_pipeline.workdir import Workdir
from plumbing.csv_files import read_csv
from plumbing.errors import DataError


@dataclass(frozen=True)
class SplitData:
    """Features, integer labels and clip paths (relative to the data dir) of one split, rows aligned."""

    features: np.ndarray
    labels: np.ndarray
    paths: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def class_names(workdir: Workdir) -> list[str]:
    """Sorted class names; a name's position is its label index."""
    if not workdir.classes.exists():
        raise DataError(f"{workdir.classes} is missing: run `python -m data_pipeline prepare` first")
    return json.loads(workdir.classes.read_text())


def load_split(workdir: Workdir, config: Features, split: str) -> SplitData:
    """Cached features and labels of one split, leaving out clips whose features failed."""
    cache = FeatureCache(workdir.feature_dir(config), config)
    index = cache.read_index(split)
    rows = read_csv(workdir.split).query("split == @split").reset_index(drop=True)
    if list(index["path"]) != list(rows["path"]):
        raise DataError(f"feature cache of {split} does not match {workdir.split}: rerun prepare")
    done = np.flatnonzero(index["status"].to_numpy() == "done")
    label_of = {name: i for i, name in enumerate(class_names(workdir))}
    labels = rows["class"].map(label_of).to_numpy(np.int32)[done]
    features = cache.open(split)
    if len(done) < len(index):
        features = features[done]
    return SplitData(features=features, labels=labels, paths=rows["path"].to_numpy()[done])


def gather(data: SplitData, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(features, labels) of `rows`, read in row order (sequential reads from the memory map)."""
    rows = np.sort(rows)
    return np.asarray(data.features[rows], dtype=np.float32), data.labels[rows]


class SplitBatches(keras.utils.PyDataset):
    """Batches in split order (validation, test)."""

    def __init__(self, data: SplitData, batch_size: int):
        super().__init__()
        self.data, self.batch_size = data, batch_size

    @property
    def num_batches(self) -> int:
        return -(-len(self.data) // self.batch_size)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        start = index * self.batch_size
        return gather(self.data, np.arange(start, min(start + self.batch_size, len(self.data))))


def on_tensorflow() -> bool:
    return keras.backend.backend() == "tensorflow"


def make_dataset(data: SplitData, batch_size: int) -> Iterable:
    """Batches in split order (validation, test): `SplitBatches`, made by `tf.data` on TensorFlow."""
    batches = SplitBatches(data, batch_size)
    if not on_tensorflow():
        return batches
    from data_pipeline.datasets_tf import keyed_batches

    return keyed_batches(batches.__getitem__, 0, batches.num_batches)


@functools.lru_cache(maxsize=4)
def epoch_order(seed: int, epoch: int, rows: int) -> np.ndarray:
    """The training order of one epoch: a function of the seed and the epoch number alone (read-only)."""
    order = np.random.default_rng([seed, epoch]).permutation(rows)
    order.flags.writeable = False
    return order


@dataclass(frozen=True)
class FitInput:
    """`fit(x, steps_per_epoch=..., callbacks=[*callbacks, ...], shuffle=False)`: Keras would reorder the batches."""

    x: object  # a tf.data.Dataset of the whole run, or an EpochStream
    steps_per_epoch: int | None
    callbacks: tuple[keras.callbacks.Callback, ...]


@dataclass(frozen=True)
class TrainingBatches:
    """Training batches whose order in each epoch is `epoch_order(seed, epoch)`.

    A shuffling input pipeline (`tf.data`'s reshuffling, Keras' `shuffle=True`) draws every epoch
    from one random stream per process, so an epoch's order would depend on what trained before it:
    a resumed trial or a promoted halving point would not see the batches an unbroken run sees.
    """

    data: SplitData
    batch_size: int
    seed: int = 42
    mixup_alpha: float = 0.0
    num_classes: int = 0

    def with_mixup(self, alpha: float, num_classes: int) -> "TrainingBatches":
        """The same batches, each mixed with itself (`data_pipeline.mixup`) when `alpha` > 0."""
        return replace(self, mixup_alpha=float(alpha), num_classes=num_classes)

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self.data) // self.batch_size)

    def batch(self, epoch: int, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch `index` of `epoch`: its rows of the epoch's order, mixed up when mixup is on."""
        rows = epoch_order(self.seed, epoch, len(self.data))[index * self.batch_size : (index + 1) * self.batch_size]
        x, y = gather(self.data, rows)
        if self.mixup_alpha <= 0:
            return x, y
        draws = np.random.default_rng([self.seed, epoch, index, 1])
        return mix_batch(x, y, draws, self.mixup_alpha, self.num_classes)

    def epoch(self, epoch: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every batch of one epoch, in order."""
        return [self.batch(epoch, index) for index in range(self.steps_per_epoch)]

    def fit_input(self, first: int, stop: int) -> FitInput:
        """What `fit` reads to train epochs `first` to `stop - 1` (its `initial_epoch` and `epochs`)."""
        if on_tensorflow():
            from data_pipeline.datasets_tf import keyed_batches

            steps = self.steps_per_epoch
            whole_run = keyed_batches(lambda step: self.batch(*divmod(step, steps)), first * steps, stop * steps)
            return FitInput(whole_run, steps, ())
        stream = EpochStream(self)
        return FitInput(stream, None, (FollowEpochs(stream),))


class EpochStream(keras.utils.PyDataset):
    """The batches of the epoch Keras is training, on backends other than TensorFlow.

    `FollowEpochs` sets the epoch in `on_epoch_begin`, before Keras reads the epoch's first batch,
    so the same epoch numbers give the same batches whatever `initial_epoch` is.
    """

    def __init__(self, batches: TrainingBatches):
        super().__init__()
        self.batches, self.epoch = batches, 0

    @property
    def num_batches(self) -> int:
        return self.batches.steps_per_epoch

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return self.batches.batch(self.epoch, index)


class FollowEpochs(keras.callbacks.Callback):
    """Points an `EpochStream` at the epoch that begins."""

    def __init__(self, stream: EpochStream):
        super().__init__()
        self.stream = stream

    def on_epoch_begin(self, epoch, logs=None):
        self.stream.epoch = epoch
