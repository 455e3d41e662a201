"""Files decoded for prediction and cut into training-sized windows (long ones a block at a time); audio in folders."""

import tracemalloc

import numpy as np
import soundfile as sf

from data_pipeline.audio import STREAM_SECONDS, cut_windows, decode_audio, load_clip, stream_windows
from data_pipeline.audio_files import find_audio
from data_pipeline.config import FeatureConfig

CONFIG = FeatureConfig()
RATE = CONFIG.sample_rate


def ramp(seconds: float) -> np.ndarray:
    """Distinct, non-zero samples: a window's position shows in its values."""
    return np.linspace(0.01, 0.9, int(round(seconds * RATE)), dtype=np.float32)


def test_a_signal_no_longer_than_a_window_is_one_padded_window():
    for seconds in (0.5, 3.0):
        windows = cut_windows(ramp(seconds), CONFIG, 3.0, 1.5)
        assert windows.shape == (1, CONFIG.samples_per_clip)
        assert np.count_nonzero(windows) == int(round(seconds * RATE))


def test_a_long_signal_is_covered_by_windows_every_hop():
    signal = ramp(10.0)
    windows = cut_windows(signal, CONFIG, 3.0, 1.5)
    assert windows.shape == (6, CONFIG.samples_per_clip)  # starts 0, 1.5, ..., 7.5 s: the last reaches 10.5 s
    hop = int(1.5 * RATE)
    for k, window in enumerate(windows):
        part = signal[k * hop : k * hop + CONFIG.samples_per_clip]
        assert np.array_equal(window[: len(part)], part) and not window[len(part) :].any()


def test_shorter_windows_are_padded_to_the_clip_length():
    windows = cut_windows(ramp(4.0), CONFIG, 2.0, 2.0)
    assert windows.shape == (2, CONFIG.samples_per_clip)
    assert not windows[:, 2 * RATE :].any() and windows[:, : 2 * RATE].all()


def test_decode_keeps_the_whole_file_mono_at_the_feature_rate(tmp_path):
    t = np.arange(44100 * 7) / 44100
    stereo = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.1 * np.sin(2 * np.pi * 440 * t)], axis=1)
    sf.write(tmp_path / "long.flac", stereo, 44100, subtype="PCM_16")
    signal = decode_audio(tmp_path / "long.flac", CONFIG)
    assert signal.dtype == np.float32 and abs(len(signal) - 7 * RATE) <= 1
    peak_hz = np.argmax(np.abs(np.fft.rfft(signal))) * RATE / len(signal)
    assert abs(peak_hz - 440) < 1 and 0.15 < np.abs(signal).max() < 0.25  # channels averaged


def test_folders_are_searched_for_every_readable_format_in_any_case(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("x.wav", "a/y.FLAC", "a/deep/z.Ogg", "a/w.aiff", "notes.txt", "a/cover.jpg"):
        (tmp_path / name).write_bytes(b"")
    given = tmp_path / "given.bin"
    given.write_bytes(b"")
    found = find_audio([tmp_path / "a", tmp_path / "x.wav", given, tmp_path / "missing.wav"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/deep/z.Ogg",
        "a/w.aiff",
        "a/y.FLAC",
        "x.wav",
        "given.bin",
        "missing.wav",
    ]


def noise_file(path, seconds: float, rate: int):
    samples = np.random.default_rng(0).uniform(-0.5, 0.5, int(seconds * rate)).astype(np.float32)
    sf.write(path, samples, rate, subtype="FLOAT")
    return path


def peak_traced_mib(action) -> float:
    """Peak memory that numpy and Python allocated while `action` ran."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_a_long_file_streams_the_same_windows_as_decoding_it_whole(tmp_path):
    path = noise_file(tmp_path / "long.wav", 2 * STREAM_SECONDS + 37.3, RATE)
    whole = cut_windows(decode_audio(path, CONFIG), CONFIG, 3.0, 1.5)
    streamed = list(stream_windows(path, CONFIG, 3.0, 1.5))
    assert len(streamed) > 2
    np.testing.assert_array_equal(np.concatenate(streamed), whole)


def test_a_long_file_at_another_rate_streams_windows_resampled_as_the_whole_file(tmp_path):
    path = noise_file(tmp_path / "long44.wav", 2 * STREAM_SECONDS + 11.0, 44_100)
    whole = cut_windows(decode_audio(path, CONFIG), CONFIG, 3.0, 1.5)
    streamed = np.concatenate(list(stream_windows(path, CONFIG, 3.0, 1.5)))
    assert streamed.shape == whole.shape
    np.testing.assert_allclose(streamed, whole, atol=1e-4)


def test_memory_is_bounded_by_a_clip_or_a_block_not_by_the_file(tmp_path):
    path = noise_file(tmp_path / "ten_minutes.wav", 600.0, RATE)  # 53 MiB of float32 samples
    clip = peak_traced_mib(lambda: load_clip(path, CONFIG))
    streamed = peak_traced_mib(lambda: [len(w) for w in stream_windows(path, CONFIG, 3.0, 1.5)])
    whole = peak_traced_mib(lambda: cut_windows(decode_audio(path, CONFIG), CONFIG, 3.0, 1.5))
    assert clip < 2, clip
    assert streamed < 40 and whole > 100, (streamed, whole)
