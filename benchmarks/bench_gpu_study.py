"""The seed's study at its real size on one GPU: K trials at once through `launch.py`, measured, then projected.

Run (on the GPU machine: `bash benchmarks/gpu_study.sh`, which installs the carried wheels first):
    KERAS_BACKEND=jax python benchmarks/bench_gpu_study.py [--ks 1,2,4,8,16] [--precisions float32,bfloat16]
        [--rnn-ks 1,16] [--seconds-per-k 20] [--budget-seconds 420] [--train-clips 24754] [--val-clips 5305]
Tiny, on CPU: ... --train-clips 280 --val-clips 70 --test-clips 28 --ks 1,2 --seconds-per-k 10 --points 4

1. Data at the seed's size, made in seconds: 14 classes of log-Mel-like patterns (harmonic bands under a
   class's envelope, shifted, scaled, plus noise; numpy, seeded) written straight into a prepared workdir
   (`split.csv`, `classes.json`, `dataset.json`, the feature memmaps and their indexes), so no WAV is
   rendered and no STFT runs. A prepared workdir is all a sweep reads (`open_workspace` prepares only a
   workdir that lacks its split or a cache index): there is no audio, and `dataset.json` says so.
2. For each family, precision and K: `launch.py <family> --gpus 0 --trials-per-gpu K` (chief, K workers,
   leases, per-epoch checkpoints, HParams logs) on a fresh workdir sharing those features, over a slice of
   the seed's grid (its filters or GRU sizes vary fastest). Once K trials have committed their first epoch
   (compilation done), every commit in `--seconds-per-k` seconds is counted from the trials' `state.json`;
   then the launcher gets two SIGINTs (stop at once). nvidia-smi is sampled every second meanwhile.
3. One Markdown table, then the projection of the seed's study (96 CNN + 24 BiGRU trials, 30 epochs at
   most) on one GPU at the best K, with and without successive halving's epochs (`HalvingPlan`).
Runs go CNN first, then BiGRU (`--rnn-ks`), each K = 1 and the largest K first; a run that would overrun
`--budget-seconds` (guessed from the family's slowest run so far) is skipped and its row says so.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig
from data_pipeline.workdir import Workdir
from experiments.tuning.halving.rungs import HalvingPlan, first_rung
from hypermodels.families import FAMILIES
from plumbing.atomic import write_csv_atomic, write_json_atomic

REPO = Path(__file__).resolve().parents[1]
SEED_CLASSES = 14
SEED_GRIDS = {"cnn": 96, "rnn": 24}  # points of the seed's grids (`--space seed`)
SEED_MAX_EPOCHS = 30
SLICES = {  # the seed's values; the key listed last changes fastest, so K trials mix the model sizes
    "cnn": {
        "dense_units": [64, 128],
        "learning_rate": [3e-4, 1e-4],
        "dropout_block3": [0.3, 0.4],
        "dropout_head": [0.3, 0.5],
        "conv_filters": [[8, 16, 32], [16, 32, 64], [24, 48, 96]],
    },
    "rnn": {
        "dropout": [0.0, 0.3],
        "use_dense_head": [False, True],
        "learning_rate": [3e-4, 1e-3],
        "gru_units": [[32, 16], [32, 32], [64, 32]],
    },
}
CHUNK = 512  # clips generated per task
GPU_QUERY = ["nvidia-smi", "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits", "-i", "0"]


@dataclass(frozen=True)
class Row:
    """One measured (or skipped) run of the table."""

    family: str
    k: int
    precision: str
    epochs: int = 0  # committed in the window
    window_s: float = 0.0
    epochs_per_hour: float | None = None
    seconds_per_epoch: float | None = None  # per trial, epochs after its first
    mib_per_trial: float | None = None
    gpu_util: float | None = None
    startup_s: float = 0.0
    note: str = ""


def class_patterns(config: FeatureConfig, rng: np.random.Generator) -> np.ndarray:
    """[class, mels, frames] log-Mel templates: harmonic bands under a class's own attack and decay."""
    mels, frames = np.arange(config.num_mels)[:, None], np.arange(config.num_frames)[None, :] / config.num_frames
    patterns = []
    for _ in range(SEED_CLASSES):
        f0, spacing, width = rng.uniform(4, 20), rng.uniform(4, 12), rng.uniform(0.8, 2.5)
        bands = sum(np.exp(-((mels - f0 - h * spacing) ** 2) / (2 * width**2)) / (1 + h) for h in range(6))
        attack, decay = rng.uniform(0.01, 0.2), rng.uniform(0.5, 6.0)
        envelope = np.minimum(frames / attack, 1.0) * np.exp(-decay * np.maximum(frames - attack, 0))
        patterns.append(-9.0 + 10.0 * bands * envelope)
    return np.stack(patterns).astype(np.float32)


