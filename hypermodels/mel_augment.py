"""Recording-condition augmentation of log-Mel inputs, training only: beyond the seed.

Each transform imitates audio recorded or rendered differently and is off at 0:
- `pitch_shift`: up to this many semitones up or down (band centres warped by 2^(s/12), interpolated);
- `eq_db`: a smooth random curve of band gains of up to this many dB (another microphone, room or sound set);
- `gain_db`: a level change of up to this many dB;
- `time_shift`: a shift in time of up to this fraction of the clip, `time_shift_mode` "circular" (what leaves
  one end comes back at the other) or "padded" (what leaves is lost, silence comes in);
- `noise_snr_db`: noise at a signal-to-noise ratio drawn from [this, this + 30] dB, coloured between white and
  brown (0 = no noise).
The input is natural-log Mel power (`log(P + log_offset)`, as `data_pipeline.features`); every transform
works on the power P, so a gain is exactly a gain and noise adds power. The Mel bands are the HTK-scale
triangles of `tf.signal.linear_to_mel_weight_matrix` between `fmin` and `fmax`.
"""

import keras
import numpy as np
from keras import ops

NOISE_SNR_SPAN_DB = 30.0
EQ_COSINES = 4  # smooth: the band-gain curve is a sum of this many half-cosines across the bands
TIME_SHIFT_MODES = ("circular", "padded")
NOISE_GRAIN = 0.8  # a noise bin's power varies from frame to frame by up to this factor of its mean


def hz_to_mel(hz):
    """HTK Mel scale, as TensorFlow's Mel matrix."""
    return 1127.0 * np.log1p(np.asarray(hz, dtype="float64") / 700.0)


def mel_to_hz(mel):
    return 700.0 * np.expm1(np.asarray(mel, dtype="float64") / 1127.0)


def band_edges_hz(num_mels: int, fmin: float, fmax: float) -> np.ndarray:
    """The `num_mels + 2` edges of the triangular bands (band i spans edges i..i+2, peaks at i+1)."""
    return mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), num_mels + 2))


