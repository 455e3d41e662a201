"""What `fit` reads from the input pipeline: each epoch's own batches, whatever epoch training starts at."""

import contextlib

import keras
import numpy as np

from data_pipeline.datasets import SplitBatches, SplitData, TrainingBatches, make_dataset


class Recorder(keras.layers.Layer):
    """Passes its input on and keeps, per step, the first value of each clip (the model runs eagerly)."""

    def __init__(self, seen: list, **kwargs):
        super().__init__(**kwargs)
        self.record = seen.append  # not the list itself: Keras would track a copy

    def call(self, x):
        with contextlib.suppress(TypeError):  # JAX tracing the model for shapes: no values, nothing read
            self.record(keras.ops.convert_to_numpy(x)[:, 0, 0, 0].copy())
        return x

    def compute_output_shape(self, input_shape):
        return input_shape


def recorded_fit(batches: TrainingBatches, initial_epoch: int, epochs: int, soft_labels=False) -> list[np.ndarray]:
    seen: list = []
    model = keras.Sequential([keras.Input((3, 2, 1)), Recorder(seen), keras.layers.Flatten(), keras.layers.Dense(4)])
    loss = keras.losses.CategoricalCrossentropy if soft_labels else keras.losses.SparseCategoricalCrossentropy
    model.compile("sgd", loss(from_logits=True), run_eagerly=True)
    run = batches.fit_input(initial_epoch, epochs)
    model.fit(
        run.x,
        steps_per_epoch=run.steps_per_epoch,
        epochs=epochs,
        initial_epoch=initial_epoch,
        callbacks=list(run.callbacks),
        shuffle=False,
        verbose=0,
    )
    return seen


def test_fit_reads_each_epochs_own_batches_whatever_epoch_it_starts_at():
    rows = 37
    features = np.arange(rows * 6, dtype=np.float32).reshape(rows, 3, 2, 1)
    batches = TrainingBatches(SplitData(features, np.arange(rows) % 4, np.array([""] * rows)), batch_size=8, seed=5)
    expected = [x[:, 0, 0, 0] for epoch in range(1, 4) for x, _ in batches.epoch(epoch)]
    seen = recorded_fit(batches, initial_epoch=1, epochs=4)
    assert len(seen) == 3 * batches.steps_per_epoch == 15
    for got, want in zip(seen, expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert not np.array_equal(np.concatenate(expected[:5]), np.concatenate(expected[5:10]))  # reshuffled per epoch


def test_fit_reads_each_epochs_own_mixed_batches():
    rows = 20
    features = np.arange(rows * 6, dtype=np.float32).reshape(rows, 3, 2, 1) + 1
    plain = TrainingBatches(SplitData(features, np.arange(rows) % 4, np.array([""] * rows)), batch_size=8, seed=2)
    batches = plain.with_mixup(0.4, 4)
    expected = [x[:, 0, 0, 0] for epoch in range(2) for x, _ in batches.epoch(epoch)]
    seen = recorded_fit(batches, initial_epoch=0, epochs=2, soft_labels=True)
    assert len(seen) == len(expected) == 6
    for got, want in zip(seen, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_split_batches_keep_the_split_order_and_its_last_partial_batch():
    rows = 10
    data = SplitData(np.arange(rows, dtype=np.float32).reshape(rows, 1, 1, 1), np.arange(rows), np.array([""] * rows))
    batches = SplitBatches(data, 4)
    assert batches.num_batches == 3
    assert [list(batches[i][1]) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    read = [(keras.ops.convert_to_numpy(x), keras.ops.convert_to_numpy(y)) for x, y in make_dataset(data, 4)]
    for (x, y), (want_x, want_y) in zip(read, (batches[i] for i in range(3)), strict=True):
        np.testing.assert_array_equal(x, want_x)
        np.testing.assert_array_equal(y, want_y)