def fill_rows(array: np.ndarray, labels: np.ndarray, patterns: np.ndarray, start: int, seed: list[int]) -> None:
    """Rows start.. of one split: its class pattern shifted up to 3 Mel bands, scaled, plus noise."""
    rng = np.random.default_rng(seed)
    part = labels[start : start + CHUNK]
    shifts = rng.integers(-3, 4, len(part))
    clips = np.stack([np.roll(patterns[c], s, axis=0) for c, s in zip(part, shifts, strict=True)])
    clips *= rng.uniform(0.7, 1.3, (len(part), 1, 1)).astype(np.float32)
    clips += rng.standard_normal(clips.shape, dtype=np.float32) * 3.0
    array[start : start + len(part)] = clips[..., None]


def write_workdir(root: Path, counts: dict[str, int], seed: int, config: FeatureConfig = FeatureConfig()) -> Workdir:
    """A prepared workdir of synthetic features: what `prepare` leaves, with no audio behind it."""
    workdir = Workdir(root)
    cache = FeatureCache(workdir.feature_dir(config), config)
    cache.folder.mkdir(parents=True)
    write_json_atomic(cache.folder / "config.json", asdict(config))
    names = [f"instrument_{c:02d}" for c in range(SEED_CLASSES)]
    patterns = class_patterns(config, np.random.default_rng([seed, 0]))
    splits = []
    with ThreadPoolExecutor() as pool:
        for number, (split, count) in enumerate(counts.items()):
            labels = np.random.default_rng([seed, 1, number]).permutation(np.arange(count) % SEED_CLASSES)
            paths = [f"{names[c]}/{split}_{i:05d}.wav" for i, c in enumerate(labels)]
            array = np.lib.format.open_memmap(cache.array_path(split), "w+", np.float32, (count, *config.shape))
            starts = range(0, count, CHUNK)
            list(pool.map(lambda s, a=array, y=labels, n=number: fill_rows(a, y, patterns, s, [seed, 2, n, s]), starts))
            array.flush()
            index = pd.DataFrame({"path": paths, "size": 0, "mtime_ns": 0, "status": "done", "reason": ""})
            write_csv_atomic(cache.index_path(split), index)
            splits.append(pd.DataFrame({"path": paths, "class": [names[c] for c in labels], "split": split}))
    write_csv_atomic(workdir.split, pd.concat(splits, ignore_index=True))
    write_json_atomic(workdir.classes, names)
    note = "synthetic features written by benchmarks/bench_gpu_study.py; no audio files"
    write_json_atomic(
        workdir.dataset_info, {"data_dir": str(root / "no-audio"), "min_clips": 1, "seed": seed, "note": note}
    )
    return workdir


def run_workdir(prepared: Workdir, root: Path) -> Path:
    """A fresh workdir for one launch, sharing the prepared one's split and (read-only) features."""
    root.mkdir(parents=True)
    for path in (prepared.split, prepared.classes, prepared.dataset_info):
        (root / path.name).write_bytes(path.read_bytes())
    (root / "features").symlink_to(prepared.root / "features")
    return root


def write_space(family: str, folder: Path, points: int) -> tuple[Path, int]:
    """A space file of the seed's slice cut to at least `points` grid points (the fastest key kept whole), and
    its size."""
    mapping, size = dict(SLICES[family]), np.prod([len(v) for v in SLICES[family].values()])
    for key in list(mapping)[:-1]:
        if size // len(mapping[key]) >= points and len(mapping[key]) > 1:
            size //= len(mapping[key])
            mapping[key] = mapping[key][:1]
    path = folder / f"{family}_slice.json"
    path.write_text(json.dumps(mapping))
    return path, int(size)


