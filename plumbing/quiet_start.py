"""Start Keras and its backend without their start-up lines, so that a command prints only its own.

The backend is Keras' own choice: TensorFlow by default, `KERAS_BACKEND=jax` (or `torch`) otherwise.
TensorFlow 2.21 writes to file descriptor 2 from C++ before Python can configure anything (absl's
"before InitializeLog" notice, cudart_stub, and `cuInit` failing on a machine without a GPU);
`TF_CPP_MIN_LOG_LEVEL=2` no longer hides them. JAX warns through Python's logging when it falls
back to the CPU. `--verbose` or `INSTRUMENT_TUNER_VERBOSE=1` shows them again.
"""

import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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
    with ctrl_c_ends_the_start():
        return import_backend(verbose)


STOPPED_LINE = "\ninterrupted while starting: nothing was done\n"


@contextmanager
def ctrl_c_ends_the_start() -> Iterator[None]:
    """While the backend imports, Ctrl-C ends the process at once with one line and exit code 130.

    A `KeyboardInterrupt` raised inside TensorFlow's import is not reliably a `KeyboardInterrupt` by the time it
    surfaces: CPython's import lock may report it as a `SystemError` and drop it, leaving a half-built module that
    fails later with an unrelated `AttributeError`. Nothing has been computed yet, so the handler leaves at once
    (`os._exit`) instead of unwinding through the import. A process that ignores SIGINT (started in the background)
    keeps ignoring it; outside the main thread no handler can be installed, and none is.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return
    real_stderr = os.dup(2)  # fd 2 is redirected while the backend starts quietly

    def stop(signum: int, frame: object) -> None:
        try:
            os.write(real_stderr, STOPPED_LINE.encode())
        except OSError:  # stderr closed (a pipe whose reader left): leave all the same
            pass
        finally:
            os._exit(EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)  # None: set outside Python
        os.close(real_stderr)


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
        except Exception:  # an import that failed shows why
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
