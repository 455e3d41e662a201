"""One seed for Python's, NumPy's and Keras' random streams, on any backend."""

import sys

import keras


def set_random_seed(seed: int) -> None:
    """`keras.utils.set_random_seed`, without starting TensorFlow on another backend.

    Keras also seeds TensorFlow whenever it is installed (for `tf.data` pipelines, which this
    project does not use), which would import all of TensorFlow into a JAX or torch run. On those
    backends TensorFlow is hidden from Keras for the call, so Keras takes it as not installed.
    """
    if keras.backend.backend() == "tensorflow" or "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)
        return
    sys.modules["tensorflow"] = None  # an import of it raises ImportError
    try:
        keras.utils.set_random_seed(seed)
    finally:
        del sys.modules["tensorflow"]
