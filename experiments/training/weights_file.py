"""A model's weights file (`.weights.h5`) built in memory, then written by Python.

h5py crashes the process (SIGSEGV, no exception) when it closes a file the disk had no room for, so a full disk
during Keras' `save_weights` ended a sweep with a segmentation fault. Built in memory with Keras' own store, the
same bytes reach the disk through a plain write, which a full disk makes an `OSError` that `plumbing.disk_space`
turns into one line.
"""

import io
from pathlib import Path

import keras
from keras.src.saving import saving_lib  # Keras' own weights store; the public API writes through h5py to disk


def save_weights(model: keras.Model, path: Path) -> None:
    """Write what `model.save_weights(path)` writes, a `.weights.h5` file, without h5py touching the disk."""
    buffer = io.BytesIO()
    store = saving_lib.H5IOStore(buffer, mode="w")
    saving_lib._save_state(model, weights_store=store, assets_store=None, inner_path="", visited_saveables=set())
    store.close()
    Path(path).write_bytes(buffer.getvalue())
