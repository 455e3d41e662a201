"""`--space seed|quick|FILE`."""

import pytest

from experiments.tuning.space_files import load_space
from hypermodels.cnn import SEED_SPACE
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