class GpuSampler(threading.Thread):
    """nvidia-smi's utilisation (%) and memory used (MiB) of GPU 0, once a second, while it runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float, float]] = []  # (time, utilisation, MiB)
        self.available = True
        self.done = threading.Event()

    def read(self) -> tuple[float, float] | None:
        """(utilisation, MiB) now, or None without nvidia-smi."""
        try:
            util, mib = subprocess.run(GPU_QUERY, capture_output=True, text=True, check=True).stdout.split(",")[:2]
            return float(util), float(mib)
        except (OSError, subprocess.CalledProcessError, ValueError):
            self.available = False
            return None

    def run(self) -> None:
        while self.available and not self.done.wait(1.0):
            reading = self.read()
            if reading:
                self.samples.append((time.monotonic(), *reading))

    def between(self, start: float, end: float) -> tuple[float | None, float | None]:
        """Mean utilisation and peak memory of the samples in [start, end]."""
        inside = [(u, m) for t, u, m in self.samples if start <= t <= end]
        if not inside:
            return None, None
        return float(np.mean([u for u, _ in inside])), max(m for _, m in inside)


def committed(sweep: Path) -> dict[str, tuple[int, float]]:
    """Each trial's committed (epochs, training seconds), from its `state.json`."""
    found = {}
    for state in sweep.glob("tuner/trial_*/state.json"):
        try:
            info = json.loads(state.read_text())
            found[state.parent.name] = (int(info["epoch"]), float(info["seconds"]))
        except (OSError, ValueError, KeyError):
            continue  # being replaced right now: read at the next poll
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(launcher: subprocess.Popen, grace: float = 30.0) -> None:
    """Two SIGINTs (the launcher stops its chief and workers at once); SIGKILL it and its children if it hangs."""
    for _ in range(2):
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGINT)
            time.sleep(1.0)
    try:
        launcher.wait(grace)
    except subprocess.TimeoutExpired:
        children = Path(f"/proc/{launcher.pid}/task/{launcher.pid}/children").read_text().split()
        for pid in [int(p) for p in children]:
            os.kill(pid, signal.SIGKILL)
        launcher.kill()
        launcher.wait()


def measure(family: str, k: int, precision: str, prepared: Workdir, root: Path, args) -> Row:
    """One launch with K trials on GPU 0, its committed epochs counted over the window once K trials warmed up."""
    name = f"{family}-k{k}-{precision}"
    work = run_workdir(prepared, root / name)
    command = [sys.executable, str(REPO / "experiments" / "launch.py"), family, "--gpus", "0"]
    command += ["--trials-per-gpu", str(k), "--port", str(free_port()), "--workdir", str(work)]
    command += ["--tb-logs", str(root / f"tb-{name}"), "--space", str(args.spaces[family])]
    command += ["--max-epochs", str(SEED_MAX_EPOCHS), "--batch-size", "32"]
    command += [] if precision == "float32" else ["--mixed-precision", precision]
    sampler = GpuSampler()
    idle = sampler.read()
    sampler.start()
    started = time.monotonic()
    with open(root / f"{name}.log", "w") as log:
        launcher = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    warm = min(k, args.grid_points[family])
    while launcher.poll() is None and time.monotonic() - started < args.warmup_limit:
        if sum(e >= 1 for e, _ in committed(work / family).values()) >= warm:
            break
        time.sleep(0.5)
    begin, first = time.monotonic(), committed(work / family)
    while launcher.poll() is None and time.monotonic() - begin < args.seconds_per_k:
        time.sleep(0.5)
    end, last = time.monotonic(), committed(work / family)
    failed = launcher.poll()
    stop(launcher)
    sampler.done.set()
    epochs = sum(e - first.get(t, (0, 0.0))[0] for t, (e, _) in last.items())
    warmed = {t: last[t] for t, (e, _) in first.items() if e >= 1 and t in last and last[t][0] > e}
    paces = [(s - first[t][1]) / (e - first[t][0]) for t, (e, s) in warmed.items()]  # first epochs compile
    util, peak = sampler.between(begin, end)
    mib = (peak - idle[1]) / k if peak is not None and idle else None
    warmed_up = sum(e >= 1 for e, _ in first.values()) >= warm
    note = "" if warmed_up else f"{warm} first epochs not committed in --warmup-limit"
    note = f"launcher exited {failed} early: see {name}.log" if failed is not None else note
    if failed is not None:
        print((root / f"{name}.log").read_text()[-3000:], file=sys.stderr)
    rate = epochs / (end - begin) * 3600 if end > begin else None
    pace = float(np.mean(paces)) if paces else None
    return Row(family, k, precision, epochs, end - begin, rate, pace, mib, util, begin - started, note)


def run_order(ks: list[int]) -> list[int]:
    """K = 1 and the largest first, so a cut budget still leaves the speed-up measured."""
    return sorted(ks, key=lambda k: (k != min(ks), k != max(ks), k))


