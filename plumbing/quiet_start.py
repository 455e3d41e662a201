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

from plumbing import gpu_memory
from plumbing.devices import device_line
from plumbing.errors import EXIT_INTERRUPTED

VERBOSE_ENV = "INSTRUMENT_TUNER_VERBOSE"
VERBOSE_FLAG = "--verbose"


def wants_verbose(argv: Sequence[str]) -> bool:
    """True when the command line has --verbose or the environment asks for the backend's lines."""
    return VERBOSE_FLAG in argv or os.environ.get(VERBOSE_ENV, "") not in ("", "0")


def configure_gpu_memory() -> None:
    """Let the backend take GPU memory as it needs it (not all of it at the first operation), within this
    process's share when its launcher gave it one (`plumbing.gpu_memory`)."""
    import keras

    gpu_memory.after_import(keras.backend.backend())


def start_keras(verbose: bool = False) -> str:
    """Import Keras and its backend once (GPU memory bounded or growing), quietly unless `verbose`; Ctrl-C then is one
    line. Returns the backend's device line (`plumbing.devices`), which training commands print first."""
    gpu_memory.before_import()
    try:
        return import_backend(verbose)
    except Exception as error:
        if not interrupted(error):
            raise
        stopped_while_starting()
    except KeyboardInterrupt:
        stopped_while_starting()


def stopped_while_starting() -> None:
    print("\ninterrupted while starting: nothing was done", file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)


def interrupted(error: BaseException) -> bool:
    """Whether a Ctrl-C caused `error`: one that lands inside the import machinery's lock surfaces as a `SystemError`
    whose context is the `KeyboardInterrupt`."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def import_backend(verbose: bool) -> str:
    """Import Keras and its backend, and list its devices; unless `verbose`, their start-up stderr is dropped (shown if
    the import fails)."""
    if verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0")
        configure_gpu_memory()
        return device_line()
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
            configure_gpu_memory()
            return device_line()
        except Exception as error:  # an import that failed shows why; Ctrl-C shows nothing
            if interrupted(error):
                raise
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
