"""The BiGRU family: seed parameter counts, the 24-point grid, no Lambda, safe_mode loading."""

import keras
import keras_tuner as kt
import numpy as np
import pytest

from hypermodels import BiGRUHyperModel, build_baseline_bigru, build_enhanced_bigru
from hypermodels.bigru import QUICK_SPACE, SEED_SPACE
from tests.hypermodels.conftest import param_counts

SEED_BEST = {"gru_units": "64-32", "dropout": 0.0, "use_dense_head": False, "learning_rate": 3e-4}


def build_point(point: dict) -> keras.Model:
    hp = kt.HyperParameters()
    for name, value in point.items():
        hp.values[name] = value
    return BiGRUHyperModel(num_classes=14).build(hp)


def test_baseline_matches_figure_84():
    assert param_counts(build_baseline_bigru(num_classes=14)) == (5038, 5038, 0)


def test_enhanced_matches_figure_93():
    assert param_counts(build_enhanced_bigru(num_classes=14)) == (14190, 14190, 0)


def test_seed_best_point_matches_figure_114():
    assert param_counts(build_point(SEED_BEST)) == (81934, 81934, 0)


def test_grid_is_the_seed_grid_in_the_seed_order():
    points = SEED_SPACE.points()
    assert len(SEED_SPACE) == len(points) == 24
    assert points[16] == SEED_BEST  # the seed's best trial is idx 17 (Figure 111)
    assert points[1]["learning_rate"] == 1e-3 and points[2]["use_dense_head"] is True  # Figure 109
    assert points[4]["dropout"] == 0.3
    assert 3 <= len(QUICK_SPACE) <= 6


def layer_structures(points: list[dict]) -> list[dict]:
    """One grid point per layer structure: units, dropout on or off, head (learning rates do not touch layers)."""
    return list({(p["gru_units"], p["dropout"] > 0, p["use_dense_head"]): p for p in points}.values())


def test_every_layer_structure_of_the_grid_builds_and_runs(batch):
    structures = layer_structures(SEED_SPACE.points())
    assert len(structures) == 12
    for point in structures:
        model = build_point(point)
        assert np.asarray(model(batch[:, :, :20], training=False)).shape == (2, 14)  # any length; short is quick
        keras.backend.clear_session()


def test_every_layer_structure_of_the_grid_keeps_the_settings_of_the_cudnn_kernel():
    for point in layer_structures(SEED_SPACE.points()):
        assert_cudnn_settings(build_point(point))
        keras.backend.clear_session()


def test_no_lambda_layer_and_time_major_frames():
    model = build_enhanced_bigru(num_classes=14)
    assert not any(isinstance(layer, keras.layers.Lambda) for layer in model.layers)
    assert model.get_layer("frames").output.shape == (None, None, 64)
    for frames in (50, 255):
        assert model.predict(np.zeros((1, 64, frames, 1), "float32"), verbose=0).shape == (1, 14)


@pytest.mark.parametrize(
    "make",
    [
        lambda: build_baseline_bigru(num_classes=14),
        lambda: build_enhanced_bigru(num_classes=14),
        lambda: build_point({**SEED_BEST, "use_dense_head": True, "dropout": 0.3}),
    ],
    ids=["baseline", "enhanced", "tuned"],
)
def test_saved_keras_file_loads_in_safe_mode_and_predicts_identically(make, batch, tmp_path):
    model = make()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", safe_mode=True)
    np.testing.assert_array_equal(model.predict(batch, verbose=0), loaded.predict(batch, verbose=0))


def test_mixed_precision_keeps_float32_softmax(batch):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        assert build_point(SEED_BEST)(batch).dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")


def gru_layers(model: keras.Model) -> list[keras.layers.GRU]:
    """Every GRU of a model, both directions of each Bidirectional."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Bidirectional):
            found += [layer.forward_layer, layer.backward_layer]
        elif isinstance(layer, keras.layers.GRU):
            found.append(layer)
    return found


def assert_cudnn_settings(model: keras.Model) -> None:
    """On a GPU, Keras runs a GRU on cuDNN only with these settings; losing one makes epochs several times slower.

    The rule is Keras' TensorFlow predicate, a function of the layers' arguments alone: it is asserted whatever the
    backend the layers were built on (JAX's fast path asks a subset of it: reset_after, no unroll)."""
    pytest.importorskip("tensorflow", reason="Keras' cuDNN rule for a GRU is read from its TensorFlow backend")
    from keras.src.backend.tensorflow.rnn import _do_gru_arguments_support_cudnn

    grus = gru_layers(model)
    assert len(grus) == 4, model.name  # two bidirectional layers
    for gru in grus:
        cell = gru.cell
        assert _do_gru_arguments_support_cudnn(
            cell.activation, cell.recurrent_activation, gru.unroll, cell.use_bias, cell.reset_after
        ), gru.name
        assert cell.recurrent_dropout == 0 and gru.use_cudnn in ("auto", True), gru.name


@pytest.mark.parametrize("build", [build_baseline_bigru, build_enhanced_bigru], ids=["baseline", "enhanced"])
def test_the_fixed_models_keep_the_settings_of_the_cudnn_kernel(build):
    assert_cudnn_settings(build(num_classes=14))
