"""`eda`: the seed's exploration figures (Figures 9, 19-33), one sample clip per class."""

import math
from pathlib import Path

import librosa
import librosa.display
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from data_pipeline.audio import load_clip  # noqa: E402
from data_pipeline.catalog import scan_dataset  # noqa: E402
from data_pipeline.config import FeatureConfig  # noqa: E402
from data_pipeline.errors import DataError  # noqa: E402

COLUMNS = 4


def sample_per_class(catalog: pd.DataFrame) -> pd.DataFrame:
    """The second readable clip of each class in name order (first if only one), as the seed."""
    usable = catalog[catalog["status"] == "ok"].sort_values(["class", "path"])
    rank = usable.groupby("class").cumcount()
    size = usable.groupby("class")["path"].transform("size")
    return usable[rank == np.minimum(1, size - 1)]


def clip_features(clip: np.ndarray, config: FeatureConfig) -> dict[str, np.ndarray]:
    """Diagnostic features of one clip (seed Figure 17)."""
    stft = librosa.stft(clip, n_fft=config.n_fft, hop_length=config.hop_length)
    mel = librosa.feature.melspectrogram(
        S=np.abs(stft) ** 2, sr=config.sample_rate, n_mels=config.num_mels, fmin=config.fmin, fmax=config.fmax
    )
    mel_db = librosa.power_to_db(mel, ref=np.max)
    return {
        "fft": np.abs(np.fft.rfft(clip)),
        "stft_db": librosa.power_to_db(np.abs(stft) ** 2, ref=np.max),
        "mel_db": mel_db,
        "mfcc": librosa.feature.mfcc(S=mel_db, n_mfcc=config.num_mfcc),
        "chroma": librosa.feature.chroma_stft(S=np.abs(stft), sr=config.sample_rate),
        "log_mel": np.log(mel + config.log_offset),
    }


def grid(count: int, title: str):
    """A 4-column grid of panels for one plot per class."""
    rows = math.ceil(count / COLUMNS)
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(4.2 * COLUMNS, 3.0 * rows), squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.axis("off")
    fig.suptitle(title, fontsize=15)
    return fig, axes.ravel()


def save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def class_balance_figure(counts: pd.Series, path: Path) -> Path:
    """Pie of proportions and bar of clip counts per class (Figure 9)."""
    colors = [plt.get_cmap("tab20")(i % 20) for i in range(len(counts))]
    fig, (pie, bar) = plt.subplots(1, 2, figsize=(16, 6), gridspec_kw={"width_ratios": [1, 2.4]})
    pie.pie(counts.values, labels=counts.index, colors=colors, startangle=90, autopct="%1.1f%%",
            textprops={"fontsize": 8}, wedgeprops={"linewidth": 0.5, "edgecolor": "white"})  # fmt: skip
    pie.set_title("Class distribution")
    x = np.arange(len(counts))
    bars = bar.bar(x, counts.values, color=colors)
    bar.bar_label(bars, padding=2, fontsize=8)
    bar.set_xticks(x, counts.index, rotation=45, ha="right")
    bar.set_title("Clips per class")
    bar.set_xlabel("class")
    bar.set_ylabel("clips")
    bar.grid(axis="y", linestyle=":", alpha=0.7)
    return save(fig, path)


