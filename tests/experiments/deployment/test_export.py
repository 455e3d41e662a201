"""Raw-audio serving models (SavedModel, TFLite) give the Keras model's probabilities on cached features."""

import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from data_pipeline.audio import load_clip
from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import load_split
from data_pipeline.model_card import read_card
from data_pipeline.workdir import Workdir
from experiments.deployment.serving import export_savedmodel, export_tflite
from tests.support import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clips(sweep_data, trained_model):
    """Raw test clips as decoded from their files, and the Keras model's probabilities on their cached features."""
    test = load_split(Workdir(trained_model.parent.parent), FeatureConfig(), "test")
    waveforms = np.stack([load_clip(sweep_data / path, FeatureConfig()) for path in test.paths[:6]])
    model = keras.models.load_model(trained_model, safe_mode=True)
    return waveforms, np.asarray(model(np.asarray(test.features[:6]), training=False))


def test_savedmodel_serves_raw_audio_with_its_class_names(trained_model, clips, tmp_path):
    out = tmp_path / "served"
    done = subprocess.run(
        [sys.executable, "experiments/export.py", "--model", str(trained_model), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "input [batch, 66150] float32 mono at 22050 Hz" in done.stdout
    loaded = tf.saved_model.load(str(out))
    waveforms, expected = clips
    probabilities = loaded.serve(tf.constant(waveforms))["probabilities"].numpy()
    card = read_card(trained_model)
    assert probabilities.shape == (6, len(card.classes))
    np.testing.assert_allclose(probabilities, expected, atol=1e-4)
    names = [n.decode() for n in loaded.signatures["labels"]()["classes"].numpy()]
    assert names == list(card.classes) == (out / "labels.txt").read_text().split()


def test_tflite_serves_raw_audio_as_the_keras_model_and_replaces_an_earlier_export_whole(
    trained_model, clips, tmp_path
):
    card = read_card(trained_model)
    model = keras.models.load_model(trained_model, safe_mode=True)
    export_savedmodel(model, card, tmp_path / "lite")  # an earlier export of the other format in the same folder
    path = export_tflite(model, card, tmp_path / "lite")
    assert sorted(p.name for p in (tmp_path / "lite").iterdir()) == ["labels.txt", "model.tflite"]
    waveforms, expected = clips
    runner = tf.lite.Interpreter(model_path=str(path)).get_signature_runner()
    probabilities = np.concatenate([runner(waveform=w[None])["probabilities"] for w in waveforms])
    np.testing.assert_allclose(probabilities, expected, atol=1e-4)
    assert (tmp_path / "lite" / "labels.txt").read_text().split() == list(card.classes)


def test_export_command_refuses_a_folder_of_other_files(trained_model, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("keep me")
    done = subprocess.run(
        [sys.executable, "experiments/export.py", "--model", str(trained_model), "--out", str(tmp_path / "mine")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 2 and "holds other files" in done.stderr
    assert (tmp_path / "mine" / "thesis.tex").exists()
