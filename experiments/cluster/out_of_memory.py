"""A trial that ran out of GPU memory, told apart by the backend's own message (TensorFlow, JAX, PyTorch).

TensorFlow raises `ResourceExhaustedError` ("OOM when allocating tensor"), JAX an `XlaRuntimeError`
("RESOURCE_EXHAUSTED: Out of memory"), PyTorch `OutOfMemoryError` ("CUDA out of memory"): the text
is what they share, so no backend is imported to tell.
"""

import keras_tuner as kt

MARKERS = ("resource_exhausted", "out of memory", "out_of_memory", "oom when allocating")


class TrialOutOfMemory(kt.errors.FatalError):
    """A worker's trial ran out of GPU memory; its lease was handed back, the worker leaves."""


def is_out_of_memory(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from, is the backend running out of (GPU) memory."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if any(marker in str(error).lower() for marker in MARKERS):
            return True
        error = error.__cause__ or error.__context__
    return False
