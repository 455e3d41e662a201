"""Float32 everywhere, or Keras' mixed precision (float16 compute, float32 weights and softmax)."""

import keras

MIXED = "mixed_float16"


def use_precision(mixed: bool) -> None:
    """Set the dtype policy of every model built from now on (the classifiers keep a float32 softmax)."""
    keras.mixed_precision.set_global_policy(MIXED if mixed else "float32")