def per_class_figures(samples: dict[str, dict], clips: dict[str, np.ndarray], out: Path,
                      config: FeatureConfig) -> list[Path]:  # fmt: skip
    """Waveform, FFT, STFT, log-Mel, MFCC and chroma panels for every class (Figures 19-31)."""
    sr, hop = config.sample_rate, config.hop_length
    panels = {
        "waveforms": ("Waveforms", lambda ax, c: librosa.display.waveshow(clips[c], sr=sr, ax=ax),
                      "time (s)", "amplitude"),
        "fft_magnitude": ("FFT magnitude", lambda ax, c: ax.plot(
            np.fft.rfftfreq(len(clips[c]), 1 / sr) / 1000, samples[c]["fft"], lw=0.6), "frequency (kHz)",
            "magnitude"),
        "stft_spectrogram": ("STFT spectrogram (power dB)", lambda ax, c: librosa.display.specshow(
            samples[c]["stft_db"], sr=sr, hop_length=hop, x_axis="time", y_axis="linear", ax=ax),
            "time (s)", "frequency (Hz)"),
        "log_mel": ("Log-Mel spectrogram (dB)", lambda ax, c: librosa.display.specshow(
            samples[c]["mel_db"], sr=sr, hop_length=hop, x_axis="time", y_axis="mel", fmax=config.fmax,
            ax=ax), "time (s)", "Mel frequency (Hz)"),
        "mfcc": (f"MFCC ({config.num_mfcc})", lambda ax, c: librosa.display.specshow(
            samples[c]["mfcc"], sr=sr, hop_length=hop, x_axis="time", ax=ax), "time (s)", "coefficient"),
        "chroma": ("Chromagram", lambda ax, c: librosa.display.specshow(
            samples[c]["chroma"], sr=sr, hop_length=hop, x_axis="time", y_axis="chroma", ax=ax),
            "time (s)", "pitch class"),
    }  # fmt: skip
    paths = []
    for name, (title, draw, xlabel, ylabel) in panels.items():
        fig, axes = grid(len(samples), title)
        for ax, cls in zip(axes, samples, strict=False):
            draw(ax, cls)
            ax.set_title(cls, fontsize=11)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
        paths.append(save(fig, out / f"{name}.png"))
    return paths


def filterbank_figures(config: FeatureConfig, out: Path) -> list[Path]:
    """The Mel filterbank as an image and as curves over frequency (Figures 25 and 27)."""
    bank = librosa.filters.mel(sr=config.sample_rate, n_fft=config.n_fft, n_mels=config.num_mels,
                               fmin=config.fmin, fmax=config.fmax, norm=None)  # fmt: skip
    fig, ax = plt.subplots(figsize=(9, 4))
    image = ax.imshow(bank, aspect="auto", origin="lower", cmap="magma")
    fig.colorbar(image, ax=ax, label="weight")
    ax.set_title(f"Mel filterbank (n_mels={config.num_mels}, n_fft={config.n_fft}, sr={config.sample_rate})")
    ax.set_xlabel("FFT bin")
    ax.set_ylabel("Mel filter index")
    first = save(fig, out / "mel_filterbank.png")
    fig, ax = plt.subplots(figsize=(9, 4))
    freqs = librosa.fft_frequencies(sr=config.sample_rate, n_fft=config.n_fft)
    for row in bank:
        ax.plot(freqs, row, lw=0.7)
    ax.set_title("Mel-spaced filterbank")
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("weight")
    return [first, save(fig, out / "mel_filterbank_curves.png")]


def heatmap_figure(samples: dict[str, dict], path: Path) -> Path:
    """Time-averaged log-Mel energy per class and Mel band (Figure 33)."""
    table = np.stack([samples[c]["log_mel"].mean(axis=1) for c in samples])
    fig, ax = plt.subplots(figsize=(12, 0.45 * len(samples) + 2))
    image = ax.imshow(table, aspect="auto", cmap="viridis")
    fig.colorbar(image, ax=ax, label="mean log-Mel energy")
    ax.set_yticks(range(len(samples)), list(samples))
    ax.set_xlabel("Mel filter index")
    ax.set_title("Time-averaged log filter-bank energies per class")
    return save(fig, path)


def write_eda_figures(data_dir: Path, out: Path, config: FeatureConfig) -> list[Path]:
    """Write every exploration figure for `data_dir` into `out`; returns their paths."""
    catalog = scan_dataset(Path(data_dir))
    if not (catalog["status"] == "ok").any():
        raise DataError(f"no readable .wav clips under {data_dir}: nothing to explore")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts = catalog[catalog["status"] == "ok"].groupby("class").size().sort_values(ascending=False)
    picks = sample_per_class(catalog)
    clips = {row["class"]: load_clip(Path(data_dir) / row["path"], config) for _, row in picks.iterrows()}
    samples = {name: clip_features(clip, config) for name, clip in clips.items()}
    return [
        class_balance_figure(counts, out / "class_balance.png"),
        *per_class_figures(samples, clips, out, config),
        *filterbank_figures(config, out),
        heatmap_figure(samples, out / "log_filterbank_heatmap.png"),
    ]
