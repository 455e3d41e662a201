"""Decode audio to the seed's format: mono float32 at the target rate; fixed-length clips and windows."""

import os
from collections.abc import Iterator
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from data_pipeline.representations import Features
from plumbing.errors import DataError
from plumbing.file_names import shown

STREAM_SECONDS = 60.0  # predict decodes longer files a block of about this much audio at a time
RESAMPLE_MARGIN_SECONDS = 0.1  # decoded beyond a clip or block, so the resampler's edge effects fall outside it


def fit_length(samples: np.ndarray, length: int) -> np.ndarray:
    """Zero-pad or trim a 1-D signal to exactly `length` samples."""
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, (0, length - len(samples)))


def decode_audio(path: Path, config: Features, start: int = 0, frames: int = -1) -> np.ndarray:
    """A libsndfile-readable file (whole, or `frames` from frame `start`): channels averaged, at the feature rate."""
    check_regular(path)
    try:
        samples, rate = sf.read(os.fsencode(path), start=start, frames=frames, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError, ValueError) as error:
        raise DataError(f"{shown(path)}: cannot decode audio ({shown(str(error))})") from None
    if not len(samples):
        raise DataError(f"{shown(path)}: no audio samples")
    if not np.isfinite(samples).all():
        raise DataError(f"{shown(path)}: holds non-finite samples (NaN or inf): re-export it as finite audio")
    mono = samples.mean(axis=1)
    if rate != config.sample_rate:
        mono = librosa.resample(mono, orig_sr=rate, target_sr=config.sample_rate, res_type="soxr_hq")
    return mono.astype(np.float32)


def check_regular(path: Path) -> None:
    """Refuse what is not a regular file (a FIFO or a device would block or never end, a folder has no audio)."""
    if not Path(path).is_file():
        what = "does not exist" if not Path(path).exists() else "is not a regular file (a FIFO, a device or a folder)"
        raise DataError(f"{shown(path)}: {what}: pass audio files")


def source_rate(path: Path) -> tuple[int, int]:
    """The file's own sample rate and length in frames (header only)."""
    check_regular(path)
    try:
        info = sf.info(os.fsencode(path))
    except (sf.LibsndfileError, RuntimeError, OSError) as error:
        raise DataError(f"{shown(path)}: cannot decode audio ({shown(str(error))})") from None
    return info.samplerate, info.frames


def load_clip(path: Path, config: Features) -> np.ndarray:
    """One training clip: its first clip length (and a margin for the resampler) decoded, padded or trimmed.

    Only that much of the file is read, so a 2-hour file costs what a 3-second one does.
    """
    rate, _ = source_rate(path)
    frames = int(np.ceil((config.clip_seconds + RESAMPLE_MARGIN_SECONDS) * rate))
    return fit_length(decode_audio(path, config, frames=frames), config.samples_per_clip)


def stream_windows(path: Path, config: Features, window_seconds: float, hop_seconds: float) -> Iterator[np.ndarray]:
    """The windows `cut_windows` cuts from the whole file, decoded about `STREAM_SECONDS` of audio at a time.

    A file up to twice that is decoded whole (its windows are exactly `cut_windows`'); a longer one
    in blocks of whole windows, each resampled on its own with a margin on both sides (the
    resampler's edges fall outside the windows): memory is bounded by the block, not the file.
    """
    rate, frames = source_rate(path)
    if frames <= 2 * STREAM_SECONDS * rate:
        yield cut_windows(decode_audio(path, config), config, window_seconds, hop_seconds)
        return
    window, hop = (int(round(seconds * config.sample_rate)) for seconds in (window_seconds, hop_seconds))
    length = int(np.ceil(frames * config.sample_rate / rate))  # the whole decoded file's length
    count = 1 + max(0, int(np.ceil((length - window) / hop)))
    per_block = max(1, int(STREAM_SECONDS * config.sample_rate) // hop)
    for first in range(0, count, per_block):
        starts = [k * hop for k in range(first, min(count, first + per_block))]
        yield windows_at(path, config, starts, window, rate, frames)


def windows_at(path: Path, config: Features, starts: list[int], window: int, rate: int, frames: int) -> np.ndarray:
    """The windows starting at `starts` (feature-rate samples), decoding only the stretch of file they cover."""
    scale, margin = rate / config.sample_rate, int(np.ceil(RESAMPLE_MARGIN_SECONDS * rate))
    begin = max(0, int(np.floor(starts[0] * scale)) - margin)
    end = min(frames, int(np.ceil((starts[-1] + window) * scale)) + margin)
    block = decode_audio(path, config, start=begin, frames=end - begin)
    offset = int(round(begin / scale))  # where the block starts, in feature-rate samples
    return np.stack([fit_length(block[s - offset : s - offset + window], config.samples_per_clip) for s in starts])


def cut_windows(signal: np.ndarray, config: Features, window_seconds: float, hop_seconds: float) -> np.ndarray:
    """[windows, samples_per_clip]: windows of `window_seconds` every `hop_seconds` covering the whole signal.

    Each window is padded as a training clip is; a signal no longer than one window gives one window.
    """
    window = int(round(window_seconds * config.sample_rate))
    hop = int(round(hop_seconds * config.sample_rate))
    count = 1 + max(0, int(np.ceil((len(signal) - window) / hop)))
    return np.stack([fit_length(signal[k * hop : k * hop + window], config.samples_per_clip) for k in range(count)])
