"""--mixed-precision: float16 compute in every layer but the softmax, recorded with the sweep."""

import keras
import keras_tuner as kt

from experiments.options import sweep_parser, to_options
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import TrainingRecipe
from experiments.tuning.record import sweep_info
from hypermodels import CNNHyperModel
from hypermodels.cnn import QUICK_SPACE


def test_mixed_precision_builds_float16_layers_and_a_float32_softmax():
    try:
        use_precision(True)
        hp = kt.HyperParameters()
        hp.values.update(QUICK_SPACE.points()[0])
        model = CNNHyperModel(num_classes=4, space=QUICK_SPACE).build(hp)
    finally:
        use_precision(False)
    assert model.get_layer("Classifier").compute_dtype == "float32"
    assert model.layers[0].compute_dtype == "float16" and model.layers[0].variable_dtype == "float32"
    assert keras.mixed_precision.global_policy().name == "float32"


def test_a_mixed_precision_sweep_is_recorded_as_one():
    options = to_options(sweep_parser("cnn").parse_args(["--mixed-precision"]))
    info = sweep_info("cnn", QUICK_SPACE, TrainingRecipe(), options)
    assert info["mixed_precision"] is True
    plain = sweep_info("cnn", QUICK_SPACE, TrainingRecipe(), to_options(sweep_parser("cnn").parse_args([])))
    assert "mixed_precision" not in plain  # sweeps from before the flag resume unchanged
