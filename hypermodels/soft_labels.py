"""Cross-entropy and accuracy that take integer labels or mixup's soft label vectors.

Mixup trains on mixed labels while validation keeps the split's integer labels; Keras' own
"accuracy" resolves to one kind of label from the first batch it sees.
"""

import keras
from keras import ops


def _is_soft(y_true, y_pred) -> bool:
    return len(y_true.shape) == len(y_pred.shape)


@keras.saving.register_keras_serializable(package="instrument_tuner")
class SoftLabelCrossentropy(keras.losses.Loss):
    """Categorical cross-entropy on soft labels, sparse on integer labels."""

    def __init__(self, name: str = "soft_label_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        if _is_soft(y_true, y_pred):
            return keras.losses.categorical_crossentropy(y_true, y_pred)
        return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


def label_accuracy(y_true, y_pred):
    """1 where the top prediction is the (dominant) true class."""
    if _is_soft(y_true, y_pred):
        y_true = ops.argmax(y_true, axis=-1)
    return keras.metrics.sparse_categorical_accuracy(y_true, y_pred)


@keras.saving.register_keras_serializable(package="instrument_tuner")
class SoftLabelAccuracy(keras.metrics.MeanMetricWrapper):
    """Accuracy logged as `accuracy` / `val_accuracy`, for integer or soft labels."""

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(fn=label_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}
