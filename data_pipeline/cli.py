"""Command line of `python -m data_pipeline`: demo, prepare, eda, musicnn-weights."""

import argparse
from pathlib import Path

from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.dataset_defaults import DEMO_DIR, DEMO_MIN_CLIPS, SEED_MIN_CLIPS, default_min_clips
from data_pipeline.demo.class_counts import CLASS_COUNTS, DEFAULT_PER_CLASS, MIN_SCALED_CLIPS, clips_per_class
from plumbing.arguments import fraction, random_seed
from plumbing.errors import UsageError, refused_writes, run_command

DEMO = "Write a demo dataset in the Kaggle layout (DIR/<class>/<n>.wav, 3 s, 22,050 Hz), rendered by fluidsynth."
PREPARE = (
    "Scan and validate a class-per-folder dataset, keep the classes above --min-clips, split it 70/15/15 once "
    "(stratified) and cache its log-Mel features in the workdir."
)
WEIGHTS = (
    "Fetch musicnn's pretrained weights (the musicnn==0.1.0 wheel from PyPI, its checkpoint and licence kept) and "
    "convert them once for Keras: what the musicnn families need. Does nothing when done."
)
EDA = "Write the seed's exploration figures as PNG: class balance, waveforms, FFT, STFT, Mel filterbank, log-Mel, MFCC."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write a demo dataset in the Kaggle layout", description=DEMO)
    demo.add_argument("--out", type=Path, required=True, help="folder to write: missing, empty or an earlier demo's")
    demo.add_argument("--per-class", type=int, default=None, help=f"clips per class (default {DEFAULT_PER_CLASS})")
    demo.add_argument(
        "--counts",
        choices=sorted(CLASS_COUNTS),
        default=None,
        help=f"clips per class in that dataset's proportions, at least {MIN_SCALED_CLIPS} (its imbalance)",
    )
    demo.add_argument("--scale", type=fraction, default=None, help="--counts times this, in (0, 1] (default 1)")
    demo.add_argument(
        "--classes", default=None, help="14, 28, or comma-separated class names (default 14; --counts: 28)"
    )
    demo.add_argument("--seed", type=random_seed, default=42, help="0 to 2**32 - 1")
    demo.add_argument("--synthetic", action="store_true", help="pure-numpy tones, no fluidsynth")
    prepare = commands.add_parser("prepare", help="scan, validate, split and cache features", description=PREPARE)
    prepare.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="class-per-folder clips (default: the data dir the workdir was prepared from)",
    )
    prepare.add_argument(
        "--workdir", type=Path, required=True, help="where the catalog, split and feature cache go (made if missing)"
    )
    prepare.add_argument(
        "--min-clips",
        type=int,
        default=None,
        help=f"keep classes with more readable clips than this; 0 keeps every class (default: what the workdir was "
        f"prepared with, else {DEMO_MIN_CLIPS} for the demo dataset in {DEMO_DIR} and {SEED_MIN_CLIPS} for any "
        "other, the seed's filter)",
    )
    prepare.add_argument(
        "--seed",
        type=random_seed,
        default=None,
        help=f"the split's random state, 0 to 2**32 - 1 (default: the workdir's, else {SplitConfig.seed})",
    )
    prepare.add_argument("--resplit", action="store_true", help="replace a stored split")
    eda = commands.add_parser("eda", help="write the seed's exploration figures as PNG", description=EDA)
    eda.add_argument("--data-dir", type=Path, required=True, help="class-per-folder clips")
    eda.add_argument("--out", type=Path, required=True, help="folder for the figures (made if missing)")
    commands.add_parser("musicnn-weights", help="set up musicnn's pretrained weights", description=WEIGHTS)
    return parser


def run(args: argparse.Namespace) -> None:
    """Dispatch one parsed command."""
    if args.command == "demo":
        from data_pipeline.demo.generate import make_demo

        classes = args.classes or ("28" if args.counts else "14")
        per_class = clips_per_class(args.per_class, args.counts, args.scale, classes)
        names = make_demo(args.out, per_class, classes, args.seed, args.synthetic)
        sizes = (
            f"x {per_class}" if isinstance(per_class, int) else f"of {args.counts} counts, {sum(per_class.values())}"
        )
        print(f"demo dataset: {len(names)} classes {sizes} clips in {args.out}")
    elif args.command == "prepare":
        from data_pipeline.prepare import prepare
        from data_pipeline.workdir import Workdir

        workdir = Workdir(args.workdir)
        data_dir, split = prepare_inputs(workdir, args.data_dir, args.min_clips, args.seed)
        with refused_writes("--workdir", args.workdir):
            prepare(data_dir, workdir, split, FeatureConfig(), args.resplit)
    elif args.command == "musicnn-weights":
        from plumbing.quiet_start import start_keras

        start_keras()  # without the backend's start-up lines
        from data_pipeline.musicnn.config import MusicnnFeatures
        from data_pipeline.musicnn.weights import set_up

        print(f"musicnn weights: {set_up(MusicnnFeatures())}")
    else:
        from data_pipeline.eda import write_eda_figures

        for path in write_eda_figures(args.data_dir, args.out, FeatureConfig()):
            print(path)


def prepare_inputs(workdir, data_dir: Path | None, min_clips: int | None, seed: int | None) -> tuple[Path, SplitConfig]:
    """The data dir and split settings of a prepare: those given, else those the workdir recorded, else defaults."""
    from data_pipeline.prepare import stored_preparation

    previous = stored_preparation(workdir)
    if data_dir is None and previous is None:
        raise UsageError(f"--data-dir: {workdir.root} was never prepared: pass the class-per-folder data dir")
    data_dir = data_dir if data_dir is not None else Path(previous["data_dir"])
    min_clips = default_min_clips(previous, data_dir) if min_clips is None else min_clips
    seed = seed if seed is not None else (previous or {}).get("seed", SplitConfig.seed)
    return data_dir, SplitConfig(min_clips=min_clips, seed=int(seed))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; a project error becomes one line on stderr and exit code 2."""
    args = build_parser().parse_args(argv)
    return run_command(lambda: run(args))
