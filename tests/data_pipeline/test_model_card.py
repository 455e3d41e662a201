"""A saved model's card: class names and feature settings inside the model file (and a copy beside it), checked
against the code's."""

import dataclasses
import json
import zipfile
from dataclasses import replace

import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.model_card import CARD_MEMBER, ModelCard, card_path, read_card, save_model_with_card, write_card
from plumbing.errors import DataError, UsageError


def fake_save(path):
    """A stand-in for `model.save`: a zip with one member, as a `.keras` file is."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")


def test_the_card_travels_inside_the_model_file(tmp_path):
    model = tmp_path / "best_model.keras"
    save_model_with_card(model, fake_save, ["flute", "Drum_set"], FeatureConfig())
    assert CARD_MEMBER in zipfile.ZipFile(model).namelist() and card_path(model) == tmp_path / "best_model.json"
    moved = tmp_path / "elsewhere" / "renamed.keras"
    moved.parent.mkdir()
    model.rename(moved)  # the model file alone, no copy of the card beside it
    assert read_card(moved) == ModelCard(("flute", "Drum_set"), FeatureConfig())


def test_the_card_inside_wins_over_a_damaged_copy_beside(tmp_path):
    model = tmp_path / "m.keras"
    save_model_with_card(model, fake_save, ["a", "b"], FeatureConfig())
    card_path(model).write_text('{"classes": [')
    assert read_card(model).classes == ("a", "b")


def test_a_model_saved_without_a_card_inside_reads_the_copy_beside(tmp_path):
    model = tmp_path / "best_model.keras"
    fake_save(model)
    write_card(model, ["flute", "Drum_set"], FeatureConfig())
    assert read_card(model) == ModelCard(("flute", "Drum_set"), FeatureConfig())


def test_a_damaged_card_inside_is_one_line_naming_the_model(tmp_path):
    model = tmp_path / "m.keras"
    fake_save(model)
    with zipfile.ZipFile(model, "a") as archive:
        archive.writestr(CARD_MEMBER, b"\xff not json")
    with pytest.raises(DataError) as error:
        read_card(model)
    assert f"{model} (its card): damaged model card" in str(error.value) and "\n" not in str(error.value)


def test_a_model_trained_on_other_features_is_refused_in_one_line(tmp_path):
    model = tmp_path / "m.keras"
    save_model_with_card(model, fake_save, ["a", "b"], replace(FeatureConfig(), num_mels=128, hop_length=512))
    with pytest.raises(DataError) as error:
        read_card(model)
    assert "hop_length, num_mels differ" in str(error.value) and "\n" not in str(error.value)


def test_missing_model_or_card_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="no such model file"):
        read_card(tmp_path / "none.keras")
    model = tmp_path / "old.keras"
    fake_save(model)
    with pytest.raises(DataError, match=r"old.keras carries no model card \(none inside it, no old.json beside it\)"):
        read_card(model)


def test_a_card_names_its_features_kind_and_reads_back_as_that_kind(tmp_path):
    from data_pipeline.musicnn.config import MusicnnFeatures

    model = tmp_path / "m.keras"
    save_model_with_card(model, fake_save, ["a", "b"], MusicnnFeatures())
    assert json.loads(card_path(model).read_text())["features"]["kind"] == "musicnn"
    assert read_card(model) == ModelCard(("a", "b"), MusicnnFeatures())
    save_model_with_card(model, fake_save, ["a", "b"], replace(MusicnnFeatures(), version=0))
    with pytest.raises(DataError) as error:
        read_card(model)
    assert "version differ from this code's MusicnnFeatures" in str(error.value)


def test_a_card_from_before_kinds_is_log_mel_and_an_unknown_kind_is_a_damaged_card(tmp_path):
    model = tmp_path / "m.keras"
    old = {"classes": ["a"], "features": dataclasses.asdict(FeatureConfig())}  # no "kind": written before kinds
    fake_save(model)
    with zipfile.ZipFile(model, "a") as archive:
        archive.writestr(CARD_MEMBER, json.dumps(old))
    assert read_card(model).features == FeatureConfig()
    for kind in ("mfcc", ["log_mel"], None):
        fake_save(model)
        with zipfile.ZipFile(model, "a") as archive:
            archive.writestr(CARD_MEMBER, json.dumps({**old, "features": {**old["features"], "kind": kind}}))
        with pytest.raises(DataError, match="damaged model card"):
            read_card(model)
