"""`eda`: the seed's exploration figures (Figures 9, 19-33), one sample clip per class."""

import math
from pathlib import Path

import librosa
import librosa.display
import numpy as np
import pandas as pd

from data_pipeline.audio import load_clip
from data_pipeline.catalog import scan_dataset
from data_pipeline.config import FeatureConfig
from plumbing.errors import DataError, UsageError
from plumbing.file_names import file_at, shown
from plumbing.plotting import plt

COLUMNS = 4
DB_RANGE = (-80.0, 0.0)  # power_to_db(ref=max) clips 80 dB below each clip's peak

# Every figure in the seed's order (Figures 9, 19-33; chroma is beyond the seed), with its caption.
EDA_FIGURES = (
    ("class_balance", "Clips per class (seed Figure 9)."),
    ("waveforms", "Waveform of one sample clip per class (seed Figure 19)."),
    ("fft_magnitude", "FFT magnitude of the same clips (seed Figure 21)."),
    ("stft_spectrogram", "STFT power spectrogram, dB relative to each clip's peak (seed Figure 23)."),
    ("mel_filterbank", "The 64-band Mel filterbank as an image (seed Figure 25)."),
    ("mel_filterbank_curves", "The same filters as curves over frequency (seed Figure 27)."),
    ("log_mel", "Log-Mel spectrogram, dB relative to each clip's peak: the models' input (seed Figure 29)."),
    (
        "mfcc",
        "MFCC 1-12 (coefficient 0, the overall level, left out so it does not set the colour scale; seed Figure 31).",
    ),
    ("log_filterbank_heatmap", "Time-averaged log-Mel energy per class and Mel band (seed Figure 33)."),
    ("chroma", "Chromagram: energy per pitch class, each frame scaled to its maximum (beyond the seed)."),
)


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
        "mfcc": librosa.feature.mfcc(S=mel_db, n_mfcc=config.num_mfcc)[1:],
        "chroma": librosa.feature.chroma_stft(S=np.abs(stft), sr=config.sample_rate),
        "log_mel": np.log(mel + config.log_offset),
    }


def grid(count: int, title: str):
    """A 4-column grid of panels for one plot per class."""
    rows = math.ceil(count / COLUMNS)
    fig, axes = plt.subplots(
        rows, COLUMNS, figsize=(4.2 * COLUMNS + 1, 3.0 * rows + 0.6), squeeze=False, layout="constrained"
    )
    for ax in axes.ravel()[count:]:
        ax.axis("off")
    fig.suptitle(title, fontsize=15)
    return fig, axes.ravel()


def save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def class_balance_figure(counts: pd.Series, path: Path) -> Path:
    """Clips per class with each class's share (Figure 9's bar; its pie adds nothing to the bar)."""
    colors = [plt.get_cmap("tab20")(i % 20) for i in range(len(counts))]
    fig, bar = plt.subplots(figsize=(max(8.0, 0.6 * len(counts) + 3), 5.5), layout="constrained")
    x = np.arange(len(counts))
    bars = bar.bar(x, counts.values, color=colors)
    shares = counts.values / max(counts.values.sum(), 1)
    bar.bar_label(bars, [f"{n:,}\n{s:.1%}" for n, s in zip(counts.values, shares, strict=True)], padding=2, fontsize=8)
    bar.set_xticks(x, counts.index, rotation=45, ha="right")
    bar.set_title(f"Clips per class ({int(counts.sum()):,} clips, {len(counts)} classes)")
    bar.set_xlabel("class")
    bar.set_ylabel("clips")
    bar.set_ylim(0, counts.max() * 1.18 if len(counts) else 1)
    bar.grid(axis="y", linestyle=":", alpha=0.7)
    return save(fig, path)


