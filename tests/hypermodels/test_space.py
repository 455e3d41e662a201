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


def test_a_range_is_an_interval_keras_tuner_declares_and_a_grid_refuses():
    mapping = {
        "conv_filters": [[8, 16, 32]],
        "learning_rate": {"min": 1e-4, "max": 1e-2, "sampling": "log"},
        "dropout_head": {"min": 0.1, "max": 0.6, "step": 0.05},
        "dense_units": {"min": 16, "max": 128, "step": 16},
    }
    space = SearchSpace.from_mapping("ranges", mapping, whole=frozenset({"dense_units"}))
    assert space.ranges == ["learning_rate", "dropout_head", "dense_units"]
    declared = {hp.name: hp for hp in space.hyperparameters().space}
    assert isinstance(declared["learning_rate"], kt.engine.hyperparameters.Float)
    assert (declared["learning_rate"].min_value, declared["learning_rate"].sampling) == (1e-4, "log")
    assert isinstance(declared["dense_units"], kt.engine.hyperparameters.Int) and declared["dense_units"].step == 16
    with pytest.raises(ValueError, match="learning_rate is a range: a grid walks lists of values only"):
        space.points()


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"min": 0.5, "max": 0.1}, "min < max"),
        ({"min": 0, "max": 0.1, "sampling": "log"}, "log needs min > 0"),
        ({"min": 0.1, "max": 0.5, "sampling": "cubic"}, "sampling is linear or log"),
        ({"min": 0.1, "max": 0.5, "step": 1}, "step is a number in (0, max - min]"),
        ({"min": 16, "max": 256, "sampling": "log", "step": 2}, "a log range takes no step"),
        ({"min": 0.1}, "min and max required"),
        ({"min": 0.1, "max": 0.5, "sample": "log"}, "a range is {min, max, sampling, step}"),
    ],
)
def test_a_range_that_makes_no_interval_is_refused_naming_the_key(given, said):
    with pytest.raises(ValueError) as refused:
        SearchSpace.from_mapping("bad", {"dropout_head": given})
    assert str(refused.value).startswith("dropout_head: ") and said in str(refused.value)


def test_a_whole_key_takes_a_range_of_whole_numbers_only():
    with pytest.raises(ValueError, match="dense_units: takes whole numbers"):
        SearchSpace.from_mapping("bad", {"dense_units": {"min": 16.5, "max": 64}}, whole=frozenset({"dense_units"}))
