"""Feature extraction speed and training-input throughput: feature cache vs the seed's pipeline.

Run: python benchmarks/bench_pipeline.py [--per-class 40] [--synthetic]
The seed's pipeline (Figure 38) decodes each WAV and runs the STFT in tf.data every epoch, then
`padded_batch(32)`; ours reads the cache. Both read the same training files in the same run. Ours is
also timed through Keras: `fit` of a one-layer model, so the input dominates: on TensorFlow both its
`tf.data` input and the `PyDataset` the other backends read, each with and without mixup.
Needs TensorFlow for the seed's pipeline; the rest runs on any Keras backend.
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402
from epoch_timer import EpochTimer  # noqa: E402  (benchmarks/ is on the path of its scripts)
from keras.losses import CategoricalCrossentropy, SparseCategoricalCrossentropy  # noqa: E402

from data_pipeline.config import FeatureConfig, SplitConfig  # noqa: E402
from data_pipeline.datasets import EpochStream, FollowEpochs, TrainingBatches, load_split  # noqa: E402
from data_pipeline.demo.generate import make_demo  # noqa: E402
from data_pipeline.features_tf import log_mel, mel_weight_matrix  # noqa: E402
from data_pipeline.prepare import prepare  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402


def seed_pipeline(paths: list[str], labels: list[int], config: FeatureConfig) -> tf.data.Dataset:
    """The seed's `make_ds_simple(training=True)`: decode + STFT inside tf.data, every epoch."""
    weights = mel_weight_matrix(config)

    def load(path, label):
        audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
        return log_mel(tf.squeeze(audio, -1)[tf.newaxis], weights, config)[0], label

    ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(1000, reshuffle_each_iteration=True)
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
    return ds.padded_batch(32, padded_shapes=((config.num_mels, None, 1), [])).prefetch(tf.data.AUTOTUNE)


def clips_per_second(epoch_batches: Callable[[int], Iterable], epochs: int = 3) -> float:
    """Best epoch's throughput over `epochs` full passes, each `epoch_batches(epoch)` made and read."""
    best = 0.0
    for epoch in range(epochs):
        start, count = time.perf_counter(), 0
        for x, _ in epoch_batches(epoch):
            count += int(x.shape[0])
        best = max(best, count / (time.perf_counter() - start))
    return best


def fit_clips_per_second(batches: TrainingBatches, stream: bool = False, epochs: int = 4) -> float:
    """Best epoch's throughput of one `fit` over `epochs` epochs into a one-layer model: the backend's input
    (`tf.data` on TensorFlow), or with `stream` the `PyDataset` of the other backends."""
    model = keras.Sequential([keras.Input(batches.data.features.shape[1:]), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(batches.num_classes or 14)])  # fmt: skip
    soft = batches.mixup_alpha > 0
    model.compile("sgd", (CategoricalCrossentropy if soft else SparseCategoricalCrossentropy)(from_logits=True))
    if stream:
        run = EpochStream(batches)
        x, steps, callbacks = run, None, [FollowEpochs(run)]
    else:
        run = batches.fit_input(0, epochs)
        x, steps, callbacks = run.x, run.steps_per_epoch, list(run.callbacks)
    timer = EpochTimer()
    model.fit(x, steps_per_epoch=steps, epochs=epochs, callbacks=[*callbacks, timer], shuffle=False, verbose=0)
    return len(batches.data) / min(timer.seconds[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    config = FeatureConfig()
    with tempfile.TemporaryDirectory() as tmp:
        data, workdir = Path(tmp) / "data", Workdir(Path(tmp) / "work")
        make_demo(data, args.per_class, "14", seed=1, synthetic=args.synthetic)
        start = time.perf_counter()
        prepare(data, workdir, SplitConfig(min_clips=1), config, echo=lambda _: None)
        total = 14 * args.per_class
        prepare_rate = total / (time.perf_counter() - start)
        split = pd.read_csv(workdir.split).query("split == 'train'")
        names = sorted(split["class"].unique())
        seed_ds = seed_pipeline(
            [str(data / p) for p in split["path"]], [names.index(c) for c in split["class"]], config
        )
        batches = TrainingBatches(load_split(workdir, config, "train"), batch_size=32)
        seed_rate, cache_rate = clips_per_second(lambda _: seed_ds), clips_per_second(batches.epoch)
        mixed = batches.with_mixup(0.2, len(names))
        fit_rates = {
            (label, stream): fit_clips_per_second(b, stream)
            for label, b in (("", batches), (" + mixup", mixed))
            for stream in ([False, True] if keras.backend.backend() == "tensorflow" else [True])
        }
    print(f"{'measure':<44}{'clips/s':>12}")
    print(f"{'prepare: scan + split + extract (first run)':<44}{prepare_rate:>12.0f}")
    print(f"{'training input, seed decode+STFT pipeline':<44}{seed_rate:>12.0f}")
    print(f"{'training input, feature cache pipeline':<44}{cache_rate:>12.0f}")
    for (label, stream), rate in fit_rates.items():
        reader = "PyDataset" if stream else "tf.data"
        print(f"{f'  read by fit{label}, {reader}':<44}{rate:>12.0f}")
    print(f"cache / seed speed-up: {cache_rate / seed_rate:.1f}x")
    print(f"({len(split)} training clips, {os.cpu_count()} cores, Keras backend {keras.backend.backend()})")


if __name__ == "__main__":
    main()