@keras.saving.register_keras_serializable(package="instrument_tuner")
class MelAugment(keras.layers.Layer):
    """Random pitch shift, equalisation, gain, time shift and noise on log-Mel power, in training."""

    def __init__(
        self,
        pitch_shift: float = 0.0,
        eq_db: float = 0.0,
        gain_db: float = 0.0,
        time_shift: float = 0.0,
        noise_snr_db: float = 0.0,
        time_shift_mode: str = "circular",
        fmin: float = 0.0,
        fmax: float = 11_025.0,
        log_offset: float = 1e-6,
        seed: int | None = None,
        **kwargs,
    ):
        if time_shift_mode not in TIME_SHIFT_MODES:
            raise ValueError(f"time_shift_mode {time_shift_mode!r}: use one of {', '.join(TIME_SHIFT_MODES)}")
        kwargs.setdefault("dtype", "float32")  # exp/log of log-power stay in float32 under mixed precision
        super().__init__(**kwargs)
        self.pitch_shift, self.eq_db, self.gain_db = float(pitch_shift), float(eq_db), float(gain_db)
        self.time_shift, self.time_shift_mode = float(time_shift), time_shift_mode
        self.noise_snr_db = float(noise_snr_db)
        self.fmin, self.fmax, self.log_offset, self.seed = float(fmin), float(fmax), float(log_offset), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def _uniform(self, shape, low, high):
        return keras.random.uniform(shape, low, high, seed=self.seed_generator)

    def _shift_pitch(self, power, batch: int, bands: int):
        """Band i reads the power at its centre frequency / 2^(s/12), linearly between bands."""
        edges = band_edges_hz(bands, self.fmin, self.fmax)
        mel_edges = hz_to_mel(edges)
        step = mel_edges[1] - mel_edges[0]
        semitones = self._uniform((batch, 1), -self.pitch_shift, self.pitch_shift)
        source_hz = ops.convert_to_tensor(edges[1:-1], "float32")[None, :] * ops.power(2.0, -semitones / 12.0)
        source_mel = 1127.0 * ops.log1p(source_hz / 700.0)
        position = ops.clip((source_mel - float(mel_edges[0])) / float(step) - 1.0, 0.0, bands - 1.0)
        below = ops.floor(position)
        weight = (position - below)[:, :, None]
        below = ops.cast(below, "int32")
        above = ops.minimum(below + 1, bands - 1)
        mixing = ops.one_hot(below, bands) * (1.0 - weight) + ops.one_hot(above, bands) * weight
        return ops.einsum("bij,bjtc->bitc", mixing, power)

    def _equalise(self, batch: int, bands: int):
        """A smooth curve of band gains of at most `eq_db`, as power factors."""
        centres = (np.arange(bands, dtype="float32") + 0.5) / bands
        orders = np.arange(1, EQ_COSINES + 1, dtype="float32")
        phase = self._uniform((batch, EQ_COSINES, 1), 0.0, 2 * np.pi)
        amplitude = keras.random.normal((batch, EQ_COSINES, 1), seed=self.seed_generator) / orders[None, :, None]
        curve = ops.sum(amplitude * ops.cos(np.pi * orders[None, :, None] * centres[None, None, :] + phase), axis=1)
        curve = curve / (ops.max(ops.abs(curve), axis=1, keepdims=True) + 1e-6)
        decibels = curve * self._uniform((batch, 1), 0.0, self.eq_db)
        return ops.power(10.0, decibels / 10.0)[:, :, None, None]

    def _shift_time(self, power, batch: int, bands: int):
        """Each example shifted in time by up to `time_shift` of its frames (one row gather); "padded": silence in."""
        frames = ops.shape(power)[2]
        most = ops.cast(frames, "float32") * self.time_shift
        shift = ops.cast(ops.round(self._uniform((batch, 1), -1.0, 1.0) * most), "int32")
        source = ops.arange(frames, dtype="int32")[None, :] - shift
        rows = ops.reshape(ops.mod(source + frames, frames) + ops.arange(batch, dtype="int32")[:, None] * frames, (-1,))
        by_frame = ops.reshape(ops.transpose(power[..., 0], (0, 2, 1)), (-1, bands))
        shifted = ops.transpose(ops.reshape(ops.take(by_frame, rows, axis=0), (batch, frames, bands)), (0, 2, 1))
        if self.time_shift_mode == "padded":
            shifted = shifted * ops.cast(ops.logical_and(source >= 0, source < frames), shifted.dtype)[:, None, :]
        return shifted[..., None]

    def _noise(self, power, batch: int, bands: int):
        """Noise power per band and frame at a random SNR, tilted from white (0) to brown (2)."""
        edges = band_edges_hz(bands, self.fmin, self.fmax)
        width, centre = (edges[2:] - edges[:-2]) / 2.0, np.maximum(edges[1:-1], 20.0)  # triangle areas (white)
        tilt = self._uniform((batch, 1), 0.0, 2.0)
        shape = width[None, :].astype("float32") * ops.power(centre[None, :].astype("float32") / 1000.0, -tilt)
        shape = shape / ops.mean(shape, axis=1, keepdims=True)
        snr = self._uniform((batch, 1, 1, 1), self.noise_snr_db, self.noise_snr_db + NOISE_SNR_SPAN_DB)
        level = ops.mean(power, axis=(1, 2, 3), keepdims=True) / ops.power(10.0, snr / 10.0)
        grain = self._uniform(ops.shape(power), 1.0 - NOISE_GRAIN, 1.0 + NOISE_GRAIN)
        return level * shape[:, :, None, None] * grain

    def call(self, inputs, training=None):
        if not training:
            return inputs
        batch, bands = ops.shape(inputs)[0], inputs.shape[1]
        power = ops.maximum(ops.exp(ops.cast(inputs, "float32")) - self.log_offset, 0.0)
        if self.pitch_shift > 0:
            power = self._shift_pitch(power, batch, bands)
        if self.eq_db > 0:
            power = power * self._equalise(batch, bands)
        if self.gain_db > 0:
            power = power * ops.power(10.0, self._uniform((batch, 1, 1, 1), -self.gain_db, self.gain_db) / 10.0)
        if self.time_shift > 0:
            power = self._shift_time(power, batch, bands)
        if self.noise_snr_db > 0:
            power = power + self._noise(power, batch, bands)
        return ops.log(power + self.log_offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pitch_shift": self.pitch_shift,
            "eq_db": self.eq_db,
            "gain_db": self.gain_db,
            "time_shift": self.time_shift,
            "time_shift_mode": self.time_shift_mode,
            "noise_snr_db": self.noise_snr_db,
            "fmin": self.fmin,
            "fmax": self.fmax,
            "log_offset": self.log_offset,
            "seed": self.seed,
        }
