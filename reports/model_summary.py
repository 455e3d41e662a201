"""A saved model's layers, output shapes and parameter counts, as `model.summary()` shows them."""

from pathlib import Path

import numpy as np
import pandas as pd

from hypermodels.saved import load_saved_model


def count(weights) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def shape_of(output) -> str:
    """A layer's output shape; a nested model with several outputs (musicnn's network) lists each."""
    if isinstance(output, list | tuple):
        return ", ".join(shape_of(part) for part in output)
    return str(tuple(output.shape))


def model_summary(path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Layer table and totals (total, trainable, non_trainable) of a `.keras` file."""
    model = load_saved_model(path)
    rows = [
        {
            "layer": layer.name,
            "type": type(layer).__name__,
            "output shape": shape_of(layer.output),
            "params": layer.count_params(),
        }
        for layer in model.layers
    ]
    trainable, frozen = count(model.trainable_weights), count(model.non_trainable_weights)
    return pd.DataFrame(rows), {"total": trainable + frozen, "trainable": trainable, "non_trainable": frozen}
