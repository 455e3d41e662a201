"""`demo`: write a dataset in the Kaggle layout, DIR/<class>/<n>.wav, 3 s, 22,050 Hz, mono, PCM-16."""

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import soundfile as sf
from tqdm.auto import tqdm

from data_pipeline.config import FeatureConfig
from data_pipeline.demo.instruments import INSTRUMENTS, Instrument, select_instruments
from data_pipeline.demo.render import check_tools, render_batch
from data_pipeline.demo.score import compose
from data_pipeline.demo.synthetic import synthetic_clip
from data_pipeline.errors import DataError, UsageError

MARKER = ".demo.json"
BATCH_CLIPS = 96
SILENCE_RMS = 1e-3


def clip_rng(seed: int, inst: Instrument, index: int) -> np.random.Generator:
    """Generator of one clip: independent of which other clips are rendered with it."""
    return np.random.default_rng([seed, INSTRUMENTS.index(inst), index])


def reset_output(out: Path, settings: dict) -> None:
    """Empty a previous demo dataset at `out`; refuse a folder that is not one."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UsageError(f"--out {out} is not empty and holds no demo dataset: choose a new folder")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text(json.dumps(settings, indent=2))


def finish(clip: np.ndarray, rng: np.random.Generator, where: str) -> np.ndarray:
    """Peak-normalise to a random level; a silent render is a bug, not a clip."""
    rms = float(np.sqrt(np.mean(clip**2)))
    if rms < SILENCE_RMS:
        raise DataError(f"demo clip {where} rendered silent (rms {rms:.2e}); report this as a bug")
    return clip / np.max(np.abs(clip)) * rng.uniform(0.4, 0.95)


def make_demo(
    out: Path,
    per_class: int,
    classes: str = "14",
    seed: int = 42,
    synthetic: bool = False,
    config: FeatureConfig = FeatureConfig(),
) -> list[str]:
    """Write `per_class` clips for each selected class; returns the class names."""
    instruments = select_instruments(classes)
    if per_class < 1:
        raise UsageError("--per-class must be at least 1")
    if not synthetic:
        check_tools()
    out = Path(out)
    reset_output(out, {"per_class": per_class, "classes": classes, "seed": seed, "synthetic": synthetic})
    jobs = [(inst, i) for inst in instruments for i in range(per_class)]
    for inst in instruments:
        (out / inst.name).mkdir()
    make = synthesize_jobs if synthetic else render_jobs
    batches = [jobs[k : k + BATCH_CLIPS] for k in range(0, len(jobs), BATCH_CLIPS)]
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        tqdm(total=len(jobs), desc="demo", unit="clip", disable=None) as bar,
    ):
        for batch, clips in zip(batches, pool.map(lambda b: make(b, seed, config), batches), strict=True):
            for (inst, i), clip in zip(batch, clips, strict=True):
                sf.write(out / inst.name / f"{i}.wav", clip, config.sample_rate, subtype="PCM_16")
            bar.update(len(batch))
    return [inst.name for inst in instruments]


def synthesize_jobs(jobs: list[tuple[Instrument, int]], seed: int, config: FeatureConfig) -> list[np.ndarray]:
    """Pure-numpy clips for one batch."""
    return [
        synthetic_clip(INSTRUMENTS.index(inst), clip_rng(seed, inst, i), config.sample_rate, config.samples_per_clip)
        for inst, i in jobs
    ]


def render_jobs(jobs: list[tuple[Instrument, int]], seed: int, config: FeatureConfig) -> list[np.ndarray]:
    """Compose and render one batch of clips through the soundfont."""
    rngs = [clip_rng(seed, inst, i) for inst, i in jobs]
    clips = [compose(inst, rng) for (inst, _), rng in zip(jobs, rngs, strict=True)]
    audio = render_batch(clips, config.sample_rate, config.clip_seconds)
    return [finish(a, rng, f"{inst.name}/{i}") for a, rng, (inst, i) in zip(audio, rngs, jobs, strict=True)]
