"""A fit stopped after an epoch and continued ends where an unbroken fit ends (halving relies on it)."""

import json

import keras
import numpy as np
import pandas as pd
import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import TrainingBatches, load_split, make_dataset
from experiments.training.resumable_fit import NonFiniteLoss, TrainingRecipe, fit_resumable
from experiments.training.run_layout import FitLayout
from hypermodels.base import compile_model
from hypermodels.cnn import cnn_model


def train(prepared, fit: FitLayout, epochs: int) -> keras.Model:
    """One `fit_resumable` call as a fresh trial would make it (new session, seeds, datasets)."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(42)
    config = FeatureConfig()
    batches = TrainingBatches(load_split(prepared, config, "train"), batch_size=8, seed=42)
    val = make_dataset(load_split(prepared, config, "val"), batch_size=8)

    def build():
        model = cnn_model({"conv_filters": "4-8-8", "dense_units": 8, "dropout_head": 0.5}, 4)
        return compile_model(model, keras.optimizers.Adam(1e-3))

    recipe = TrainingRecipe(max_epochs=epochs, patience=None)  # keep the last epoch: compare where both end
    return fit_resumable(build, fit, batches, val, recipe).model


def test_continued_training_matches_unbroken_training(prepared, tmp_path):
    unbroken = train(prepared, FitLayout(tmp_path / "unbroken"), 4)
    train(prepared, FitLayout(tmp_path / "halves"), 2)
    continued = train(prepared, FitLayout(tmp_path / "halves"), 4)
    assert (tmp_path / "halves" / "epoch_0004.keras").exists()
    for a, b in zip(unbroken.get_weights(), continued.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_a_fit_that_monitors_macro_f1_keeps_its_best_macro_f1_epoch_and_records_the_monitor(prepared, tmp_path):
    config = FeatureConfig()
    batches = TrainingBatches(load_split(prepared, config, "train"), batch_size=8, seed=42)
    val = make_dataset(load_split(prepared, config, "val"), batch_size=8)
    keras.utils.set_random_seed(42)

    def build():
        return compile_model(cnn_model({"conv_filters": "4-8-8", "dense_units": 8}, 4), keras.optimizers.Adam(3e-3))

    fit = FitLayout(tmp_path / "f1")
    recipe = TrainingRecipe(max_epochs=3, patience=3, monitor="val_macro_f1")
    result = fit_resumable(build, fit, batches, val, recipe)
    history, state = pd.read_csv(fit.history), json.loads(fit.state.read_text())
    best = int(history["val_macro_f1"].idxmax())  # the first of equal maxima
    assert (state["monitor"], state["best_epoch"], result.best_epoch) == ("val_macro_f1", best + 1, best + 1)
    assert result.best_value == pytest.approx(history.at[best, "val_macro_f1"])
    assert result.val_loss == pytest.approx(history.at[best, "val_loss"])


def test_a_non_finite_loss_ends_the_fit_naming_the_epoch_and_commits_nothing_of_it(prepared, tmp_path):
    config = FeatureConfig()
    batches = TrainingBatches(load_split(prepared, config, "train"), batch_size=8, seed=42)
    val = make_dataset(load_split(prepared, config, "val"), batch_size=8)

    def build():
        model = cnn_model({"conv_filters": "4-8-8", "dense_units": 8}, 4)
        head = model.layers[-1]
        head.kernel.assign(np.full(head.kernel.shape, np.nan, np.float32))  # every prediction NaN
        return compile_model(model, keras.optimizers.Adam(1e-3))

    fit = FitLayout(tmp_path / "nan")
    with pytest.raises(NonFiniteLoss, match="at epoch 1, which was not saved"):
        fit_resumable(build, fit, batches, val, TrainingRecipe(max_epochs=3, patience=None))
    assert not fit.state.exists() or json.loads(fit.state.read_text())["epoch"] == 0
    assert not list(fit.root.glob("epoch_*.keras"))


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda fit: truncate(fit.epoch_model(2)), "epoch_0002.keras: not a .keras model"),
        (lambda fit: fit.state.write_text('{"epoch": 2, "stopped": fal'), "state.json is damaged"),
        (lambda fit: truncate(next(fit.root.glob("best_epoch_*.weights.h5"))), "does not load"),
        (lambda fit: fit.history.write_text("epoch,val_accuracy\n0,0.5\n"), "history.csv lacks rows"),
    ],
)
def test_a_damaged_file_restarts_the_run_which_ends_as_an_unbroken_run(prepared, tmp_path, capsys, damage, said):
    unbroken = train(prepared, FitLayout(tmp_path / "unbroken"), 3)
    fit = FitLayout(tmp_path / "damaged")
    train(prepared, fit, 2)
    damage(fit)
    capsys.readouterr()
    resumed = train(prepared, fit, 3)
    out = capsys.readouterr().out
    assert said in out and "training it again from epoch 0" in out
    assert json.loads(fit.state.read_text())["epoch"] == 3
    for a, b in zip(unbroken.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
