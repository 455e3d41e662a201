"""`tf.data` pipelines over the feature cache: no WAV decoding or STFT during training."""

import json
from dataclasses import dataclass, replace

import numpy as np
import tensorflow as tf

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig
from data_pipeline.mixup import mix_batch
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


def load_split(workdir: Workdir, config: FeatureConfig, split: str) -> SplitData:
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


def read_batches(data: SplitData, row_batches: tf.data.Dataset) -> tf.data.Dataset:
    """(features, labels) for each batch of row numbers, read from the memory-mapped cache."""
    features, labels = data.features, data.labels
    frame_shape = features.shape[1:]

    def gather(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.sort(rows)  # sequential reads from the memory map; order inside a batch is free
        return np.asarray(features[rows], dtype=np.float32), labels[rows]

    def to_tensors(rows: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        x, y = tf.numpy_function(gather, [rows], [tf.float32, tf.int32], stateful=False)
        return tf.ensure_shape(x, (None, *frame_shape)), tf.ensure_shape(y, (None,))

    return row_batches.map(to_tensors, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def make_dataset(data: SplitData, batch_size: int) -> tf.data.Dataset:
    """Batches in split order (validation, test)."""
    return read_batches(data, tf.data.Dataset.range(len(data)).batch(batch_size))


def epoch_order(seed: int, epoch: int, rows: int) -> np.ndarray:
    """The training order of one epoch: a function of the seed and the epoch number alone."""
    return np.random.default_rng([seed, epoch]).permutation(rows)


@dataclass(frozen=True)
class TrainingBatches:
    """Training batches whose order in each epoch is `epoch_order(seed, epoch)`.

    `tf.data`'s own reshuffling draws every epoch from one random stream per dataset object, so an
    epoch's order would depend on what trained before it in the process: a resumed trial or a
    promoted halving point would not see the batches an unbroken run sees.
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

    def epochs(self, first: int, stop: int) -> tf.data.Dataset:
        """The batches of epochs `first` to `stop - 1`, one after another (fit with `steps_per_epoch`)."""
        count, seed, batch_size = len(self.data), self.seed, self.batch_size

        def order(epoch: np.ndarray) -> np.ndarray:
            return epoch_order(seed, int(epoch), count).astype(np.int64)

        def one_epoch(epoch: tf.Tensor) -> tf.data.Dataset:
            rows = tf.ensure_shape(tf.numpy_function(order, [epoch], tf.int64, stateful=False), [count])
            return tf.data.Dataset.from_tensor_slices(rows).batch(batch_size)

        batches = read_batches(self.data, tf.data.Dataset.range(first, stop).flat_map(one_epoch))
        return self._mixed(batches, first) if self.mixup_alpha > 0 else batches

    def _mixed(self, batches: tf.data.Dataset, first: int) -> tf.data.Dataset:
        """Mixup of every batch, drawn from (seed, epoch, batch) alone like the batch order."""
        steps, seed, alpha, classes = self.steps_per_epoch, self.seed, self.mixup_alpha, self.num_classes
        frame_shape = self.data.features.shape[1:]

        def mix(step: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            epoch, batch = divmod(int(step), steps)
            return mix_batch(x, y, np.random.default_rng([seed, first + epoch, batch, 1]), alpha, classes)

        def to_tensors(step: tf.Tensor, xy: tuple[tf.Tensor, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
            x, y = tf.numpy_function(mix, [step, *xy], [tf.float32, tf.float32], stateful=False)
            return tf.ensure_shape(x, (None, *frame_shape)), tf.ensure_shape(y, (None, classes))

        return batches.enumerate().map(to_tensors, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
