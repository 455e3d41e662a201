"""`demo`: write a dataset in the Kaggle layout, DIR/<class>/<n>.wav, 3 s, 22,050 Hz, mono, PCM-16."""

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
from tqdm.auto import tqdm

from data_pipeline.config import FeatureConfig
from data_pipeline.demo.compose import compose
from data_pipeline.demo.instruments import CLASS_INDEX, Instrument, select_instruments
from data_pipeline.demo.output_folder import CLIPS_LIST, reset_output
from data_pipeline.demo.render import check_tools, render_batch
from data_pipeline.demo.synthetic import synthetic_clip
from plumbing.errors import DataError, UsageError

BATCH_CLIPS = 96
SILENCE_PEAK = 1e-3  # -60 dBFS: a single soft hit on a quiet kit is far above it (RMS is not: it is short)
ROOM_NOISE_SNR_DB = (30.0, 55.0)  # half the clips get pink room noise this far below the music


def clip_rng(seed: int, inst: Instrument, index: int) -> np.random.Generator:
    """Generator of one clip: independent of which other clips are rendered with it."""
    return np.random.default_rng([seed, CLASS_INDEX[inst.name], index])


def room_noise(rng: np.random.Generator, clip: np.ndarray) -> np.ndarray:
    """Pink noise at a random level below the clip, or none (half the time)."""
    if rng.random() < 0.5:
        return np.zeros_like(clip)
    spectrum = np.fft.rfft(rng.standard_normal(len(clip)))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))  # 1/f power
    noise = np.fft.irfft(spectrum, len(clip))
    snr_db = rng.uniform(*ROOM_NOISE_SNR_DB)
    return noise * np.sqrt(np.mean(clip**2) / np.mean(noise**2) / 10 ** (snr_db / 10))


def finish(clip: np.ndarray, rng: np.random.Generator, where: str) -> np.ndarray:
    """Add room noise and peak-normalise to a random level; a silent render is a bug, not a clip."""
    peak = float(np.max(np.abs(clip)))
    if peak < SILENCE_PEAK:
        raise DataError(f"demo clip {where} rendered silent (peak {peak:.2e}); report this as a bug")
    clip = clip + room_noise(rng, clip)
    return clip / np.max(np.abs(clip)) * rng.uniform(0.4, 0.95)


@dataclass(frozen=True)
class DemoClip:
    """One finished clip and how it was played (`style` "synthetic", `program` -1 for the numpy set)."""

    audio: np.ndarray
    style: str
    program: int


def make_demo(
    out: Path,
    per_class: int | Mapping[str, int],
    classes: str | Sequence[Instrument] = "14",
    seed: int = 42,
    synthetic: bool = False,
    config: FeatureConfig = FeatureConfig(),
) -> list[str]:
    """Write `per_class` clips (one number, or one per class name) for each selected class (a spec, or
    instruments narrowed to some styles or programs); returns the class names."""
    instruments = select_instruments(classes) if isinstance(classes, str) else list(classes)
    counts = per_class if isinstance(per_class, Mapping) else {inst.name: per_class for inst in instruments}
    if min(counts[inst.name] for inst in instruments) < 1:
        raise UsageError("--per-class must be at least 1")
    if not synthetic:
        check_tools()
    out = Path(out)
    spec = (
        classes
        if isinstance(classes, str)
        else {i.name: {"styles": i.styles, "programs": i.programs or i.kits} for i in instruments}
    )
    settings = {"per_class": per_class, "classes": spec, "seed": seed, "synthetic": synthetic}
    reset_output(out, settings, [inst.name for inst in instruments])
    jobs = [(inst, i) for inst in instruments for i in range(counts[inst.name])]
    for inst in instruments:
        (out / inst.name).mkdir()
    make = synthesize_jobs if synthetic else render_jobs
    batches = [jobs[k : k + BATCH_CLIPS] for k in range(0, len(jobs), BATCH_CLIPS)]
    rows = []
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        tqdm(total=len(jobs), desc="demo", unit="clip", disable=None) as bar,
    ):
        for batch, clips in zip(batches, pool.map(lambda b: make(b, seed, config), batches), strict=True):
            for (inst, i), clip in zip(batch, clips, strict=True):
                sf.write(out / inst.name / f"{i}.wav", clip.audio, config.sample_rate, subtype="PCM_16")
                rows.append(
                    {"class": inst.name, "file": f"{inst.name}/{i}.wav", "style": clip.style, "program": clip.program}
                )
            bar.update(len(batch))
    pd.DataFrame(rows).to_csv(out / CLIPS_LIST, index=False)
    return [inst.name for inst in instruments]


def synthesize_jobs(jobs: list[tuple[Instrument, int]], seed: int, config: FeatureConfig) -> list[DemoClip]:
    """Pure-numpy clips for one batch."""
    return [
        DemoClip(
            synthetic_clip(
                CLASS_INDEX[inst.name], clip_rng(seed, inst, i), config.sample_rate, config.samples_per_clip
            ),
            "synthetic",
            -1,
        )
        for inst, i in jobs
    ]


def render_jobs(jobs: list[tuple[Instrument, int]], seed: int, config: FeatureConfig) -> list[DemoClip]:
    """Compose and render one batch of clips through the soundfont."""
    rngs = [clip_rng(seed, inst, i) for inst, i in jobs]
    clips = [compose(inst, rng) for (inst, _), rng in zip(jobs, rngs, strict=True)]
    audio = render_batch(clips, config.sample_rate, config.clip_seconds)
    return [
        DemoClip(finish(a, rng, f"{inst.name}/{i}"), clip.style, clip.program)
        for a, rng, clip, (inst, i) in zip(audio, rngs, clips, jobs, strict=True)
    ]
