"""KerasTuner HyperModels and fixed builders for the seed's CNN and BiGRU families."""

from hypermodels.bigru import BiGRUHyperModel, build_baseline_bigru, build_enhanced_bigru
from hypermodels.cnn import CNNHyperModel, build_baseline_cnn, build_enhanced_cnn
from hypermodels.macro_f1 import MacroF1
from hypermodels.mel_augment import MelAugment
from hypermodels.soft_labels import SoftLabelAccuracy, SoftLabelCrossentropy
from hypermodels.space import SearchSpace
from hypermodels.spec_augment import SpecAugment

__all__ = [
    "BiGRUHyperModel",
    "CNNHyperModel",
    "MacroF1",
    "MelAugment",
    "SearchSpace",
    "SoftLabelAccuracy",
    "SoftLabelCrossentropy",
    "SpecAugment",
    "build_baseline_bigru",
    "build_baseline_cnn",
    "build_enhanced_bigru",
    "build_enhanced_cnn",
]