def projection(rows: list[Row], plan: HalvingPlan) -> list[str]:
    """The seed's study (every grid point to 30 epochs, the worst case) at each family's best measured rate."""
    best = {}
    for row in rows:
        if row.epochs_per_hour and row.epochs_per_hour > getattr(best.get(row.family), "epochs_per_hour", 0):
            best[row.family] = row
    if set(best) != set(SEED_GRIDS):
        return [f"projection: n/a (no measured rate for {', '.join(sorted(set(SEED_GRIDS) - set(best)))})"]
    lines = []
    for label, epochs_of in (
        ("full grid", lambda n: n * SEED_MAX_EPOCHS),
        (f"halving {plan.rungs}", plan.worst_case_epochs),
    ):
        minutes = {f: epochs_of(n) / best[f].epochs_per_hour * 60 for f, n in SEED_GRIDS.items()}
        parts = ", ".join(
            f"{FAMILIES[f].label} {epochs_of(n):,} epochs at K={best[f].k} {best[f].precision} {minutes[f]:.0f} min"
            for f, n in SEED_GRIDS.items()
        )
        lines.append(f"seed study, {label}: {sum(minutes.values()):.0f} min on one GPU ({parts}; seed: 1,326 min)")
    return lines


def shown(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    """The Markdown table of every run, with each family's speed-up over its K = 1 run of the same precision."""
    base = {(r.family, r.precision): r.epochs_per_hour for r in rows if r.k == 1 and r.epochs_per_hour}
    head = "| family | K | precision | trial-epochs/h | x K=1 | s/epoch/trial | GPU MiB/trial | GPU util % | epochs "
    lines = [head + "(window s) | start-up s | note |", "|:--|--:|:--|--:|--:|--:|--:|--:|--:|--:|:--|"]
    for r in sorted(rows, key=lambda r: (r.family, r.precision, r.k)):
        ratio = (
            r.epochs_per_hour / base[(r.family, r.precision)]
            if r.epochs_per_hour and base.get((r.family, r.precision))
            else None
        )
        lines.append(
            f"| {FAMILIES[r.family].label} | {r.k} | {r.precision} | {shown(r.epochs_per_hour)} | {shown(ratio, 1)} | "
            f"{shown(r.seconds_per_epoch, 1)} | {shown(r.mib_per_trial)} | {shown(r.gpu_util)} | "
            f"{r.epochs} ({r.window_s:.0f}) | {r.startup_s:.0f} | {r.note} |"
        )
    return "\n".join(lines)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-clips", type=int, default=24_754)
    parser.add_argument("--val-clips", type=int, default=5_305)
    parser.add_argument("--test-clips", type=int, default=1_000)
    parser.add_argument("--ks", default="1,2,4,8,16", help="trials per GPU to measure, CNN")
    parser.add_argument("--rnn-ks", default="1,16", help="trials per GPU to measure, BiGRU ('' for none)")
    parser.add_argument("--precisions", default="float32,bfloat16")
    parser.add_argument("--points", type=int, default=16, help="grid points of each slice (at least the largest K)")
    parser.add_argument("--seconds-per-k", type=float, default=20.0, help="measured window of each run")
    parser.add_argument("--warmup-limit", type=float, default=90.0, help="most seconds to wait for K first epochs")
    parser.add_argument("--budget-seconds", type=float, default=420.0, help="skip runs that would end past this")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse(argv)
    started = time.monotonic()
    ks = {f: run_order([int(k) for k in text.split(",") if k]) for f, text in (("cnn", args.ks), ("rnn", args.rnn_ks))}
    runs = [(f, k, p) for f, family_ks in ks.items() for k in family_ks for p in args.precisions.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        counts = {"train": args.train_clips, "val": args.val_clips, "test": args.test_clips}
        prepared = write_workdir(root / "prepared", counts, args.seed)
        print(f"data: {counts} clips written in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        spaces = {f: write_space(f, root, max([args.points, *family_ks])) for f, family_ks in ks.items() if family_ks}
        args.spaces, args.grid_points = {f: p for f, (p, _) in spaces.items()}, {f: n for f, (_, n) in spaces.items()}
        rows, spent = [], {}
        for family, k, precision in runs:
            guess = spent.get(family, args.warmup_limit / 2 + args.seconds_per_k + 5)
            if time.monotonic() - started + guess > args.budget_seconds:
                rows.append(Row(family, k, precision, note="skipped: past --budget-seconds"))
                continue
            run_start = time.monotonic()
            rows.append(measure(family, k, precision, prepared, root, args))
            spent[family] = max(spent.get(family, 0.0), time.monotonic() - run_start)
            print(f"{rows[-1]} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    print(table(rows))
    print("\n".join(projection(rows, HalvingPlan(first_rung(SEED_MAX_EPOCHS), 3, SEED_MAX_EPOCHS))))
    print(f"whole benchmark: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
