"""`MacroF1`: the macro F1 an epoch logs is scikit-learn's `f1_score(average="macro")` of the same predictions."""

import keras
import numpy as np
import pytest
from sklearn.metrics import f1_score

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import TrainingBatches, load_split, make_dataset
from hypermodels.base import compile_model
from hypermodels.cnn import cnn_model
from hypermodels.macro_f1 import MacroF1


def test_batches_add_up_to_scikit_learns_macro_f1_over_the_classes_that_occur():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 5, 50)
    labels[labels == 3] = 2  # class 3 is never a label
    probs = rng.random((50, 5)).astype("float32")
    probs[:, 4] = 0  # class 4 is never predicted
    metric = MacroF1()
    for start in range(0, 50, 16):
        metric.update_state(labels[start : start + 16], probs[start : start + 16])
    expected = f1_score(labels, probs.argmax(axis=1), average="macro")
    assert float(metric.result()) == pytest.approx(expected, abs=1e-6)
    soft = MacroF1()
    soft.update_state(0.2 + 0.6 * keras.utils.to_categorical(labels, 5), probs)  # mixup labels: their dominant class
    assert float(soft.result()) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("mixup", [None, 0.4])
def test_an_epochs_val_macro_f1_is_scikit_learns_on_the_models_predictions_of_the_validation_split(prepared, mixup):
    config = FeatureConfig()
    train = TrainingBatches(load_split(prepared, config, "train"), batch_size=8, seed=42)
    if mixup is not None:
        train = train.with_mixup(mixup, 4)
    val = load_split(prepared, config, "val")
    keras.backend.clear_session()
    keras.utils.set_random_seed(42)
    model = cnn_model({"conv_filters": "4-8-8", "dense_units": 8}, 4)
    model = compile_model(model, keras.optimizers.Adam(3e-3), soft_labels=mixup is not None)
    run = train.fit_input(0, 3)
    history = model.fit(
        run.x, steps_per_epoch=run.steps_per_epoch, callbacks=list(run.callbacks), shuffle=False,
        validation_data=make_dataset(val, 3), epochs=3, verbose=0,
    ).history  # fmt: skip
    predicted = model.predict(make_dataset(val, 3), verbose=0).argmax(axis=1)
    assert history["val_macro_f1"][-1] == pytest.approx(f1_score(val.labels, predicted, average="macro"), abs=1e-6)
    assert history["val_accuracy"][-1] == pytest.approx(np.mean(predicted == val.labels), abs=1e-6)