def draw_envelope(ax, clip: np.ndarray, sample_rate: int, block: int = 64):
    """The clip's waveform as librosa's `waveshow` draws a whole clip (each block's lowest and highest sample), without
    its redraw-on-zoom callbacks (they took two thirds of the EDA's time)."""
    blocks = clip[: len(clip) // block * block].reshape(-1, block)
    times = (np.arange(len(blocks)) + 0.5) * block / sample_rate
    return ax.fill_between(times, blocks.min(axis=1), blocks.max(axis=1), linewidth=0)


def spectral_panel(key: str, **display):
    """A panel that draws one feature image of a class and returns the image (for the colour bar)."""

    def draw(ax, samples: dict, clips: dict, cls: str):
        return librosa.display.specshow(samples[cls][key], ax=ax, **display)

    return draw


def per_class_figures(
    samples: dict[str, dict], clips: dict[str, np.ndarray], out: Path, config: FeatureConfig
) -> list[Path]:
    """Waveform, FFT, STFT, log-Mel, MFCC and chroma panels for every class (Figures 19-31).

    Images share one colour scale per figure, so classes compare at a glance; the bar names its unit.
    """
    sr, hop = config.sample_rate, config.hop_length
    timing = {"sr": sr, "hop_length": hop, "x_axis": "time"}
    # Coefficient 1 still outweighs the rest: saturate the top 2% so that the others keep contrast.
    mfcc_limit = float(np.percentile(np.abs(np.concatenate([s["mfcc"].ravel() for s in samples.values()])), 98))
    panels = {  # name: (title, draw, x label, y label, colour bar label or None)
        "waveforms": (
            "Waveforms",
            lambda ax, s, c, cls: draw_envelope(ax, c[cls], sr),
            "time (s)",
            "amplitude",
            None,
        ),
        "fft_magnitude": (
            "FFT magnitude",
            lambda ax, s, c, cls: ax.plot(np.fft.rfftfreq(len(c[cls]), 1 / sr) / 1000, s[cls]["fft"], lw=0.6),
            "frequency (kHz)",
            "magnitude",
            None,
        ),
        "stft_spectrogram": (
            "STFT spectrogram",
            spectral_panel("stft_db", y_axis="linear", vmin=DB_RANGE[0], vmax=DB_RANGE[1], cmap="magma", **timing),
            "time (s)",
            "frequency (Hz)",
            "power (dB re clip peak)",
        ),
        "log_mel": (
            "Log-Mel spectrogram",
            spectral_panel(
                "mel_db", y_axis="mel", fmax=config.fmax, vmin=DB_RANGE[0], vmax=DB_RANGE[1], cmap="magma", **timing
            ),
            "time (s)",
            "Mel frequency (Hz)",
            "Mel power (dB re clip peak)",
        ),
        "mfcc": (
            f"MFCC 1-{config.num_mfcc - 1}",
            spectral_panel("mfcc", vmin=-mfcc_limit, vmax=mfcc_limit, cmap="coolwarm", **timing),
            "time (s)",
            "coefficient",
            "MFCC value",
        ),
        "chroma": (
            "Chromagram",
            spectral_panel("chroma", y_axis="chroma", vmin=0, vmax=1, cmap="viridis", **timing),
            "time (s)",
            "pitch class",
            "energy (frame maximum = 1)",
        ),
    }
    paths = []
    for name, (title, draw, xlabel, ylabel, colour_label) in panels.items():
        fig, axes = grid(len(samples), title)
        for ax, cls in zip(axes, samples, strict=False):
            image = draw(ax, samples, clips, cls)
            ax.set_title(cls, fontsize=11)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            if name == "mfcc":
                ticks = np.arange(0, config.num_mfcc - 1, 3)
                ax.set_yticks(ticks + 0.5, [str(t + 1) for t in ticks])
        if colour_label:
            fig.colorbar(
                image,
                ax=axes.tolist(),
                label=colour_label,
                shrink=0.8,
                aspect=30,
                extend="both" if name == "mfcc" else "neither",
            )
        paths.append(save(fig, out / f"{name}.png"))
    return paths


def filterbank_figures(config: FeatureConfig, out: Path) -> list[Path]:
    """The Mel filterbank as an image and as curves over frequency (Figures 25 and 27)."""
    bank = librosa.filters.mel(
        sr=config.sample_rate, n_fft=config.n_fft, n_mels=config.num_mels, fmin=config.fmin, fmax=config.fmax, norm=None
    )
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    image = ax.imshow(bank, aspect="auto", origin="lower", cmap="magma")
    fig.colorbar(image, ax=ax, label="weight")
    ax.set_title(f"Mel filterbank (n_mels={config.num_mels}, n_fft={config.n_fft}, sr={config.sample_rate})")
    ax.set_xlabel("FFT bin")
    ax.set_ylabel("Mel filter index")
    first = save(fig, out / "mel_filterbank.png")
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
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
    fig, ax = plt.subplots(figsize=(12, 0.45 * len(samples) + 2), layout="constrained")
    image = ax.imshow(table, aspect="auto", cmap="viridis")
    fig.colorbar(image, ax=ax, label="mean log(Mel power + 1e-6)")
    ax.set_yticks(range(len(samples)), list(samples))
    ax.set_xlabel("Mel filter index")
    ax.set_title("Time-averaged log filter-bank energies per class")
    return save(fig, path)


def write_eda_figures(data_dir: Path, out: Path, config: FeatureConfig) -> list[Path]:
    """Write every exploration figure for `data_dir` into `out`; returns their paths."""
    catalog = scan_dataset(Path(data_dir))
    if not (catalog["status"] == "ok").any():
        raise DataError(f"no readable .wav clips under {shown(data_dir)}: nothing to explore")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file: pass a folder for the figures (it is created if missing)")
    out.mkdir(parents=True, exist_ok=True)
    counts = catalog[catalog["status"] == "ok"].groupby("class").size().sort_values(ascending=False)
    picks = sample_per_class(catalog)
    clips = {row["class"]: load_clip(file_at(Path(data_dir), row["path"]), config) for _, row in picks.iterrows()}
    samples = {name: clip_features(clip, config) for name, clip in clips.items()}
    paths = [
        class_balance_figure(counts, out / "class_balance.png"),
        *per_class_figures(samples, clips, out, config),
        *filterbank_figures(config, out),
        heatmap_figure(samples, out / "log_filterbank_heatmap.png"),
    ]
    order = [name for name, _ in EDA_FIGURES]
    return sorted(paths, key=lambda path: order.index(path.stem))
