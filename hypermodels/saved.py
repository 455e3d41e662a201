"""Load a saved `.keras` model in safe mode: importing this package registers the project's own layers and losses."""

from pathlib import Path

import keras

import hypermodels  # noqa: F401  (registers MelAugment, SpecAugment, the soft-label loss and metric)


def load_saved_model(path: Path | str, compile: bool = False) -> keras.Model:
    """A model saved by a sweep, a fixed run or an export, with Keras' default `safe_mode=True`."""
    return keras.models.load_model(path, safe_mode=True, compile=compile)
