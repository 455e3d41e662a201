"""musicnn's front end in TensorFlow ops, inside an exported model: equal to `front_end.log_mel` within 1e-4
(`tests/data_pipeline/musicnn/test_front_end.py`)."""

import numpy as np
import tensorflow as tf

from data_pipeline.musicnn.config import MusicnnFeatures
from data_pipeline.musicnn.front_end import mel_filters


def graph_front_end(config: MusicnnFeatures):
    """waveform [batch, samples] -> the first log-Mel patch [batch, patch_frames, mels]."""
    filters = tf.constant(mel_filters(config).T.astype(np.float32))  # [bins, mels]
    half = config.n_fft // 2

    def front_end(waveform: tf.Tensor) -> tf.Tensor:
        padded = tf.pad(waveform, [[0, 0], [half, half]], mode="REFLECT")  # librosa's centred frames
        spectrum = tf.signal.stft(padded, config.n_fft, config.hop_length, config.n_fft, tf.signal.hann_window)
        power = tf.math.square(tf.math.real(spectrum)) + tf.math.square(tf.math.imag(spectrum))
        mel = tf.tensordot(power, filters, axes=1)
        log = tf.math.log(10_000.0 * mel + 1.0) / tf.math.log(10.0)
        return log[:, : config.patch_frames]

    return front_end
