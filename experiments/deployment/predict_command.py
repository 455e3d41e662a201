"""`predict.py`: options parsed into one dataclass, then the model is loaded once and every file predicted."""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.audio_files import find_audio
from data_pipeline.model_card import read_card
from experiments.deployment.arguments import add_model_options, add_window_options
from experiments.deployment.model_files import load_with_card
from experiments.deployment.output_formats import FORMATS
from experiments.deployment.prediction import WindowPlan, predict_files
from plumbing.arguments import counted
from plumbing.errors import UsageError
from plumbing.file_names import shown


@dataclass(frozen=True)
class PredictOptions:
    model: Path
    paths: tuple[Path, ...]
    top_k: int
    format: str
    plan: WindowPlan


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Classify audio files with a saved model (best classes first).")
    add_model_options(parser)
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="audio files or folders (recursive)")
    parser.add_argument("--top-k", type=counted(1), default=3, help="how many classes to list per file")
    parser.add_argument("--format", choices=sorted(FORMATS), default="table", help="table for people; csv, json")
    add_window_options(parser)
    parser.add_argument("--batch-size", type=counted(1), default=64, help="windows per model call")
    return parser


def parse(argv: list[str]) -> PredictOptions:
    args = build_parser().parse_args(argv)
    plan = WindowPlan(args.window, args.hop, args.batch_size)
    return PredictOptions(args.model, tuple(args.paths), args.top_k, args.format, plan)


def check_paths(paths: tuple[Path, ...]) -> None:
    """Refuse a PATH that does not exist (a typo), before the model is loaded."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise UsageError(
            f"PATH {shown(missing[0])}{more}: no such file or folder: pass audio files or folders of audio"
        )


def run_predict(options: PredictOptions) -> int:
    """Print the predictions; exit 1 when a file could not be read (the others are still predicted)."""
    check_paths(options.paths)
    card = read_card(options.model)
    if options.plan.window > card.features.clip_seconds:
        raise UsageError(
            f"--window {options.plan.window:g}: the model takes clips of at most {card.features.clip_seconds:g} s"
        )
    files = find_audio(list(options.paths))
    if not files:
        raise UsageError(f"no audio files in {', '.join(map(shown, options.paths))}: pass files or folders of audio")
    model = load_with_card(options.model, card)
    results = predict_files(model, card, files, options.plan)
    k = min(options.top_k, len(card.classes))
    print(FORMATS[options.format](results, card.classes, k))
    broken = [r for r in results if r.error]
    for r in broken:
        print(f"error: {r.error}", file=sys.stderr)
    return 1 if broken else 0
