"""The seed's log-Mel in TensorFlow ops (Figure 37): the exported model's in-graph front end.

Needs TensorFlow; training and prediction use `data_pipeline.features`, its numpy twin.
"""

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
