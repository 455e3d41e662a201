"""Helpers for model tests."""

import numpy as np
import pytest


def param_counts(model) -> tuple[int, int, int]:
    """(total, trainable, non-trainable) parameters, as `model.summary()` prints them."""
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return trainable + frozen, trainable, frozen


@pytest.fixture(scope="session")
def batch() -> np.ndarray:
    """Two log-Mel-like inputs of the seed's shape."""
    return np.random.default_rng(0).normal(-5, 3, (2, 64, 255, 1)).astype("float32")
