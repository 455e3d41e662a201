"""SpecAugment masking (Park et al., 2019): random time and frequency bands, training only.

Beyond the seed; off unless a search space sets `time_mask` or `freq_mask` above 0.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="instrument_tuner")
class SpecAugment(keras.layers.Layer):
    """Masks one random band of up to `time_mask` frames and one of up to `freq_mask` Mel bins."""

    def __init__(self, time_mask: int = 0, freq_mask: int = 0, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.time_mask = int(time_mask)
        self.freq_mask = int(freq_mask)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def _mask(self, x, fill, axis: int, width: int):
        """Replace one random band along `axis` (1 = Mel, 2 = time) with `fill`."""
        batch, size = ops.shape(x)[0], ops.shape(x)[axis]
        widths = keras.random.randint((batch, 1, 1, 1), 0, width + 1, seed=self.seed_generator)
        room = ops.cast(ops.maximum(size - widths, 1), "float32")
        unit = keras.random.uniform((batch, 1, 1, 1), seed=self.seed_generator)
        starts = ops.cast(unit * room, "int32")
        positions = ops.arange(size, dtype="int32")
        positions = ops.reshape(positions, (1, -1, 1, 1) if axis == 1 else (1, 1, -1, 1))
        inside = ops.logical_and(positions >= starts, positions < starts + widths)
        return ops.where(inside, fill, x)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        x, fill = inputs, ops.mean(inputs, axis=(1, 2, 3), keepdims=True)  # each example's mean
        if self.freq_mask > 0:
            x = self._mask(x, fill, 1, self.freq_mask)
        if self.time_mask > 0:
            x = self._mask(x, fill, 2, self.time_mask)
        return x

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "time_mask": self.time_mask,
            "freq_mask": self.freq_mask,
            "seed": self.seed,
        }
