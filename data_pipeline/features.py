"""Log-Mel features as the seed's `tf.signal` pipeline computes them (Figure 37), in numpy on any backend.

Equal to `data_pipeline.features_tf` (the seed's TensorFlow ops) within 1e-5 on real clips
(`tests/data_pipeline/test_features.py`), so caches made by either are the same cache.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import fft, signal

from data_pipeline.config import FeatureConfig

CLIPS_PER_FFT = 16  # clips transformed at once: about 30 MiB of float64 frames for the seed's settings


def hertz_to_mel(hertz: np.ndarray | float) -> np.ndarray:
    """HTK's Mel scale, the one `tf.signal` uses."""
    return 1127.0 * np.log1p(np.asarray(hertz, dtype=np.float64) / 700.0)


def mel_weight_matrix(config: FeatureConfig) -> np.ndarray:
    """Linear-FFT-bin to Mel-band weights, [1 + n_fft/2, mels]: `tf.signal.linear_to_mel_weight_matrix`'s triangles.

    Triangles are linear in Mel between band edges spaced evenly in Mel; the DC bin gets no weight.
    """
    bins = 1 + config.n_fft // 2
    bin_mels = hertz_to_mel(np.linspace(0.0, config.sample_rate / 2.0, bins)[1:])[:, None]
    edges = np.linspace(hertz_to_mel(config.fmin), hertz_to_mel(config.fmax), config.num_mels + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (bin_mels - lower) / (center - lower)
    falling = (upper - bin_mels) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.pad(weights, [(1, 0), (0, 0)]).astype(np.float32)


class LogMelExtractor:
    """Batch log-Mel extractor for one feature configuration."""

    def __init__(self, config: FeatureConfig):
        self.config = config
        self._weights = mel_weight_matrix(config).astype(np.float64)
        self._window = signal.get_window("hann", config.n_fft, fftbins=True)  # periodic, as tf.signal.hann_window

    def __call__(self, waveforms: np.ndarray) -> np.ndarray:
        """[batch, samples_per_clip] -> [batch, mels, frames, 1] float32 natural-log Mel power."""
        waveforms = np.asarray(waveforms, dtype=np.float32)
        parts = [self._log_mel(waveforms[i : i + CLIPS_PER_FFT]) for i in range(0, len(waveforms), CLIPS_PER_FFT)]
        mels, frames = self.config.num_mels, self.config.num_frames
        return np.concatenate(parts) if parts else np.zeros((0, mels, frames, 1), np.float32)

    def _log_mel(self, waveforms: np.ndarray) -> np.ndarray:
        config = self.config
        frames = sliding_window_view(waveforms, config.n_fft, axis=-1)[:, :: config.hop_length]
        spectrum = fft.rfft(frames * self._window, n=config.n_fft, axis=-1)
        power = spectrum.real**2 + spectrum.imag**2
        mel = np.log(power @ self._weights + config.log_offset)
        return np.transpose(mel, (0, 2, 1))[..., None].astype(np.float32)
