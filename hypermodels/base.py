"""What the families' HyperModels share: a search space, compilation, a float32 softmax."""

import keras
import keras_tuner as kt
from keras import layers

from hypermodels.augmentation import uses_mixup
from hypermodels.macro_f1 import MacroF1
from hypermodels.soft_labels import SoftLabelAccuracy, SoftLabelCrossentropy
from hypermodels.space import SearchSpace

INPUT_SHAPE = (64, None, 1)


def classifier(num_classes: int, regularizer=None) -> layers.Dense:
    """Softmax output kept in float32, also under a mixed-precision policy."""
    return layers.Dense(
        num_classes, activation="softmax", dtype="float32", kernel_regularizer=regularizer, name="Classifier"
    )


def compile_model(model: keras.Model, optimizer: keras.optimizers.Optimizer, soft_labels: bool = False) -> keras.Model:
    """Sparse categorical cross-entropy and accuracy, as every seed model, and macro F1; `soft_labels` for mixup's
    mixed labels."""
    if soft_labels:
        model.compile(optimizer=optimizer, loss=SoftLabelCrossentropy(), metrics=[SoftLabelAccuracy(), MacroF1()])
    else:
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy", MacroF1()])
    return model


class SpaceHyperModel(kt.HyperModel):
    """A HyperModel over a `SearchSpace`: `build(hp)` = `architecture(values)` compiled with Adam."""

    seed_space: SearchSpace
    defaults: dict
    default_input_shape: tuple = INPUT_SHAPE  # its family's features' (`families.Family.features`)

    def __init__(self, *, num_classes: int, input_shape=None, space: SearchSpace | None = None, **kwargs):
        super().__init__(name=type(self).__name__, **kwargs)
        self.num_classes = num_classes
        self.input_shape = input_shape or self.default_input_shape
        self.space = space if space is not None else self.seed_space

    def architecture(self, params: dict) -> keras.Model:
        """The uncompiled model of one point of the space."""
        raise NotImplementedError

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        params = self.space.choose(hp)
        learning_rate = float(params.get("learning_rate", self.defaults["learning_rate"]))
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        return compile_model(self.architecture(params), optimizer, soft_labels=uses_mixup(params))
