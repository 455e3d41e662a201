"""Decode one clip to the seed's format: mono float32 at the target rate, fixed length."""

from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from data_pipeline.config import FeatureConfig
from data_pipeline.errors import DataError


def fit_length(samples: np.ndarray, length: int) -> np.ndarray:
    """Zero-pad or trim a 1-D signal to exactly `length` samples."""
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, (0, length - len(samples)))


def load_clip(path: Path, config: FeatureConfig) -> np.ndarray:
    """Read any libsndfile-readable clip; average channels, resample, pad or trim."""
    try:
        samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as error:
        raise DataError(f"{path}: cannot decode audio ({error}); remove it and rerun prepare") from None
    mono = samples.mean(axis=1)
    if rate != config.sample_rate:
        mono = librosa.resample(mono, orig_sr=rate, target_sr=config.sample_rate, res_type="soxr_hq")
    return fit_length(mono.astype(np.float32), config.samples_per_clip)
