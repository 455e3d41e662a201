"""The seed's CNN family (section 4.1).

- `build_baseline_cnn`: Figure 42 (790 parameters with 14 classes).
- `build_enhanced_cnn`: Figure 55 (7,630 parameters, 7,518 trainable).
- `CNNHyperModel`: the model factory of Figure 65 over the grid of Figure 66 (96 points); its best
  point (24-48-96, dense 128, dropout 0.3 / 0.5, lr 3e-4, no L2) is Figure 77 (67,118 parameters).

Beyond the seed, `head_pooling` says where the head pools. "global" (the seed's) averages each feature map over
frequency and time before the Dense layer, so the head cannot tell in which bands a pattern was found; "time"
applies the Dense layer to every frame's whole column of bands x filters (a convolution as tall as the last
feature map) and averages over time after it, so where in the spectrum energy lies (timbre) reaches the head.
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
        "conv_filters": [(8, 16, 32), (16, 32, 64), (24, 48, 96)],
        "kernel_size": [3],
        "pool_size": [2],
        "dropout_block3": [0.3, 0.4],
        "dense_units": [64, 128],
        "dropout_head": [0.3, 0.5],
        "learning_rate": [3e-4, 1e-4],
        "l2_strength": [0.0, 1e-4],
    },
)
QUICK_SPACE = SearchSpace.from_mapping(
    "quick",
    {
        "conv_filters": [(8, 16, 32), (16, 32, 64)],
        "dropout_block3": [0.3],
        "dense_units": [64],
        "dropout_head": [0.3],
        "learning_rate": [1e-3, 3e-4],
    },
)
HEAD_POOLINGS = ("global", "time")
DEFAULTS = {
    "conv_filters": "8-16-32",
    "kernel_size": 3,
    "pool_size": 2,
    "dropout_block3": 0.3,
    "dense_units": 32,
    "head_pooling": HEAD_POOLINGS[0],
    "dropout_head": 0.3,
    "learning_rate": 3e-4,
    "l2_strength": 0.0,
    **AUGMENT_DEFAULTS,
    **WEIGHTING_DEFAULTS,
}
TUNED_POINT = {"conv_filters": "24-48-96", "dense_units": 128, "dropout_block3": 0.3, "dropout_head": 0.5}  # Figure 77


def cnn_model(params: dict, num_classes: int, input_shape=INPUT_SHAPE, name: str = "cnn") -> keras.Model:
    """Three Conv-BN-ReLU blocks, pooling after blocks 1-2, dropout after 3, a dense head pooled per `head_pooling`."""
    p = {**DEFAULTS, **params}
    l2 = keras.regularizers.l2(p["l2_strength"]) if p["l2_strength"] > 0 else None
    kernel, pool = (int(p["kernel_size"]),) * 2, (int(p["pool_size"]),) * 2
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=input_shape))
    for layer in input_augmentation(p):
        model.add(layer)
    for block, filters in enumerate(parse_tuple(p["conv_filters"]), start=1):
        model.add(layers.Conv2D(filters, kernel, padding="same", kernel_regularizer=l2))
        model.add(layers.BatchNormalization())
        model.add(layers.ReLU())
        model.add(layers.MaxPooling2D(pool) if block < 3 else layers.Dropout(p["dropout_block3"]))
    if p["head_pooling"] == "global":
        model.add(layers.GlobalAveragePooling2D())
        model.add(layers.Dense(int(p["dense_units"]), activation="relu", kernel_regularizer=l2))
    elif p["head_pooling"] == "time":
        model.add(layers.Conv2D(int(p["dense_units"]), (model.output_shape[1], 1), kernel_regularizer=l2))
        model.add(layers.BatchNormalization())
        model.add(layers.ReLU())
        model.add(layers.GlobalAveragePooling2D())
    else:
        raise ValueError(f"head_pooling {p['head_pooling']!r}: use one of {', '.join(HEAD_POOLINGS)}")
    model.add(layers.Dropout(p["dropout_head"]))
    model.add(classifier(num_classes))
    return model


def build_baseline_cnn(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """Figure 42: two Conv(8)+MaxPool(4x4) blocks, GAP, softmax; SGD 0.01."""
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(8, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D((4, 4)),
            layers.Conv2D(8, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D((4, 4)),
            layers.GlobalAveragePooling2D(),
            classifier(num_classes),
        ],
        name="baseline_cnn",
    )
    return compile_model(model, keras.optimizers.SGD(learning_rate=0.01))


def build_enhanced_cnn(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """Figure 55: 8-16-32 Conv-BN-ReLU blocks, dropout 0.3, Dense(32) head; Adam 3e-4."""
    model = cnn_model({"conv_filters": "8-16-32", "dense_units": 32}, num_classes, input_shape, "enhanced_cnn")
    return compile_model(model, keras.optimizers.Adam(learning_rate=3e-4))


class CNNHyperModel(SpaceHyperModel):
    """The seed's CNN factory (Figure 65) over a search space (default: the Figure 66 grid)."""

    seed_space = SEED_SPACE
    defaults = DEFAULTS

    def architecture(self, params: dict) -> keras.Model:
        return cnn_model(params, self.num_classes, self.input_shape, "tuned_cnn")
