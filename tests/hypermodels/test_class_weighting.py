"""`class_weight`: balanced weights are n / (k * n_c) of the training labels; none weighs nothing."""

import numpy as np
import pytest

from hypermodels.class_weighting import class_weights


def test_balanced_weighs_each_class_inversely_to_its_clips():
    labels = np.array([0] * 6 + [1] * 3 + [2] * 1)  # 10 clips of 3 classes
    weights = class_weights("balanced", labels)
    assert weights == pytest.approx({0: 10 / 18, 1: 10 / 9, 2: 10 / 3})
    assert sum(weights[c] * np.sum(labels == c) for c in weights) == pytest.approx(len(labels))


def test_none_passes_no_weights():
    assert class_weights("none", np.array([0, 0, 1])) is None
