"""A KerasTuner `Tuner` whose trials resume mid-training and report one line each."""

import json

import keras
import keras_tuner as kt

from data_pipeline.atomic import write_text_atomic
from experiments.interrupts import StopRequest, StopWhenRequested
from experiments.leaderboard import build_leaderboard, write_leaderboard
from experiments.resumable_fit import TrainingRecipe, fit_resumable
from experiments.run_layout import FitLayout, RunLayout
from experiments.tb_hparams import hparam_label, tensorboard_callback, write_session_hparams, write_session_result


class GridTuner(kt.Tuner):
    """Runs `GridOracle` trials with the seed's recipe, resumable at epoch granularity."""

    def __init__(self, *, layout: RunLayout, recipe: TrainingRecipe, tb_root, seed: int, request: StopRequest,
                 **kwargs):  # fmt: skip
        self.layout, self.recipe, self.tb_root = layout, recipe, tb_root
        self.seed, self.request = seed, request
        super().__init__(directory=str(layout.root), project_name=layout.tuner_dir.name, **kwargs)

    def run_trial(self, trial, train, val, **_search_kwargs):
        keras.backend.clear_session()
        keras.utils.set_random_seed(self.seed)
        fit_layout = FitLayout(self.layout.trial_dir(trial.trial_id))
        logdir = self.tb_root / f"trial_{trial.trial_id}"
        if not fit_layout.state.exists():
            write_session_hparams(logdir, trial.hyperparameters.values, f"{self.layout.name}/{trial.trial_id}")
        result = fit_resumable(
            lambda: self.hypermodel.build(trial.hyperparameters), fit_layout, train, val, self.recipe,
            [tensorboard_callback(logdir), StopWhenRequested(self.request)],
        )  # fmt: skip
        write_session_result(logdir, result.val_accuracy, result.val_loss, result.best_epoch, result.epochs_run)
        return {"val_accuracy": result.val_accuracy, "val_loss": result.val_loss}

    def load_model(self, trial) -> keras.Model:
        """The trial's model with its best-epoch weights."""
        fit_layout = FitLayout(self.layout.trial_dir(trial.trial_id))
        state = json.loads(fit_layout.state.read_text())
        model = keras.models.load_model(fit_layout.epoch_model(state["epoch"]))
        model.load_weights(fit_layout.best_weights(state["best_epoch"]))
        return model

    def save_model(self, trial_id, model, step=0):
        """Checkpoints are written during training by `fit_resumable`."""

    def save(self):
        write_text_atomic(self._get_tuner_fname(), json.dumps(self.get_state()))

    def on_trial_end(self, trial):
        super().on_trial_end(trial)
        frame = build_leaderboard(self.oracle.trials.values(), self.oracle.space.names, self.layout)
        write_leaderboard(frame, self.layout.leaderboard)
        print(progress_line(frame, trial.trial_id, len(self.oracle.points)), flush=True)


def progress_line(frame, trial_id: str, grid_size: int) -> str:
    """`k/N trial hp... val_accuracy val_loss seconds ETA` for a finished trial."""
    done = frame[frame["status"].isin(["COMPLETED", "FAILED"])]
    row = frame[frame["trial_id"] == trial_id].iloc[0]
    names = [c for c in frame.columns if c not in ("trial_id", "status", "val_accuracy", "val_loss",
                                                    "best_epoch", "epochs_run", "seconds")]  # fmt: skip
    values = " ".join(f"{n}={hparam_label(row[n])}" for n in names)
    mean = done["seconds"].mean() if len(done) else 0.0
    eta = mean * (grid_size - len(done))
    if row["status"] != "COMPLETED":
        return f"[{len(done)}/{grid_size}] trial {trial_id} {row['status']} {values}"
    return (f"[{len(done)}/{grid_size}] trial {trial_id} {values} val_accuracy={row['val_accuracy']:.4f} "
            f"val_loss={row['val_loss']:.4f} {row['seconds']:.0f}s ETA {format_seconds(eta)}")  # fmt: skip


def format_seconds(seconds: float) -> str:
    """1h02m, 5m30s, 12s."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
