"""--mixed-precision: float16 or bfloat16 compute in every trained layer but the softmax, recorded with the run."""

import json

import keras
import keras_tuner as kt
import pytest

from experiments.options import parse_train, sweep_parser, to_options
from experiments.training.fixed_models import train_fixed
from experiments.training.precision import use_precision
from experiments.training.resumable_fit import TrainingRecipe
from experiments.tuning.record import sweep_info
from hypermodels import CNNHyperModel
from hypermodels.cnn import QUICK_SPACE
from tests.support import sweep_output


def test_mixed_precision_builds_float16_layers_and_a_float32_softmax():
    try:
        use_precision("float16")
        hp = kt.HyperParameters()
        hp.values.update(QUICK_SPACE.points()[0])
        model = CNNHyperModel(num_classes=4, space=QUICK_SPACE).build(hp)
    finally:
        use_precision(None)
    assert model.get_layer("Classifier").compute_dtype == "float32"
    assert model.layers[0].compute_dtype == "float16" and model.layers[0].variable_dtype == "float32"
    assert keras.mixed_precision.global_policy().name == "float32"


def test_a_mixed_precision_sweep_is_recorded_as_one():
    options = to_options(sweep_parser("cnn").parse_args(["--mixed-precision"]))
    info = sweep_info("cnn", QUICK_SPACE, TrainingRecipe(), options)
    assert info["mixed_precision"] is True
    plain = sweep_info("cnn", QUICK_SPACE, TrainingRecipe(), to_options(sweep_parser("cnn").parse_args([])))
    assert "mixed_precision" not in plain  # sweeps from before the flag resume unchanged


def trained_dtypes(model_path) -> tuple[str, str, str]:
    """Compute dtype of the first convolution, its variables' dtype, and the classifier's compute dtype."""
    model = keras.models.load_model(model_path, safe_mode=True, compile=False)
    conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    return conv.compute_dtype, conv.variable_dtype, model.get_layer("Classifier").compute_dtype


@pytest.fixture
def float32_after():
    """The global dtype policy back to float32 after the test, whatever it asserted."""
    yield
    use_precision(None)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.usefixtures("float32_after")
def test_every_trial_and_fixed_model_trains_in_the_chosen_precision(tiny_dataset, tmp_path, capsys, dtype):
    space = tmp_path / "space.json"  # two points: the second trains after a clear_session
    space.write_text(json.dumps({"conv_filters": [[4, 8, 8]], "learning_rate": [0.001, 0.003]}))
    common = ["--data-dir", tiny_dataset, "--workdir", tmp_path / "w", "--tb-logs", tmp_path / "tb", "--min-clips", "5"]
    common += ["--max-epochs", "1", "--batch-size", "8", "--mixed-precision", dtype]
    code, _, err = sweep_output("cnn", [*common, "--space", space], capsys)
    assert code == 0, err
    for trial in range(2):
        checkpoint = tmp_path / "w" / "cnn" / "tuner" / f"trial_{trial}" / "epoch_0001.keras"
        assert trained_dtypes(checkpoint) == (dtype, "float32", "float32"), trial
    assert train_fixed(*parse_train(["--model", "cnn-baseline", *map(str, common)])) == 0
    assert trained_dtypes(tmp_path / "w" / "cnn-baseline" / "best_model.keras") == (dtype, "float32", "float32")
