"""The musicnn_ft family: the pretrained network's last blocks trained with a head, from log-Mel patches."""

import keras
import numpy as np
import pytest

from data_pipeline.musicnn.config import EMBEDDINGS, MusicnnFeatures
from data_pipeline.musicnn.embeddings import EmbeddingExtractor
from hypermodels.base import compile_model
from hypermodels.musicnn_ft import BLOCKS, INPUT_SHAPE, fine_tuned_model, masked
from hypermodels.saved import load_saved_model

PATCHES = np.random.default_rng(2).uniform(0, 3, (16, *INPUT_SHAPE)).astype(np.float32)
LABELS = np.arange(16) % 4


def weights_by_layer(network: keras.Model) -> dict[str, list[np.ndarray]]:
    return {layer.name: [np.array(w) for w in layer.get_weights()] for layer in network.layers if layer.weights}


@pytest.mark.parametrize("unfrozen", [1, 3])
def test_one_training_step_changes_the_unfrozen_blocks_and_nothing_else_of_the_network(musicnn_weights, unfrozen):
    """Frozen batch norms keep their pretrained statistics (inference mode) as well as their scale and offset."""
    model = compile_model(fine_tuned_model({"unfrozen_blocks": unfrozen}, 4), keras.optimizers.Adam(1e-3))
    network = model.get_layer("mtt_musicnn")
    before = weights_by_layer(network)
    model.fit(PATCHES, LABELS, batch_size=16, epochs=1, verbose=0)
    after = weights_by_layer(network)
    changed = {name for name in before if any(map(lambda a, b: not np.array_equal(a, b), before[name], after[name]))}
    assert changed == {layer for block in BLOCKS[:unfrozen] for layer in block}


def test_before_training_the_head_reads_musicnns_penultimate_embedding(musicnn_weights):
    """The family starts from the pretrained network: its head reads what the `musicnn` family caches as
    `penultimate`."""
    model = fine_tuned_model({"unfrozen_blocks": 4}, 4)
    head_input = keras.Model(model.input, model.get_layer("embedding_bn").input)
    start, stop = EMBEDDINGS["penultimate"]
    cached = EmbeddingExtractor(MusicnnFeatures()).model.predict(PATCHES, verbose=0)[:, start:stop]
    np.testing.assert_allclose(head_input.predict(PATCHES, verbose=0), cached, atol=1e-5)


def test_spec_augment_masks_whole_frames_and_whole_mel_bands_of_a_patch_in_training_only():
    patch = keras.Input(INPUT_SHAPE)
    frames_only = keras.Model(patch, masked(patch, 40, 0))
    bands_only = keras.Model(patch, masked(patch, 0, 30))
    x = PATCHES[:8]
    np.testing.assert_array_equal(frames_only(x, training=False), x)
    for model, axis in ((frames_only, 2), (bands_only, 1)):  # the other axis: masked frames span every band
        out = np.asarray(model(x, training=True))
        replaced = (out != x).all(axis=axis)  # [clip, frame] or [clip, band] wholly replaced
        assert replaced.any() and (out != x).sum() == replaced.sum() * x.shape[axis]


def test_the_model_file_loads_in_safe_mode_and_predicts_as_trained(musicnn_weights, tmp_path):
    model = compile_model(
        fine_tuned_model({"unfrozen_blocks": 2, "head_units": 8, "time_mask": 20, "freq_mask": 10}, 4),
        keras.optimizers.Adam(1e-3),
    )
    model.fit(PATCHES, LABELS, batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_saved_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(PATCHES, verbose=0), model.predict(PATCHES, verbose=0))
