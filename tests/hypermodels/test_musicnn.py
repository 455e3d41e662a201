"""The musicnn family: a head that reads one embedding of the cached row, saved on top of the frozen network."""

import keras
import keras_tuner as kt
import numpy as np
import pytest

from data_pipeline.musicnn.config import EMBEDDING_WIDTH, EMBEDDINGS, MusicnnFeatures
from data_pipeline.musicnn.network import embedding_model
from data_pipeline.musicnn.weights import pretrained_network
from hypermodels.musicnn import (
    SEED_SPACE,
    MusicnnHyperModel,
    build_baseline_musicnn,
    build_enhanced_musicnn,
    head_model,
    serving_model,
    trained_head,
)
from hypermodels.saved import load_saved_model
from tests.hypermodels.conftest import param_counts

ROWS = np.random.default_rng(1).normal(size=(6, EMBEDDING_WIDTH)).astype(np.float32)


def build_point(point: dict) -> keras.Model:
    hp = kt.HyperParameters()
    for name, value in point.items():
        hp.values[name] = value
    return MusicnnHyperModel(num_classes=5).build(hp)


@pytest.mark.parametrize("embedding", list(EMBEDDINGS))
def test_the_head_reads_only_its_embeddings_columns(embedding):
    model = build_point({**SEED_SPACE.points()[0], "embedding": embedding})
    start, stop = EMBEDDINGS[embedding]
    changed = ROWS.copy()
    changed[:, [c for c in range(EMBEDDING_WIDTH) if not start <= c < stop]] = 1e3  # every other column
    np.testing.assert_array_equal(model.predict(ROWS, verbose=0), model.predict(changed, verbose=0))
    changed[:, start] += 1.0
    assert not np.array_equal(model.predict(ROWS, verbose=0), model.predict(changed, verbose=0))


def test_baseline_is_a_linear_probe_and_enhanced_a_hidden_layer_on_the_pooled_embedding():
    pooled = EMBEDDINGS["pooled"][1] - EMBEDDINGS["pooled"][0]
    batch_norm = 4 * pooled
    assert param_counts(build_baseline_musicnn(num_classes=5)) == (
        batch_norm + pooled * 5 + 5,
        2 * pooled + pooled * 5 + 5,
        2 * pooled,
    )
    assert build_enhanced_musicnn(num_classes=5).get_layer("head_dense").units == 256


def test_l2_strength_puts_a_penalty_on_the_head_kernels():
    plain = head_model({"head_units": 16, "l2_strength": 0.0}, 5)
    penalised = head_model({"head_units": 16, "l2_strength": 0.1}, 5)
    assert not plain.losses and len(penalised.losses) == 2 and all(float(loss) > 0 for loss in penalised.losses)


def test_the_model_file_is_the_frozen_network_then_the_head_and_loads_in_safe_mode(musicnn_weights, tmp_path):
    head = build_point({"embedding": "penultimate", "head_units": 8, "dropout_head": 0.5})
    model = serving_model(head)
    patches = np.random.default_rng(2).uniform(0, 3, (3, 187, 96)).astype(np.float32)
    rows = embedding_model(pretrained_network(MusicnnFeatures())).predict(patches, verbose=0)
    expected = head.predict(rows, verbose=0)
    np.testing.assert_allclose(model.predict(patches, verbose=0), expected, atol=1e-6)
    assert model.count_params() == 792_079 + head.count_params()
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == sum(
        int(np.prod(w.shape)) for w in head.trainable_weights
    )
    model.save(tmp_path / "m.keras")
    loaded = load_saved_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(patches, verbose=0), expected, atol=1e-6)
    np.testing.assert_allclose(trained_head(loaded).predict(rows, verbose=0), expected, atol=1e-6)


def test_the_fine_tuned_back_end_starts_as_the_network_and_trains_with_the_head(musicnn_weights):
    patches = np.random.default_rng(3).uniform(0, 3, (8, 187, 96)).astype(np.float32)
    rows = embedding_model(pretrained_network(MusicnnFeatures())).predict(patches, verbose=0)
    model = build_point({"embedding": "penultimate_tuned", "head_units": 0})
    penultimate = keras.Model(model.inputs, model.get_layer("back_end_penultimate").output)
    start, stop = EMBEDDINGS["penultimate"]
    np.testing.assert_allclose(penultimate.predict(rows, verbose=0), rows[:, start:stop], atol=1e-5)
    before = model.get_layer("back_end_penultimate_dense").get_weights()[0].copy()
    model.fit(rows, np.arange(8) % 5, epochs=1, verbose=0)
    assert not np.allclose(model.get_layer("back_end_penultimate_dense").get_weights()[0], before)
