"""EDA figures: every figure of the seed's exploration is written as a non-blank PNG."""

import matplotlib.image as mpimg

FIGURES = {
    "class_balance",
    "waveforms",
    "fft_magnitude",
    "stft_spectrogram",
    "mel_filterbank",
    "mel_filterbank_curves",
    "log_mel",
    "mfcc",
    "chroma",
    "log_filterbank_heatmap",
}


def test_eda_writes_every_figure(eda_figures):
    assert {p.stem for p in eda_figures} == FIGURES
    for path in eda_figures:
        image = mpimg.imread(path)
        assert image.shape[0] > 200 and image.shape[1] > 400, path
        assert image[..., :3].std() > 0.05, f"{path} looks blank"
