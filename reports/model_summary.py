"""A saved model's layers, output shapes and parameter counts, as `model.summary()` shows them."""

from pathlib import Path

import numpy as np
import pandas as pd

from hypermodels.saved import load_saved_model


def count(weights) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def model_summary(path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Layer table and totals (total, trainable, non_trainable) of a `.keras` file."""
    model = load_saved_model(path)
    rows = [
        {
            "layer": layer.name,
            "type": type(layer).__name__,
            "output shape": str(tuple(layer.output.shape)),
            "params": layer.count_params(),
        }
        for layer in model.layers
    ]
    trainable, frozen = count(model.trainable_weights), count(model.non_trainable_weights)
    return pd.DataFrame(rows), {"total": trainable + frozen, "trainable": trainable, "non_trainable": frozen}
