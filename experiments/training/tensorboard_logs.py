"""TensorBoard logs of one workdir: per-epoch scalars plus the HParams plugin's experiment and sessions.

Written with TensorBoard's summary protos (`event_files`), on any Keras backend (no
TensorFlow): the same runs and tags as Keras' TensorBoard callback (`train/epoch_loss`,
`validation/epoch_accuracy`, ...), so the dashboard is the same.

Every workdir logs under its own folder `<tb_logs>/<workdir name>-<id>/` (the id is made once and
stored in the workdir), one folder per experiment inside it, so two workdirs never share a run and
`tensorboard --logdir` on one experiment's folder shows exactly one sweep.
"""

import os
import uuid
from pathlib import Path

import keras
import numpy as np
from tensorboard.plugins.hparams import summary_v2 as hp
from tensorboard.plugins.scalar.summary_v2 import scalar_pb

from data_pipeline.workdir import Workdir
from experiments.training.event_files import EventFile, write_summaries
from experiments.training.objectives import OBJECTIVES
from hypermodels.space import Range, Scalar, SearchSpace
from plumbing.atomic import write_text_once
from plumbing.errors import UsageError, refused_writes


def hparams_metrics(objective: str) -> tuple[tuple[str, str | None, str], ...]:
    """(tag, run group relative to a session, display name short enough for an axis title) of a sweep's metrics:
    the kept epoch's objective first (`best_val_accuracy`, `best_val_macro_f1`)."""
    short, metric = OBJECTIVES[objective].short, objective.removeprefix("val_")
    return (
        (f"best_{objective}", None, f"{short} (kept)"),
        ("best_val_loss", None, "val loss (kept)"),
        ("best_epoch", None, "kept epoch"),
        (f"epoch_{metric}", "validation", f"{short} (last)"),
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


def write_experiment(logdir: Path, space: SearchSpace, objective: str) -> None:
    """Declare the sweep's hyperparameters and metrics by its objective, once per folder.

    Listed values are declared as their labels: the HParams dashboard prints every number with five
    digits, and a list is categorical anyway. A range is an interval of numbers, its values numbers.
    """
    if any(Path(logdir).glob("events.out.tfevents.*")):
        return
    hparams = [hparam_of(name, values) for name, values in space.values]
    metrics = [hp.Metric(tag, group=group, display_name=name) for tag, group, name in hparams_metrics(objective)]
    write_summaries(logdir, [hp.hparams_config_pb(hparams=hparams, metrics=metrics)], step=0)


def hparam_of(name: str, values) -> hp.HParam:
    """A hyperparameter as the dashboard declares it: its list's labels, or a range's interval."""
    if not isinstance(values, Range):
        return hp.HParam(name, hp.Discrete([hparam_label(v) for v in values], dtype=str))
    if values.integer:
        return hp.HParam(name, hp.IntInterval(int(values.low), int(values.high)))
    return hp.HParam(name, hp.RealInterval(float(values.low), float(values.high)))


def write_session_hparams(logdir: Path, values: dict, session_id: str, numbers: frozenset = frozenset()) -> None:
    """Record a trial's hyperparameters so the HParams dashboard lists it (`numbers`: the keys drawn from ranges,
    written as numbers)."""
    labels = {name: value if name in numbers else hparam_label(value) for name, value in values.items()}
    write_summaries(logdir, [hp.hparams_pb(labels, trial_id=session_id)], step=0)


def write_session_result(
    logdir: Path, objective: str, value: float, val_loss: float, best_epoch: int, step: int
) -> None:
    """The kept (best-epoch) validation metrics, `value` of the objective, shown beside the hyperparameters."""
    values = {f"best_{objective}": value, "best_val_loss": val_loss, "best_epoch": best_epoch}
    write_summaries(logdir, [scalar_pb(tag, np.float32(value)) for tag, value in values.items()], step)


class EpochScalars(keras.callbacks.Callback):
    """Per-epoch scalars under `logdir/train` and `logdir/validation`, as Keras' TensorBoard callback names them."""

    def __init__(self, logdir: Path):
        super().__init__()
        self.logdir = Path(logdir)
        self.writers: dict[str, EventFile] = {}

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            run, metric = ("validation", name[4:]) if name.startswith("val_") else ("train", name)
            if run not in self.writers:
                self.writers[run] = EventFile(self.logdir / run)
            self.writers[run].add(scalar_pb(f"epoch_{metric}", np.float32(value)), step=epoch)
        for writer in self.writers.values():
            writer.flush()  # on disk with the epoch: a killed trial keeps the curves of what it committed

    def on_train_end(self, logs=None):
        for writer in self.writers.values():
            writer.close()
        self.writers = {}


def tensorboard_callback(logdir: Path) -> EpochScalars:
    """Per-epoch scalars under `logdir/train` and `logdir/validation`."""
    return EpochScalars(logdir)
