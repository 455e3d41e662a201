"""The seed's BiGRU family (section 4.2), without the seed's Lambda layer.

- `build_baseline_bigru`: Figure 83 (5,038 parameters with 14 classes).
- `build_enhanced_bigru`: Figure 92 (14,190 parameters).
- `BiGRUHyperModel`: the factory of Figure 102 over the grid of Figure 103 (24 points); its best
  point (64-32, dropout 0, no head, lr 3e-4) is Figure 114 (81,934 parameters).
"""

import keras
from keras import layers

from hypermodels.augmentation import AUGMENT_DEFAULTS, input_augmentation
from hypermodels.base import INPUT_SHAPE, SpaceHyperModel, classifier, compile_model
from hypermodels.class_weighting import WEIGHTING_DEFAULTS
from hypermodels.space import SearchSpace, parse_tuple

SEED_SPACE = SearchSpace.from_mapping(
    "seed",
    {
        "gru_units": [(32, 16), (32, 32), (64, 32)],
        "dropout": [0.0, 0.3],
        "use_dense_head": [False, True],
        "learning_rate": [3e-4, 1e-3],
    },
)
QUICK_SPACE = SearchSpace.from_mapping(
    "quick",
    {
        "gru_units": [(16, 16), (32, 16)],
        "dropout": [0.0],
        "use_dense_head": [False],
        "learning_rate": [3e-3, 1e-3],
    },
)
DEFAULTS = {
    "gru_units": "16-16",
    "dropout": 0.0,
    "use_dense_head": False,
    "head_dropout": 0.0,
    "learning_rate": 3e-4,
    **AUGMENT_DEFAULTS,
    **WEIGHTING_DEFAULTS,
}
TUNED_POINT = {"gru_units": "64-32"}  # Figure 112 (the rest are the defaults)


def bigru_model(params: dict, num_classes: int, input_shape=INPUT_SHAPE, name: str = "bigru") -> keras.Model:
    """(mels, time, 1) -> time-major frames -> BiGRU(seq) -> BiGRU -> optional Dense(32) -> softmax."""
    p = {**DEFAULTS, **params}
    first, second = parse_tuple(p["gru_units"])
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=input_shape))
    for layer in input_augmentation(p):
        model.add(layer)
    model.add(layers.Permute((2, 1, 3), name="time_first"))
    model.add(layers.Reshape((-1, input_shape[0]), name="frames"))
    model.add(layers.Bidirectional(layers.GRU(first, dropout=p["dropout"], return_sequences=True)))
    model.add(layers.Bidirectional(layers.GRU(second, dropout=p["dropout"])))
    if p["use_dense_head"]:
        model.add(layers.Dense(32, activation="relu", name="head_dense_32"))
        if p["head_dropout"]:
            model.add(layers.Dropout(p["head_dropout"], name="head_dropout"))
    model.add(classifier(num_classes))
    return model


def build_baseline_bigru(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """Figure 83: BiGRU(8) x 2 and a softmax; SGD 0.01."""
    model = bigru_model({"gru_units": "8-8"}, num_classes, input_shape, "baseline_bigru")
    return compile_model(model, keras.optimizers.SGD(learning_rate=0.01))


def build_enhanced_bigru(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """Figure 92: BiGRU(16) x 2 with dropout 0.3, Dense(32)+Dropout(0.3) head; Adam 3e-4."""
    params = {"gru_units": "16-16", "dropout": 0.3, "use_dense_head": True, "head_dropout": 0.3}
    model = bigru_model(params, num_classes, input_shape, "enhanced_bigru")
    return compile_model(model, keras.optimizers.Adam(learning_rate=3e-4))


class BiGRUHyperModel(SpaceHyperModel):
    """The seed's BiGRU factory (Figure 102) over a search space (default: the Figure 103 grid)."""

    seed_space = SEED_SPACE
    defaults = DEFAULTS

    def architecture(self, params: dict) -> keras.Model:
        return bigru_model(params, self.num_classes, self.input_shape, "tuned_bigru")
