"""Option groups the deployment commands share: the saved model to use, and how files are cut into windows."""

import argparse
from pathlib import Path

from plumbing.arguments import positive_seconds, seconds_at_least
from plumbing.quiet_start import VERBOSE_FLAG

MIN_HOP_SECONDS = 0.05  # 4 STFT frames: closer windows repeat the same audio, and a minute is already 1,200 of them


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options of every command that uses a saved model (predict, export, evaluate)."""
    parser.add_argument("--model", type=Path, required=True, help="a .keras file a sweep or train.py saved")
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """How long files are cut into model-sized windows (predict, outside evaluation)."""
    parser.add_argument(
        "--window",
        type=positive_seconds,
        default=3.0,
        help="seconds per window (at most the clip length; shorter windows are padded as training clips are)",
    )
    parser.add_argument(
        "--hop",
        type=seconds_at_least(MIN_HOP_SECONDS),
        default=1.5,
        help=f"seconds between window starts (at least {MIN_HOP_SECONDS:g})",
    )
