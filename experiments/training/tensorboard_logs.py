"""TensorBoard logs of one workdir: Keras' scalar callback plus the HParams plugin's experiment and sessions.

Every workdir logs under its own folder `<tb_logs>/<workdir name>-<id>/` (the id is made once and
stored in the workdir), one folder per experiment inside it, so two workdirs never share a run and
`tensorboard --logdir` on one experiment's folder shows exactly one sweep.
"""

import os
import uuid
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from tensorboard.plugins.hparams import api as hp

from data_pipeline.workdir import Workdir
from hypermodels.space import Scalar, SearchSpace
from plumbing.atomic import write_text_once
from plumbing.errors import UsageError, refused_writes

METRICS = (  # (tag, run group relative to a session, display name short enough for an axis title)
    ("best_val_accuracy", None, "val acc (kept)"),
    ("best_val_loss", None, "val loss (kept)"),
    ("best_epoch", None, "kept epoch"),
    ("epoch_accuracy", "validation", "val acc (last)"),
    ("epoch_loss", "validation", "val loss (last)"),
    ("epoch_accuracy", "train", "train acc (last)"),
)


def workdir_logs(tb_logs: Path, workdir: Workdir) -> Path:
    """This workdir's own TensorBoard folder under `--tb-logs`, made if missing."""
    with refused_writes("--workdir", workdir.root):
        key = write_text_once(workdir.tensorboard_id, uuid.uuid4().hex[:8]).strip()
    logs = Path(tb_logs) / f"{workdir.root.resolve().name}-{key}"
    make_logs_folder(tb_logs, logs)
    return logs


def make_logs_folder(tb_logs: Path, logs: Path) -> None:
    """Make `logs` under `--tb-logs`; a file in the way or a folder nobody may write is one error line."""
    if Path(tb_logs).exists() and not Path(tb_logs).is_dir():
        raise UsageError(f"--tb-logs {tb_logs} is a file: pass a folder (it is created if missing)")
    try:
        logs.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"--tb-logs {tb_logs}: cannot make {logs} ({error.strerror}): pass a folder you can write"
        ) from None
    if not os.access(logs, os.W_OK | os.X_OK):
        raise UsageError(f"--tb-logs {tb_logs}: cannot write {logs} (permission denied): pass a folder you can write")


def hparam_label(value: Scalar) -> str:
    """A grid value as the dashboard shows it: 64 not `64.000`, 0.0003 not `0.00030000`."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    return f"{value:g}" if isinstance(value, float) else str(value)


def write_experiment(logdir: Path, space: SearchSpace) -> None:
    """Declare the sweep's hyperparameters (their grid values) and metrics, once per folder.

    The HParams dashboard prints every number with five digits, and a grid is categorical anyway,
    so values are declared as their labels.
    """
    if any(Path(logdir).glob("events.out.tfevents.*")):
        return
    hparams = [
        hp.HParam(name, hp.Discrete([hparam_label(v) for v in values], dtype=str)) for name, values in space.values
    ]
    metrics = [hp.Metric(tag, group=group, display_name=name) for tag, group, name in METRICS]
    with tf.summary.create_file_writer(str(logdir)).as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)


def write_session_hparams(logdir: Path, values: dict, session_id: str) -> None:
    """Record a trial's hyperparameters so the HParams dashboard lists it."""
    with tf.summary.create_file_writer(str(logdir)).as_default():
        hp.hparams({name: hparam_label(value) for name, value in values.items()}, trial_id=session_id)


def write_session_result(logdir: Path, val_accuracy: float, val_loss: float, best_epoch: int, step: int) -> None:
    """The kept (best-epoch) validation metrics, shown beside the hyperparameters."""
    with tf.summary.create_file_writer(str(logdir)).as_default():
        tf.summary.scalar("best_val_accuracy", val_accuracy, step=step)
        tf.summary.scalar("best_val_loss", val_loss, step=step)
        tf.summary.scalar("best_epoch", best_epoch, step=step)


def tensorboard_callback(logdir: Path) -> keras.callbacks.TensorBoard:
    """Per-epoch scalars under `logdir/train` and `logdir/validation`."""
    return keras.callbacks.TensorBoard(log_dir=str(logdir), write_graph=False, profile_batch=0)
