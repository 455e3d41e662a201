"""Search spaces are data: readable tuple labels, user spaces, SpecAugment hyperparameters."""

import keras_tuner as kt
import numpy as np
import pytest

from hypermodels import CNNHyperModel, SearchSpace, SpecAugment
from hypermodels.space import parse_tuple, tuple_label


def test_tuple_values_show_as_readable_labels():
    space = SearchSpace.from_mapping("mine", {"conv_filters": [[8, 16, 32], (24, 48, 96)], "dense_units": [64]})
    assert dict(space.values)["conv_filters"] == ("8-16-32", "24-48-96")
    assert parse_tuple(tuple_label((24, 48, 96))) == (24, 48, 96)
    assert len(space) == 2


def test_bad_space_values_are_refused():
    with pytest.raises(ValueError, match="dense_units"):
        SearchSpace.from_mapping("bad", {"dense_units": []})
    with pytest.raises(ValueError, match="unsupported"):
        SearchSpace.from_mapping("bad", {"dense_units": [{"a": 1}]})


def test_user_space_with_spec_augment_builds_through_keras_tuner():
    space = SearchSpace.from_mapping("aug", {"conv_filters": [[8, 16, 32]], "time_mask": [0, 24], "freq_mask": [8]})
    hp = kt.HyperParameters()
    model = CNNHyperModel(num_classes=3, space=space).build(hp)
    assert hp.values == {"conv_filters": "8-16-32", "time_mask": 0, "freq_mask": 8}
    assert isinstance(model.layers[0], SpecAugment)


def test_spec_augment_masks_only_in_training():
    layer = SpecAugment(time_mask=40, freq_mask=10, seed=3)
    x = np.random.default_rng(1).normal(size=(4, 64, 255, 1)).astype("float32")
    np.testing.assert_array_equal(layer(x, training=False), x)
    masked = np.asarray(layer(x, training=True))
    changed = masked != x
    assert changed.any()
    for example in range(4):
        rows = changed[example, :, :, 0]
        full_columns = rows.all(axis=0).sum()
        full_rows = rows.all(axis=1).sum()
        assert full_columns <= 40 and full_rows <= 10
        np.testing.assert_allclose(masked[example][changed[example]], x[example].mean(), rtol=1e-5)
