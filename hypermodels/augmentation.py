"""The augmentation hyperparameters a search space may set (all off by default) and the layers they make.

`mixup_alpha` is the one that acts on data, not on the model: the training batches mix pairs of clips
(`data_pipeline.mixup`) and the model is compiled for soft labels (`hypermodels.soft_labels`).
"""

from keras import layers

from hypermodels.mel_augment import TIME_SHIFT_MODES, MelAugment
from hypermodels.spec_augment import SpecAugment

MIXUP = "mixup_alpha"
MEL_AUGMENT = ("pitch_shift", "eq_db", "gain_db", "time_shift", "noise_snr_db")  # each off at 0
TIME_SHIFT_MODE = "time_shift_mode"
AUGMENT_DEFAULTS = {
    "pitch_shift": 0.0,
    "eq_db": 0.0,
    "gain_db": 0.0,
    "time_shift": 0.0,
    TIME_SHIFT_MODE: TIME_SHIFT_MODES[0],
    "noise_snr_db": 0.0,
    "time_mask": 0,
    "freq_mask": 0,
    MIXUP: 0.0,
}


def input_augmentation(params: dict) -> list[layers.Layer]:
    """Training-only layers in front of a model: recording conditions first, then SpecAugment masks."""
    chosen = []
    if any(float(params[key]) for key in MEL_AUGMENT):
        amounts = {key: float(params[key]) for key in MEL_AUGMENT}
        chosen.append(MelAugment(**amounts, time_shift_mode=str(params[TIME_SHIFT_MODE]), name="mel_augment"))
    if params["time_mask"] or params["freq_mask"]:
        chosen.append(SpecAugment(int(params["time_mask"]), int(params["freq_mask"]), name="spec_augment"))
    return chosen


def uses_mixup(params: dict) -> bool:
    return float(params.get(MIXUP, 0.0)) > 0
