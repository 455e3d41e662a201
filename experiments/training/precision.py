"""Float32 everywhere, or Keras' mixed precision (float16 or bfloat16 compute, float32 weights and softmax).

Keras keeps the dtype policy in its global state, which `keras.backend.clear_session()` resets:
every trial and fixed model sets it again just before its model is built.
"""

COMPUTE_DTYPES = ("float16", "bfloat16")


def policy_name(mixed: str | None) -> str:
    """`mixed_float16`, `mixed_bfloat16`, or `float32` when `mixed` is None."""
    return f"mixed_{mixed}" if mixed else "float32"


def use_precision(mixed: str | None) -> None:
    """Set the dtype policy of every model built from now on (the classifiers keep a float32 softmax)."""
    import keras  # here: the command line's choices (`COMPUTE_DTYPES`) are read before Keras starts

    keras.mixed_precision.set_global_policy(policy_name(mixed))
