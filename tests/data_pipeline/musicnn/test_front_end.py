"""musicnn's front end: librosa's Mel spectrogram with musicnn's settings, in float32, and the same in the graph."""

import librosa
import numpy as np
import pytest

from data_pipeline.audio import load_clip
from data_pipeline.demo.generate import make_demo
from data_pipeline.musicnn.config import MusicnnFeatures
from data_pipeline.musicnn.front_end import MelPatches, log_mel, patches

CONFIG = MusicnnFeatures()


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> np.ndarray:
    """Four real instrument renders (FluidR3), loud ones included, decoded at musicnn's 16 kHz."""
    out = tmp_path_factory.mktemp("rendered") / "demo"
    make_demo(out, 1, "Drum_set,Trumpet,Violin,Piano", seed=3)
    return np.stack([load_clip(path, CONFIG) for path in sorted(out.glob("*/*.wav"))])


def test_log_mel_is_librosas_melspectrogram_with_reflect_padding(clips):
    ours = log_mel(clips, CONFIG)
    for clip, row in zip(clips, ours, strict=True):
        power = librosa.feature.melspectrogram(
            y=clip.astype(np.float64), sr=16_000, n_fft=512, hop_length=256, n_mels=96, pad_mode="reflect"
        )
        np.testing.assert_allclose(row, np.log10(10_000 * power.T + 1), atol=1e-4, rtol=0)
    assert ours.shape == (4, 188, 96) and ours.dtype == np.float32


def test_loud_bins_stay_finite_where_float16_would_overflow(clips):
    """musicnn's own extractor casts to float16 before multiplying by 10,000: inf past 65,504."""
    power = librosa.feature.melspectrogram(y=clips, sr=16_000, n_fft=512, hop_length=256, n_mels=96, pad_mode="reflect")
    with np.errstate(over="ignore"):
        assert not np.isfinite(10_000 * power.astype(np.float16)).all()  # these clips would break the original
    assert np.isfinite(log_mel(clips, CONFIG)).all()


def test_the_graph_front_end_equals_the_numpy_one(clips):
    tf = pytest.importorskip("tensorflow")
    graph = CONFIG.graph_front_end()(tf.constant(clips)).numpy()
    np.testing.assert_allclose(graph, MelPatches(CONFIG)(clips), atol=1e-4, rtol=0)
    assert graph.shape == (4, 187, 96)


@pytest.mark.parametrize(("frames", "count"), [(188, 1), (374, 2), (400, 2), (100, 1)])
def test_patches_are_musicnns_non_overlapping_187_frames(frames, count):
    mel = np.arange(frames * 96, dtype=np.float32).reshape(1, frames, 96)
    cut = patches(mel, 187)
    assert cut.shape == (1, count, 187, 96)
    np.testing.assert_array_equal(cut[0, 0, : min(frames, 187)], mel[0, : min(frames, 187)])
    if frames < 187:
        assert not cut[0, 0, frames:].any()  # a short clip is zero-padded
