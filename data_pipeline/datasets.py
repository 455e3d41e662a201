"""`tf.data` pipelines over the feature cache: no WAV decoding or STFT during training."""

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import tensorflow as tf

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig
from data_pipeline.errors import DataError
from data_pipeline.workdir import Workdir


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
    rows = pd.read_csv(workdir.split).query("split == @split").reset_index(drop=True)
    if list(index["path"]) != list(rows["path"]):
        raise DataError(f"feature cache of {split} does not match {workdir.split}: rerun prepare")
    done = np.flatnonzero(index["status"].to_numpy() == "done")
    label_of = {name: i for i, name in enumerate(class_names(workdir))}
    labels = rows["class"].map(label_of).to_numpy(np.int32)[done]
    features = cache.open(split)
    if len(done) < len(index):
        features = features[done]
    return SplitData(features=features, labels=labels, paths=rows["path"].to_numpy()[done])


def make_dataset(data: SplitData, batch_size: int, training: bool, seed: int = 42) -> tf.data.Dataset:
    """Batches of (features, labels); training batches are reshuffled every epoch."""
    features, labels = data.features, data.labels
    frame_shape = features.shape[1:]

    def gather(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.sort(rows)  # sequential reads from the memory map; order inside a batch is free
        return np.asarray(features[rows], dtype=np.float32), labels[rows]

    def to_tensors(rows: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        x, y = tf.numpy_function(gather, [rows], [tf.float32, tf.int32], stateful=False)
        return tf.ensure_shape(x, (None, *frame_shape)), tf.ensure_shape(y, (None,))

    rows = tf.data.Dataset.range(len(labels))
    if training:
        rows = rows.shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
    batches = rows.batch(batch_size).map(to_tensors, num_parallel_calls=tf.data.AUTOTUNE)
    return batches.prefetch(tf.data.AUTOTUNE)
