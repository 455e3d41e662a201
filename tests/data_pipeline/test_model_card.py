"""A saved model's card: class names and feature settings beside it, checked against the code's."""

from dataclasses import replace

import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.model_card import ModelCard, card_path, read_card, write_card
from plumbing.errors import DataError, UsageError


def test_card_round_trip_beside_the_model(tmp_path):
    model = tmp_path / "best_model.keras"
    model.write_bytes(b"model")
    write_card(model, ["flute", "Drum_set"], FeatureConfig())
    assert card_path(model) == tmp_path / "best_model.json"
    assert read_card(model) == ModelCard(("flute", "Drum_set"), FeatureConfig())


def test_a_model_trained_on_other_features_is_refused_in_one_line(tmp_path):
    model = tmp_path / "m.keras"
    model.write_bytes(b"model")
    write_card(model, ["a", "b"], replace(FeatureConfig(), num_mels=128, hop_length=512))
    with pytest.raises(DataError) as error:
        read_card(model)
    assert "hop_length, num_mels differ" in str(error.value) and "\n" not in str(error.value)


def test_missing_model_or_card_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="no such model file"):
        read_card(tmp_path / "none.keras")
    model = tmp_path / "old.keras"
    model.write_bytes(b"model")
    with pytest.raises(DataError, match="old.json is missing"):
        read_card(model)
