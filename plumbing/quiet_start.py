"""Start Keras and its backend without their start-up lines, so that a command prints only its own.

The backend is Keras' own choice: TensorFlow by default, `KERAS_BACKEND=jax` (or `torch`) otherwise.
TensorFlow 2.21 writes to file descriptor 2 from C++ before Python can configure anything (absl's
"before InitializeLog" notice, cudart_stub, and `cuInit` failing on a machine without a GPU);
`TF_CPP_MIN_LOG_LEVEL=2` no longer hides them. JAX warns through Python's logging when it falls
back to the CPU. `--verbose` or `INSTRUMENT_TUNER_VERBOSE=1` shows them again.
"""

import logging
import os
import sys
import tempfile
from collections.abc import Sequence

from plumbing.errors import EXIT_INTERRUPTED

VERBOSE_ENV = "INSTRUMENT_TUNER_VERBOSE"
VERBOSE_FLAG = "--verbose"


def wants_verbose(argv: Sequence[str]) -> bool:
    """True when the command line has --verbose or the environment asks for the backend's lines."""
    return VERBOSE_FLAG in argv or os.environ.get(VERBOSE_ENV, "") not in ("", "0")


def grow_gpu_memory() -> None:
    """Let the backend take GPU memory as it needs it, not all of it at the first operation.

    Workers that share a GPU, and the trials of one process, then only hold what they use. JAX
    reads its setting when it starts (`XLA_PYTHON_CLIENT_PREALLOCATE`, set before the import).
    """
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        for gpu in tf.config.list_physical_devices("GPU"):
            tf.config.experimental.set_memory_growth(gpu, True)


def start_keras(verbose: bool = False) -> None:
    """Import Keras and its backend once (GPU memory growth on), quietly unless `verbose`; Ctrl-C then is one line."""
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    try:
        import_backend(verbose)
    except KeyboardInterrupt:
        print("\ninterrupted while starting: nothing was done", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)


def import_backend(verbose: bool) -> None:
    """Import Keras and its backend; unless `verbose`, their start-up stderr is dropped (shown if the import fails)."""
    if verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0")
        grow_gpu_memory()
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # also hides the cuInit error logged at the first operation
    logging.getLogger("jax._src.xla_bridge").setLevel(logging.ERROR)  # "falling back to cpu"
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras

            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf

                tf.get_logger().setLevel("ERROR")
            grow_gpu_memory()
        except Exception:  # an import that failed shows why; Ctrl-C (not an Exception) shows nothing
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
