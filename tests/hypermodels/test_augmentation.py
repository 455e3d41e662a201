"""Augmentation hyperparameters: each transform does what it says in training, nothing at inference."""

import subprocess
import sys

import keras
import keras_tuner as kt
import numpy as np
import pytest

from hypermodels import CNNHyperModel, MelAugment, SearchSpace, SpecAugment
from hypermodels.augmentation import AUGMENT_DEFAULTS, MEL_AUGMENT, MIXUP, TIME_SHIFT_MODE
from hypermodels.bigru import DEFAULTS as RNN_DEFAULTS
from hypermodels.cnn import DEFAULTS as CNN_DEFAULTS
from hypermodels.mel_augment import NOISE_SNR_SPAN_DB, band_edges_hz
from hypermodels.soft_labels import SoftLabelAccuracy, SoftLabelCrossentropy
from tests.support import REPO

DB = np.log(10) / 10  # one dB of power in natural-log units
EVERYTHING = {"pitch_shift": 2.0, "eq_db": 6.0, "gain_db": 6.0, "time_shift": 0.25, "noise_snr_db": 10.0}


def loud(batch: int = 8, frames: int = 255, seed: int = 0) -> np.ndarray:
    """Log-Mel power far above the 1e-6 floor, so log differences are power ratios."""
    return np.random.default_rng(seed).normal(0.0, 1.0, (batch, 64, frames, 1)).astype("float32")


def augment(x: np.ndarray, **params) -> np.ndarray:
    return np.asarray(MelAugment(**params, seed=3)(x, training=True))


def test_every_augmentation_is_a_space_key_of_both_families_and_off_by_default():
    for defaults in (CNN_DEFAULTS, RNN_DEFAULTS):
        assert all(defaults[key] == off for key, off in AUGMENT_DEFAULTS.items())
    assert set(MEL_AUGMENT) | {MIXUP, TIME_SHIFT_MODE, "time_mask", "freq_mask"} == set(AUGMENT_DEFAULTS)
    model = CNNHyperModel(num_classes=3).build(kt.HyperParameters())
    assert not any(isinstance(layer, MelAugment | SpecAugment) for layer in model.layers)


def test_space_values_reach_the_layer_and_the_trial_hyperparameters():
    mapping = {
        "conv_filters": [[8, 16, 32]],
        **{key: [value] for key, value in EVERYTHING.items()},
        "time_mask": [20],
        MIXUP: [0.2],
        TIME_SHIFT_MODE: ["padded"],
    }
    hp = kt.HyperParameters()
    model = CNNHyperModel(num_classes=3, space=SearchSpace.from_mapping("aug", mapping)).build(hp)
    assert {key: hp.values[key] for key in EVERYTHING} == EVERYTHING and hp.values[MIXUP] == 0.2
    mel, masks = model.layers[0], model.layers[1]
    assert isinstance(mel, MelAugment) and isinstance(masks, SpecAugment)
    assert {key: mel.get_config()[key] for key in EVERYTHING} == EVERYTHING
    assert hp.values[TIME_SHIFT_MODE] == mel.get_config()[TIME_SHIFT_MODE] == "padded"
    assert isinstance(model.loss, SoftLabelCrossentropy)


def test_off_at_inference_the_model_predicts_as_without_augmentation():
    x = loud(4)
    plain = CNNHyperModel(num_classes=5).architecture({})
    augmented = CNNHyperModel(num_classes=5).architecture({**EVERYTHING, "time_mask": 30, "freq_mask": 8})
    augmented.set_weights(plain.get_weights())
    np.testing.assert_array_equal(MelAugment(**EVERYTHING)(x, training=False), x)
    np.testing.assert_allclose(augmented.predict(x, verbose=0), plain.predict(x, verbose=0), rtol=1e-6)
    assert not np.allclose(augmented(x, training=True), plain(x, training=True))


def test_gain_is_one_level_change_per_example_within_the_bound():
    x = loud()
    change = augment(x, gain_db=6.0) - x
    per_example = change.reshape(len(x), -1)
    assert np.ptp(per_example, axis=1).max() < 1e-3
    assert np.abs(per_example).max() <= 6.0 * DB + 1e-4
    assert np.ptp(per_example[:, 0]) > 1.0 * DB  # examples get different gains


def test_time_shift_rolls_each_example_circularly_by_at_most_the_fraction():
    x, most = loud(), round(0.25 * 255)
    shifted = augment(x, time_shift=0.25)
    shifts = []
    for example in range(len(x)):
        found = [
            k
            for k in range(-most, most + 1)
            if np.allclose(np.roll(x[example], k, axis=1), shifted[example], atol=1e-4)
        ]
        assert len(found) == 1, f"example {example} is not a circular shift of at most {most} frames"
        shifts += found
    assert len(set(shifts)) > 2


