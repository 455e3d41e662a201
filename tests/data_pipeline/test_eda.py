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


def test_the_waveform_panel_spans_each_blocks_lowest_and_highest_sample():
    import matplotlib.pyplot as plt
    import numpy as np

    from data_pipeline.eda import draw_envelope

    clip = np.zeros(22050 * 3, dtype="float32")
    clip[22050 : 22050 + 640] = np.sin(np.arange(640) / 3.0) * 0.8  # one loud 29 ms burst after a second of silence
    fig, ax = plt.subplots()
    vertices = draw_envelope(ax, clip, 22050).get_paths()[0].vertices
    plt.close(fig)
    times, values = vertices[:, 0], vertices[:, 1]
    assert values.max() == clip.max() and values.min() == clip.min()
    loud = times[np.abs(values) > 0.1]
    block = 64 / 22050  # one point per 64 samples
    assert loud.min() >= 1.0 - block and loud.max() <= 1.0 + 640 / 22050 + block and times.max() <= 3.0
