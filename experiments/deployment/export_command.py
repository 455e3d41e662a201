"""`export.py`: a saved model and its card -> a raw-audio serving model (SavedModel or TFLite)."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.model_card import read_card
from experiments.deployment.arguments import add_model_options
from experiments.deployment.export_files import EXPORT_FILES, LABELS
from experiments.deployment.model_files import load_with_card
from plumbing.errors import UsageError
from plumbing.file_names import is_utf8, shown

FORMATS = ("savedmodel", "tflite")


def tensorflow_serving():
    """The exporters' module; a SavedModel is a TensorFlow graph, so exporting needs Keras' TensorFlow backend."""
    import keras

    if keras.backend.backend() != "tensorflow":
        raise UsageError(
            f"export needs Keras' TensorFlow backend (this run uses {keras.backend.backend()}): "
            "install tensorflow and run with KERAS_BACKEND=tensorflow; the .keras model itself loads on any backend"
        )
    from experiments.deployment import serving

    return serving


@dataclass(frozen=True)
class ExportOptions:
    model: Path
    out: Path
    format: str


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Export a saved model as a raw-audio serving model.")
    add_model_options(parser)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it holds an export)")
    parser.add_argument("--format", choices=FORMATS, default="savedmodel", help="a TensorFlow SavedModel, or TFLite")
    return parser


def parse(argv: list[str]) -> ExportOptions:
    args = build_parser().parse_args(argv)
    return ExportOptions(args.model, args.out, args.format)


def run_export(options: ExportOptions) -> int:
    card = read_card(options.model)
    out = options.out
    if not is_utf8(out.resolve()):
        raise UsageError(
            f"--out {shown(out)}: TensorFlow writes exports only under names that are valid UTF-8: pass another folder"
        )
    if out.exists() and (not out.is_dir() or {p.name for p in out.iterdir()} - EXPORT_FILES):
        raise UsageError(f"--out {shown(out)} exists and holds other files: pass a new folder or a previous export")
    serving = tensorflow_serving()
    model = load_with_card(options.model, card)
    path = {"savedmodel": serving.export_savedmodel, "tflite": serving.export_tflite}[options.format](model, card, out)
    samples = card.features.samples_per_clip
    print(
        f"{options.format} -> {shown(path)}: input [batch, {samples}] float32 mono at {card.features.sample_rate} Hz, "
        f"output probabilities of {len(card.classes)} classes ({shown(out / LABELS)})"
    )
    return 0
