"""KerasTuner HyperModels and fixed builders for the seed's CNN and BiGRU families (and the musicnn ones).

Each name is imported on first use (PEP 562), so that `hypermodels.names` and the other Keras-free
modules load without Keras.
"""

import importlib

_HOMES = {
    "BiGRUHyperModel": "bigru",
    "build_baseline_bigru": "bigru",
    "build_enhanced_bigru": "bigru",
    "CNNHyperModel": "cnn",
    "build_baseline_cnn": "cnn",
    "build_enhanced_cnn": "cnn",
    "load_saved_model": "saved",
    "MacroF1": "macro_f1",
    "MelAugment": "mel_augment",
    "SoftLabelAccuracy": "soft_labels",
    "SoftLabelCrossentropy": "soft_labels",
    "SearchSpace": "space",
    "SpecAugment": "spec_augment",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'hypermodels' has no attribute {name!r}")
    return getattr(importlib.import_module(f"hypermodels.{_HOMES[name]}"), name)
