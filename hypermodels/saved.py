"""Load a saved `.keras` model in safe mode, the project's own layers, losses and metrics registered first."""

import zipfile
from pathlib import Path

import keras

# the project's registered Keras objects: a model that holds one loads only once its class is registered
from hypermodels import macro_f1, mel_augment, musicnn, soft_labels, spec_augment  # noqa: F401
from plumbing.errors import DataError


class UnloadableModel(DataError):
    """A `.keras` file that is missing, truncated or not a model."""


def load_saved_model(path: Path | str, compile: bool = False) -> keras.Model:
    """A model saved by a sweep, a fixed run or an export, with Keras' default `safe_mode=True`."""
    path = Path(path)
    if not path.is_file():
        raise UnloadableModel(f"{path}: no such model file")
    if not zipfile.is_zipfile(path):  # Keras says "File not found" for a file that exists but is no zip
        raise UnloadableModel(f"{path}: not a .keras model (truncated, or another kind of file)")
    try:
        return keras.models.load_model(path, safe_mode=True, compile=compile)
    except (ValueError, KeyError, TypeError, OSError, zipfile.BadZipFile) as error:
        raise UnloadableModel(f"{path}: cannot load the model ({str(error).splitlines()[0]})") from None
