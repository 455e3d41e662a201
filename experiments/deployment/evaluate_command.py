"""`evaluate.py`: options parsed into one dataclass, then a saved model evaluated on an outside test set."""

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.workdir import Workdir
from experiments.deployment.arguments import add_model_options, add_window_options
from experiments.deployment.outside_evaluation import evaluate_outside
from experiments.deployment.prediction import WindowPlan


@dataclass(frozen=True)
class EvaluateOptions:
    model: Path
    data_dir: Path
    workdir: Path
    name: str
    plan: WindowPlan


def folder_name(text: str) -> str:
    """An argparse type: a name usable as one folder (letters, digits, `-`, `_`, `.`)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", text):
        raise argparse.ArgumentTypeError(f"{text!r}: use letters, digits, '-', '_' or '.' (it names a folder)")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Evaluate a saved model on a labelled class-per-folder set.")
    add_model_options(parser)
    parser.add_argument("--data-dir", type=Path, required=True, help="one folder per class, named as the model's")
    parser.add_argument("--workdir", type=Path, default=Path("runs"), help="results go to WORKDIR/external/NAME")
    parser.add_argument("--name", type=folder_name, required=True, help="what the report calls this test set")
    add_window_options(parser)
    return parser


def parse(argv: list[str]) -> EvaluateOptions:
    args = build_parser().parse_args(argv)
    return EvaluateOptions(args.model, args.data_dir, args.workdir, args.name, WindowPlan(args.window, args.hop))


def run_evaluate(options: EvaluateOptions) -> int:
    metrics = evaluate_outside(options.model, options.data_dir, Workdir(options.workdir), options.name, options.plan)
    folder = Workdir(options.workdir).external_dir(options.name)
    print(
        f"{options.name}: {metrics['test_clips']} clips, accuracy {metrics['accuracy']:.4f}, macro F1 "
        f"{metrics['macro']['f1']:.4f} -> {folder}"
    )
    return 0
