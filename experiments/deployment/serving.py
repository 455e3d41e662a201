"""A serving model whose input is raw audio: the model's front end inside the graph, then the trained model.

Input `[batch, samples_per_clip]` float32 mono at the model's rate (66,150 at 22,050 Hz for log-Mel models, 48,000
at 16 kHz for musicnn); output the class probabilities. The front end is the representation's
`graph_front_end` (for log-Mel, `data_pipeline.features_tf.log_mel`, the seed's ops), equal within 1e-5 (log-Mel)
or 1e-4 (musicnn) to the numpy function that the feature cache and `predict.py` use.
"""

import os
import shutil
import tempfile
from pathlib import Path

import keras
import tensorflow as tf

from data_pipeline.model_card import ModelCard
from experiments.deployment.export_files import LABELS
from plumbing.atomic import write_text_atomic

ENDPOINT = "serve"
TFLITE = "model.tflite"


def waveform_spec(card: ModelCard) -> tf.TensorSpec:
    return tf.TensorSpec([None, card.features.samples_per_clip], tf.float32, name="waveform")


def serving_function(model: keras.Model, card: ModelCard):
    """waveform -> {"probabilities": [batch, classes]}."""
    front_end = card.features.graph_front_end()

    def serve(waveform):
        return {"probabilities": model(front_end(waveform), training=False)}

    return serve


def write_labels(out: Path, card: ModelCard) -> Path:
    """Class names in output order, one per line, beside the exported model."""
    path = Path(out) / LABELS
    write_text_atomic(path, "".join(f"{name}\n" for name in card.classes))
    return path


def export_savedmodel(model: keras.Model, card: ModelCard, out: Path) -> Path:
    """A TensorFlow SavedModel with signatures `serve` (probabilities) and `labels` (class names).

    Written to a temporary folder beside `out`, then moved into place: a kill leaves no half export.
    """
    out = Path(out)
    staging = staging_folder(out)
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(ENDPOINT, serving_function(model, card), input_signature=[waveform_spec(card)])
    names = tf.constant(list(card.classes))
    archive.add_endpoint("labels", lambda: {"classes": names}, input_signature=[])
    archive.write_out(str(staging), verbose=False)
    write_labels(staging, card)
    return move_into_place(staging, out)


def export_tflite(model: keras.Model, card: ModelCard, out: Path) -> Path:
    """`model.tflite` (signature `serve`, TFLite builtin ops only) beside `labels.txt`.

    Converted from a SavedModel export: converting the function directly leaves Keras' variables
    as uninitialised TFLite resource variables.
    """
    out = Path(out)
    with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as scratch:
        saved = export_savedmodel(model, card, Path(scratch) / "savedmodel")
        converter = tf.lite.TFLiteConverter.from_saved_model(str(saved), signature_keys=[ENDPOINT])
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]  # no Flex delegate needed
        flatbuffer = converter.convert()
    staging = staging_folder(out)
    staging.mkdir()
    (staging / TFLITE).write_bytes(flatbuffer)
    write_labels(staging, card)
    return move_into_place(staging, out) / TFLITE


def staging_folder(out: Path) -> Path:
    """An empty temporary place beside `out` for the new export (not yet made)."""
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def move_into_place(staging: Path, out: Path) -> Path:
    """The staged export replaces `out` whole (a previous export of either format is gone): no mix of two exports,
    and a kill leaves no half export."""
    shutil.rmtree(out, ignore_errors=True)
    os.replace(staging, out)
    return out
