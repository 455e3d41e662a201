"""EDA figures: every figure of the seed's exploration is written as a non-blank PNG."""

import matplotlib.image as mpimg

from data_pipeline.config import FeatureConfig
from data_pipeline.eda import write_eda_figures

FIGURES = {
    "class_balance", "waveforms", "fft_magnitude", "stft_spectrogram", "mel_filterbank",
    "mel_filterbank_curves", "log_mel", "mfcc", "chroma", "log_filterbank_heatmap",
}  # fmt: skip


def test_eda_writes_every_figure(tiny_dataset, tmp_path):
    paths = write_eda_figures(tiny_dataset, tmp_path / "eda", FeatureConfig())
    assert {p.stem for p in paths} == FIGURES
    for path in paths:
        image = mpimg.imread(path)
        assert image.shape[0] > 200 and image.shape[1] > 400, path
        assert image[..., :3].std() > 0.05, f"{path} looks blank"
