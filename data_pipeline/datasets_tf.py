"""TensorFlow's input: the keyed batches of `data_pipeline.datasets`, several made at once by `tf.data`.

Keras reads a `PyDataset` on TensorFlow through one Python generator; `tf.data`'s parallel map makes
several batches at a time (numpy releases the GIL while it reads the memory map and mixes clips), so
on TensorFlow the same batches arrive faster (benchmarks/bench_pipeline.py). Each element is
`make(key)`, the function the other backends call, in key order: the batches are the same bit for bit.
"""

from collections.abc import Callable

import numpy as np
import tensorflow as tf


def keyed_batches(make: Callable[[int], tuple[np.ndarray, np.ndarray]], first: int, stop: int) -> tf.data.Dataset:
    """`make(key)` for each key in `first..stop - 1`, in order."""
    x0, y0 = make(first)  # every batch's dtypes and shapes but the first dimension

    def to_tensors(key: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        x, y = tf.numpy_function(lambda k: make(int(k)), [key], [x0.dtype, y0.dtype], stateful=False)
        return tf.ensure_shape(x, (None, *x0.shape[1:])), tf.ensure_shape(y, (None, *y0.shape[1:]))

    return tf.data.Dataset.range(first, stop).map(to_tensors, num_parallel_calls=tf.data.AUTOTUNE).prefetch(2)
