"""musicnn's front end in numpy: librosa's power Mel spectrogram with reflect padding, log10(10000 x + 1) in float32.

musicnn's own extractor casts the spectrogram to float16 before multiplying by 10,000, which overflows to inf on
loud bins; here the whole computation stays in float32 (or wider). librosa's default edge padding changed after
musicnn was trained (reflect -> constant): reflect is passed explicitly.
"""

import functools

import librosa
import numpy as np

from data_pipeline.musicnn.config import MusicnnFeatures


@functools.cache
def mel_filters(config: MusicnnFeatures) -> np.ndarray:
    """librosa's Slaney Mel filterbank, [mels, 1 + n_fft/2]."""
    return librosa.filters.mel(sr=config.sample_rate, n_fft=config.n_fft, n_mels=config.num_mels)


def log_mel(waveforms: np.ndarray, config: MusicnnFeatures) -> np.ndarray:
    """[batch, samples] -> [batch, frames, mels] float32 log10(10000 x + 1) of the Mel power spectrogram."""
    spectrum = librosa.stft(
        np.asarray(waveforms, dtype=np.float32), n_fft=config.n_fft, hop_length=config.hop_length, pad_mode="reflect"
    )
    power = np.abs(spectrum) ** 2  # [batch, bins, frames]
    mel = np.einsum("mb,nbt->ntm", mel_filters(config), power)
    return np.log10(10_000.0 * mel + 1.0).astype(np.float32)


def patches(mel: np.ndarray, frames: int) -> np.ndarray:
    """[batch, time, mels] -> [batch, patches, frames, mels]: musicnn's non-overlapping patches; time left over after
    the last whole patch is dropped, a clip shorter than a patch is zero-padded to one."""
    if mel.shape[1] < frames:
        mel = np.pad(mel, ((0, 0), (0, frames - mel.shape[1]), (0, 0)))
    count = mel.shape[1] // frames
    return mel[:, : count * frames].reshape(len(mel), count, frames, mel.shape[2])


class MelPatches:
    """Clips -> a saved musicnn model's input: the first patch of each clip, [batch, patch_frames, mels]."""

    def __init__(self, config: MusicnnFeatures):
        self.config = config

    def __call__(self, waveforms: np.ndarray) -> np.ndarray:
        if not len(waveforms):
            return np.zeros((0, *self.config.model_input_shape), np.float32)
        return patches(log_mel(waveforms, self.config), self.config.patch_frames)[:, 0]
