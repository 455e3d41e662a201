"""Log-Mel features exactly as the seed's TensorFlow pipeline (Figure 37), for batches of clips."""

import numpy as np
import tensorflow as tf

from data_pipeline.config import FeatureConfig


def mel_weight_matrix(config: FeatureConfig) -> tf.Tensor:
    """Linear-FFT-bin to Mel-band weights, [1 + n_fft/2, mels]."""
    return tf.signal.linear_to_mel_weight_matrix(
        num_mel_bins=config.num_mels,
        num_spectrogram_bins=1 + config.n_fft // 2,
        sample_rate=config.sample_rate,
        lower_edge_hertz=config.fmin,
        upper_edge_hertz=config.fmax,
        dtype=tf.float32,
    )


def log_mel(waveforms: tf.Tensor, mel_weights: tf.Tensor, config: FeatureConfig) -> tf.Tensor:
    """[batch, samples] float32 -> [batch, mels, frames, 1] natural-log Mel power."""
    stft = tf.signal.stft(waveforms, frame_length=config.n_fft, frame_step=config.hop_length, fft_length=config.n_fft)
    power = tf.square(tf.math.real(stft)) + tf.square(tf.math.imag(stft))  # |X|^2; TFLite has no complex conj
    mel = tf.math.log(tf.matmul(power, mel_weights) + config.log_offset)
    return tf.expand_dims(tf.transpose(mel, perm=[0, 2, 1]), -1)  # not [..., tf.newaxis]: TFLite lacks it


class LogMelExtractor:
    """Compiled batch log-Mel extractor for one feature configuration."""

    def __init__(self, config: FeatureConfig):
        self.config = config
        self._weights = mel_weight_matrix(config)
        self._compute = tf.function(
            lambda x: log_mel(x, self._weights, config),
            input_signature=[tf.TensorSpec([None, config.samples_per_clip], tf.float32)],
        )

    def __call__(self, waveforms: np.ndarray) -> np.ndarray:
        """[batch, samples_per_clip] -> [batch, mels, frames, 1] float32 numpy."""
        return self._compute(tf.convert_to_tensor(waveforms, tf.float32)).numpy()