def test_padded_time_shift_moves_each_example_and_lets_silence_in_at_the_end_it_left():
    x, most, floor = loud(), round(0.25 * 255), np.log(1e-6)
    shifted = augment(x, time_shift=0.25, time_shift_mode="padded")
    shifts = []
    for example in range(len(x)):
        found = []
        for k in range(-most, most + 1):
            expected = np.full_like(x[example], floor)
            if k >= 0:
                expected[:, k:] = x[example][:, : 255 - k]
            else:
                expected[:, :k] = x[example][:, -k:]
            if np.allclose(expected, shifted[example], atol=1e-4):
                found.append(k)
        assert len(found) == 1, f"example {example} is not a padded shift of at most {most} frames"
        shifts += found
    assert len(set(shifts)) > 2 and any(shifts)


def test_an_unknown_time_shift_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="time_shift_mode 'pad': use one of circular, padded"):
        MelAugment(time_shift=0.1, time_shift_mode="pad")


def test_equalisation_is_a_smooth_curve_of_band_gains_within_the_bound():
    x = loud()
    change = augment(x, eq_db=6.0) - x
    assert np.ptp(change, axis=2).max() < 1e-3  # one gain per band, the same in every frame
    curves = change[:, :, 0, 0]
    assert np.abs(curves).max() <= 6.0 * DB + 1e-4 and np.abs(curves).max() > 1.0 * DB
    steps = np.abs(np.diff(curves, axis=1)).max()
    assert steps < 0.25 * np.abs(curves).max(axis=1).max(), "neighbouring bands must get similar gains"


def test_pitch_shift_moves_a_tone_by_at_most_the_semitones():
    centres = band_edges_hz(64, 0.0, 11_025.0)[1:-1]
    x = np.full((16, 64, 20, 1), np.log(1e-6), "float32")
    x[:, 40] = np.log(1.0 + 1e-6)  # one tone in band 40
    shifted = np.exp(augment(x, pitch_shift=2.0)[:, :, 0, 0]) - 1e-6
    centroid = (shifted * centres).sum(axis=1) / shifted.sum(axis=1)
    semitones = 12 * np.log2(centroid / centres[40])
    assert np.all(np.abs(semitones) <= 2.0 + 0.05)
    assert np.ptp(semitones) > 1.0


def test_noise_only_adds_power_at_a_signal_to_noise_ratio_in_range():
    x = loud()
    noisy = augment(x, noise_snr_db=10.0)
    assert np.all(noisy >= x - 1e-5)
    signal = np.exp(x).reshape(len(x), -1).mean(axis=1)
    noise = (np.exp(noisy) - np.exp(x)).reshape(len(x), -1).mean(axis=1)
    snr = 10 * np.log10(signal / noise)
    assert np.all(snr > 10.0 - 0.5) and np.all(snr < 10.0 + NOISE_SNR_SPAN_DB + 0.5)
    assert np.ptp(snr) > 3.0


def test_soft_label_loss_and_accuracy_match_keras_on_integer_labels_and_read_mixed_ones():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], "float32")
    labels = np.array([0, 1])
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    np.testing.assert_allclose(SoftLabelCrossentropy()(labels, probabilities), expected, rtol=1e-6)
    soft = np.array([[0.8, 0.2, 0.0], [0.0, 0.4, 0.6]], "float32")
    mixed = -(soft * np.log(probabilities)).sum(axis=1).mean()
    np.testing.assert_allclose(SoftLabelCrossentropy()(soft, probabilities), mixed, rtol=1e-5)
    metric = SoftLabelAccuracy()
    metric.update_state(soft, probabilities)  # both right: dominant classes 0 and 2
    metric.update_state(labels, probabilities)  # one right
    assert metric.name == "accuracy" and float(metric.result()) == pytest.approx(0.75)


def test_augmented_mixup_model_trains_then_loads_in_safe_mode_in_a_fresh_process(tmp_path):
    hp = kt.HyperParameters()
    space = SearchSpace.from_mapping(
        "aug",
        {
            "conv_filters": [[4, 8, 8]],
            MIXUP: [0.4],
            "time_mask": [10],
            **{key: [value] for key, value in EVERYTHING.items()},
        },
    )
    model = CNNHyperModel(num_classes=3, space=space).build(hp)
    rng = np.random.default_rng(1)
    x, soft = loud(12), rng.dirichlet(np.ones(3), 12).astype("float32")
    history = model.fit(x, soft, validation_data=(x, np.arange(12) % 3), epochs=1, verbose=0)
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history.history)
    assert np.isfinite(history.history["loss"]).all() and np.isfinite(history.history["val_loss"]).all()
    path = tmp_path / "augmented.keras"
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "expected.npy", model.predict(x, verbose=0))
    check = (
        "import sys, numpy as np\n"
        "from hypermodels.saved import load_saved_model\n"
        "model = load_saved_model(sys.argv[1], compile=True)\n"
        "np.testing.assert_allclose(model.predict(np.load(sys.argv[2]), verbose=0), np.load(sys.argv[3]), rtol=1e-5)\n"
        "assert type(model.loss).__name__ == 'SoftLabelCrossentropy'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check, str(path), str(tmp_path / "x.npy"), str(tmp_path / "expected.npy")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
