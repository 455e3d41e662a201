"""Decode audio to the seed's format: mono float32 at the target rate; fixed-length clips and windows."""

from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from data_pipeline.config import FeatureConfig
from plumbing.errors import DataError


def fit_length(samples: np.ndarray, length: int) -> np.ndarray:
    """Zero-pad or trim a 1-D signal to exactly `length` samples."""
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, (0, length - len(samples)))


def decode_audio(path: Path, config: FeatureConfig) -> np.ndarray:
    """Read any libsndfile-readable file, whole: channels averaged, resampled to the feature rate."""
    try:
        samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as error:
        raise DataError(f"{path}: cannot decode audio ({error})") from None
    if not len(samples):
        raise DataError(f"{path}: no audio samples")
    if not np.isfinite(samples).all():
        raise DataError(f"{path}: holds non-finite samples (NaN or inf): re-export it as finite audio")
    mono = samples.mean(axis=1)
    if rate != config.sample_rate:
        mono = librosa.resample(mono, orig_sr=rate, target_sr=config.sample_rate, res_type="soxr_hq")
    return mono.astype(np.float32)


def load_clip(path: Path, config: FeatureConfig) -> np.ndarray:
    """One training clip: decoded, then padded or trimmed to the clip length."""
    return fit_length(decode_audio(path, config), config.samples_per_clip)


def cut_windows(signal: np.ndarray, config: FeatureConfig, window_seconds: float, hop_seconds: float) -> np.ndarray:
    """[windows, samples_per_clip]: windows of `window_seconds` every `hop_seconds` covering the whole signal.

    Each window is padded as a training clip is; a signal no longer than one window gives one window.
    """
    window = int(round(window_seconds * config.sample_rate))
    hop = int(round(hop_seconds * config.sample_rate))
    count = 1 + max(0, int(np.ceil((len(signal) - window) / hop)))
    return np.stack([fit_length(signal[k * hop : k * hop + window], config.samples_per_clip) for k in range(count)])
