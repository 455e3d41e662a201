"""Macro F1 as a Keras metric (beyond the seed), logged as `macro_f1` / `val_macro_f1` each epoch.

Keras' `F1Score` wants one-hot labels; this one takes the split's integer labels or mixup's soft
label vectors (their dominant class), and averages over the classes that occur among the labels
or the predictions, as scikit-learn's `f1_score(average="macro")` does.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="instrument_tuner")
class MacroF1(keras.metrics.F1Score):
    """Unweighted mean of the per-class F1 of the top prediction, accumulated over every batch of an epoch."""

    def __init__(self, name: str = "macro_f1", dtype=None):
        super().__init__(average=None, threshold=None, name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if len(y_true.shape) == len(y_pred.shape):  # soft labels
            y_true = ops.argmax(y_true, axis=-1)
        one_hot = ops.one_hot(ops.cast(ops.reshape(y_true, (-1,)), "int32"), ops.shape(y_pred)[-1])
        super().update_state(one_hot, y_pred, sample_weight)

    def result(self):
        occurs = ops.cast(self.true_positives + self.false_positives + self.false_negatives > 0, self.dtype)
        return ops.sum(super().result() * occurs) / ops.maximum(ops.sum(occurs), 1.0)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}
