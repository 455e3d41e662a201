"""The Keras rebuild of MTT_musicnn computes what its authors' own graph computes, with their weights."""

import numpy as np
import pytest

from data_pipeline.musicnn.config import EMBEDDINGS, MusicnnFeatures
from data_pipeline.musicnn.network import embedding_model
from data_pipeline.musicnn.weights import checkpoint_prefix, pretrained_network

CONFIG = MusicnnFeatures()


@pytest.fixture(scope="module")
def patches() -> np.ndarray:
    """Two fixed log-Mel patches with the range of real ones (log10(10000 x + 1) of a skewed power)."""
    power = np.random.default_rng(0).gamma(0.5, 0.01, (2, 187, 96)).astype(np.float32)
    return np.log10(10_000 * power + 1)


def test_the_rebuild_equals_the_checkpoints_own_graph_within_1e_4(musicnn_weights, patches):
    from tests.data_pipeline.musicnn.graph_reference import OUTPUTS, reference_outputs

    reference = reference_outputs(checkpoint_prefix(CONFIG), patches)
    network = pretrained_network(CONFIG)
    assert network.count_params() == 792_079
    penultimate, pooled, tags = (np.asarray(x) for x in network.predict(patches, verbose=0))
    maxima, means = pooled[:, 0::2], pooled[:, 1::2]  # interleaved, as the original flattens them
    for ours, name in zip((tags, maxima, means, penultimate), OUTPUTS, strict=True):
        theirs = reference[name].reshape(ours.shape)
        assert np.abs(theirs).max() > 0.1, name  # a real signal, not zeros agreeing with zeros
        np.testing.assert_allclose(ours, theirs, atol=1e-4, rtol=0, err_msg=name)


def test_the_embedding_is_the_three_outputs_side_by_side(musicnn_weights, patches):
    network = pretrained_network(CONFIG)
    joined = np.asarray(embedding_model(network).predict(patches, verbose=0))
    for (name, (start, stop)), part in zip(EMBEDDINGS.items(), network.predict(patches, verbose=0), strict=True):
        np.testing.assert_array_equal(joined[:, start:stop], np.asarray(part), err_msg=name)


def test_the_network_computes_in_float32_under_a_mixed_precision_policy(musicnn_weights, patches):
    """The cache and a model file must not depend on `--mixed-precision`: the embeddings are the float32 ones."""
    import keras

    expected = np.asarray(embedding_model(pretrained_network(CONFIG)).predict(patches, verbose=0))
    keras.config.set_dtype_policy("mixed_float16")
    try:
        network = embedding_model(pretrained_network(CONFIG))
        assert {layer.compute_dtype for layer in network.layers if layer.weights} == {"float32"}
        np.testing.assert_array_equal(np.asarray(network.predict(patches, verbose=0)), expected)
    finally:
        keras.config.set_dtype_policy("float32")
