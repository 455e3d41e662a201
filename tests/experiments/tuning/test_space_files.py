"""`--space seed|quick|FILE`: every value checked against its hyperparameter's rule when the file is read."""

import json
import random

import keras
import keras_tuner as kt
import numpy as np
import pytest

from experiments.tuning.space_files import load_space
from hypermodels.augmentation import uses_mixup
from hypermodels.cnn import SEED_SPACE
from hypermodels.families import FAMILIES
from hypermodels.space import SearchSpace
from hypermodels.space_rules import RULES
from plumbing.errors import UsageError


def test_builtin_spaces():
    assert load_space("seed", "cnn") is SEED_SPACE
    assert len(load_space("seed", "rnn")) == 24 and len(load_space("quick", "rnn")) == 4


def test_json_and_yaml_files(tmp_path):
    (tmp_path / "s.json").write_text('{"conv_filters": [[8, 16, 32], [32, 64, 128]], "head_pooling": ["time"]}')
    (tmp_path / "s.yaml").write_text("gru_units:\n  - [64, 32]\ndropout: [0.0, 0.2]\ntime_shift_mode: [padded]\n")
    assert dict(load_space(str(tmp_path / "s.json"), "cnn").values)["conv_filters"] == ("8-16-32", "32-64-128")
    with pytest.raises(UsageError, match="unknown hyperparameter"):  # the CNN's word, not the BiGRU's
        load_space(str(tmp_path / "s.json"), "rnn")
    assert len(load_space(str(tmp_path / "s.yaml"), "rnn")) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gru_units: [[8, 8]]", "unknown hyperparameter"),
        ("conv_filters: 5", "list"),
        ("[1, 2", "cannot parse"),
        ("time_shift_mode: [circular, pad]", r"time_shift_mode \['pad'\] is not one of circular, padded"),
        ("head_pooling: [global, frames]", r"head_pooling \['frames'\] is not one of global, time"),
    ],
)
def test_bad_space_files_are_one_line_usage_errors(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_space(str(path), "cnn")


def test_missing_space_file():
    with pytest.raises(UsageError, match="--space"):
        load_space("nope.yaml", "cnn")


@pytest.mark.parametrize(
    ("text", "family", "message"),
    [
        ("learning_rate: [-1.0]", "cnn", r"learning_rate \[-1.0\] is not a number in \(0, 1\]"),
        ("learning_rate: [true]", "cnn", r"learning_rate \[True\] is not a number"),
        ("learning_rate: ['0.001']", "cnn", r"learning_rate \['0.001'\] is not a number"),
        ("dense_units: [64.7]", "cnn", r"dense_units \[64.7\] is not a whole number from 1 to 4096"),
        ("dropout_head: [0.3, 1.5]", "cnn", r"dropout_head \[1.5\] is not a number in \[0, 1\)"),
        ("dropout: [-0.2]", "rnn", r"dropout \[-0.2\] is not a number in \[0, 1\)"),
        ("conv_filters: [[0, 16, 32]]", "cnn", r"conv_filters .* is not 3 positive whole numbers"),
        ("conv_filters: [[8.5, 16, 32]]", "cnn", r"conv_filters .* is not 3 positive whole numbers"),
        ("gru_units: [[16]]", "rnn", r"gru_units \[\[16\]\] is not 2 positive whole numbers"),
        ("use_dense_head: [1]", "rnn", r"use_dense_head \[1\] is not true or false"),
        ("dense_units: [64, 64]", "cnn", r"dense_units lists 64 more than once"),
        ("dense_units: [100000000000]", "cnn", r"dense_units \[100000000000\] is not a whole number from 1 to 4096"),
        ("gain_db: [1.0e+300]", "cnn", r"gain_db \[1e\+300\] is not a number in \[0, 40\]"),
        ("conv_filters: [[8, 16, 100000]]", "cnn", r"conv_filters .* is not 3 positive whole numbers of at most 1024"),
        ("[" * 5000, "cnn", r"cannot parse"),
        ("conv_filters: [[8, 16, 32], 8-16-32]", "cnn", r"conv_filters lists 8-16-32 more than once"),
        ("conv_filters: {min: 8, max: 64}", "cnn", r"conv_filters takes a list of values .*, not a range"),
        ("head_pooling: {min: 0, max: 1}", "cnn", r"head_pooling takes a list of values \(one of global"),
        ("use_dense_head: {min: 0, max: 1}", "rnn", r"use_dense_head takes a list of values"),
        ("learning_rate: {min: 0, max: 0.01}", "cnn", r"learning_rate \[0\] is not a number in \(0, 1\]"),
        ("dropout_head: {min: 0.1, max: 1.5}", "cnn", r"dropout_head \[1.5\] is not a number in \[0, 1\)"),
        ("dense_units: {min: 8, max: 64.5}", "cnn", r"dense_units \[64.5\] is not a whole number"),
        ("dropout_head: {min: 0.4, max: 0.2}", "cnn", r"dropout_head: a range needs numbers min < max"),
    ],
)
def test_values_outside_their_rule_are_refused_naming_the_key_and_value(tmp_path, text, family, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_space(str(path), family)


HOSTILE = [-1, 0, 1, 2, 3, 0.5, 1.5, 64, 64.7, 1e-3, True, False, None, "x", "global", "time", "padded",
           [8, 16, 32], [16, 16], [0, 8], "8-16-32", float("nan"), [], {"a": 1}]  # fmt: skip


def drawn_value(generator: random.Random, family: str, name: str):
    """A value its rule accepts (the default or a hostile one that passes) two times in three, else any."""
    valid = [FAMILIES[family].defaults[name], *(v for v in HOSTILE if not RULES[name].reason(v))]
    return generator.choice(valid if generator.random() < 2 / 3 else HOSTILE)


def trains_one_step(family: str, values: dict) -> float:
    """Build the point's model as a trial does, train it on one batch and return the loss."""
    keras.backend.clear_session()
    hp = kt.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    known = FAMILIES[family]
    model = known.hypermodel(num_classes=3, space=load_space_of(values)).build(hp)
    labels = np.eye(3, dtype="float32")[:2] if uses_mixup(values) else np.array([0, 1])  # mixup trains on soft labels
    result = model.train_on_batch(np.random.default_rng(0).normal(size=(2, 64, 40, 1)).astype("float32"), labels)
    return float(np.ravel(result)[0])


def load_space_of(values: dict) -> SearchSpace:
    return SearchSpace.from_mapping("point", {name: [value] for name, value in values.items()})


@pytest.mark.parametrize("case", range(24))
def test_a_random_space_file_is_refused_in_one_line_exactly_when_a_value_breaks_its_rule_else_trains(tmp_path, case):
    generator = random.Random(case)
    family = ("cnn", "rnn")[case % 2]
    names = sorted(FAMILIES[family].defaults)
    mapping = {name: [drawn_value(generator, family, name)] for name in generator.sample(names, 3)}
    path = tmp_path / "space.json"
    path.write_text(json.dumps(mapping))
    broken = [name for name, (value,) in mapping.items() if RULES[name].reason(value)]
    if broken:
        with pytest.raises(UsageError) as refused:
            load_space(str(path), family)
        said = str(refused.value)
        assert "\n" not in said and said.startswith(f"--space {path}: {broken[0]} "), (said, broken)
    else:
        space = load_space(str(path), family)
        assert len(space) == 1 and space.names == list(mapping)
        assert np.isfinite(trains_one_step(family, space.points()[0])), mapping


def test_a_range_is_read_for_a_number_key_and_an_integer_range_for_a_whole_one(tmp_path):
    path = tmp_path / "ranges.yaml"
    path.write_text("learning_rate: {min: 1.0e-4, max: 1.0e-2, sampling: log}\ndense_units: {min: 16, max: 128}\n")
    space = load_space(str(path), "cnn")
    ranges = dict(space.values)
    assert ranges["learning_rate"].sampling == "log" and not ranges["learning_rate"].integer
    assert ranges["dense_units"].integer and space.ranges == ["learning_rate", "dense_units"]
