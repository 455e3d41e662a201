"""`fit_resumable(class_weight=...)`: each training clip's loss is scaled by its class's weight, also under mixup."""

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from data_pipeline.datasets import SplitData, TrainingBatches, make_dataset
from experiments.training.resumable_fit import TrainingRecipe, fit_resumable
from experiments.training.run_layout import FitLayout
from hypermodels.base import classifier, compile_model
from hypermodels.class_weighting import class_weights

LABELS = np.array([0] * 6 + [1] * 3 + [2] * 1, np.int32)


def tiny_model(soft_labels: bool) -> keras.Model:
    """The same initial weights at every call; no dropout or batch statistics: training loss = inference loss."""
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((64, 8, 1)), layers.Flatten(), classifier(3)])
    return compile_model(model, keras.optimizers.Adam(1e-3), soft_labels=soft_labels)


@pytest.mark.parametrize("mixup_alpha", [0.0, 0.4])
def test_a_weighted_step_scales_each_clips_loss_by_its_class_weight(mixup_alpha, tmp_path):
    features = np.random.default_rng(0).normal(size=(len(LABELS), 64, 8, 1)).astype(np.float32)
    data = SplitData(features, LABELS, np.array([f"{i}.wav" for i in range(len(LABELS))]))
    batches = TrainingBatches(data, batch_size=len(LABELS), seed=1)  # one step per epoch
    if mixup_alpha:
        batches = batches.with_mixup(mixup_alpha, 3)
    x, y = batches.batch(0, 0)  # the step fit takes first
    soft = y if mixup_alpha else np.eye(3, dtype=np.float32)[y]
    per_clip = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(soft, tiny_model(False)(x)))
    weights = class_weights("balanced", LABELS)
    clip_weights = np.array([weights[c] for c in soft.argmax(axis=1)])  # a mixed clip weighs as its dominant class
    assert len(set(clip_weights)) > 1

    reported = {}
    for name, class_weight in (("none", None), ("balanced", weights)):
        fit = FitLayout(tmp_path / name)
        recipe = TrainingRecipe(max_epochs=1, patience=None)
        build = lambda: tiny_model(mixup_alpha > 0)  # noqa: E731
        fit_resumable(build, fit, batches, make_dataset(data, len(LABELS)), recipe, class_weight=class_weight)
        reported[name] = pd.read_csv(fit.history)["loss"].iloc[0]
    assert reported["none"] == pytest.approx(per_clip.mean(), rel=1e-5)
    assert reported["balanced"] == pytest.approx((clip_weights * per_clip).mean(), rel=1e-5)
    assert reported["balanced"] != pytest.approx(reported["none"], rel=1e-3)
