"""Mixup (Zhang et al., 2018) of a training batch of log-Mel features: beyond the seed.

Each clip is mixed with another of the batch at a weight drawn from Beta(alpha, alpha); the labels
become the same mix of the two one-hot vectors. The clips' Mel *power* is mixed (as if their
waveforms were added), not their logarithms: log(l e^a + (1 - l) e^b), which keeps the log floor.
"""

import numpy as np

EDGE = 1e-6  # keeps log(weight) finite when Beta draws exactly 0 or 1


def mix_batch(
    features: np.ndarray, labels: np.ndarray, rng: np.random.Generator, alpha: float, num_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """([batch, mels, frames, 1] log-Mel, [batch] int labels) -> mixed features, [batch, classes] soft labels."""
    count = len(labels)
    weight = np.clip(rng.beta(alpha, alpha, count), EDGE, 1 - EDGE).astype(np.float32)
    partner = rng.permutation(count)
    shaped = weight.reshape(-1, *([1] * (features.ndim - 1)))
    mixed = np.logaddexp(features + np.log(shaped), features[partner] + np.log1p(-shaped))
    one_hot = np.eye(num_classes, dtype=np.float32)[labels]
    soft = weight[:, None] * one_hot + (1 - weight[:, None]) * one_hot[partner]
    return mixed.astype(np.float32), soft
