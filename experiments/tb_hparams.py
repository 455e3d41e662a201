"""TensorBoard logs of one run: Keras' scalar callback plus the HParams plugin's session summary."""

from pathlib import Path

import keras
import tensorflow as tf
from tensorboard.plugins.hparams import api as hparams_api


def write_session_hparams(logdir: Path, values: dict, session_id: str) -> None:
    """Record a run's hyperparameters so the HParams dashboard lists it (metrics are inferred)."""
    with tf.summary.create_file_writer(str(logdir)).as_default():
        hparams_api.hparams(values, trial_id=session_id)


def write_session_result(logdir: Path, val_accuracy: float, val_loss: float, step: int) -> None:
    """The kept (best-epoch) validation metrics, shown beside the hyperparameters."""
    with tf.summary.create_file_writer(str(logdir)).as_default():
        tf.summary.scalar("best_val_accuracy", val_accuracy, step=step)
        tf.summary.scalar("best_val_loss", val_loss, step=step)


def tensorboard_callback(logdir: Path) -> keras.callbacks.TensorBoard:
    """Per-epoch scalars under `logdir/train` and `logdir/validation`."""
    return keras.callbacks.TensorBoard(log_dir=str(logdir), write_graph=False, profile_batch=0)
