"""Every path of one experiment folder `W/<name>/` (a sweep or a fixed model), defined once."""

from dataclasses import dataclass
from pathlib import Path

from data_pipeline.workdir import EXPERIMENT_INFO


@dataclass(frozen=True)
class RunLayout:
    """Files of one experiment: a sweep (`cnn`, `rnn`) or a fixed model (`cnn-baseline`, ...)."""

    root: Path

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def info(self) -> Path:
        """What the experiment is: kind, space or recipe, options."""
        return self.root / EXPERIMENT_INFO

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    @property
    def leaderboard(self) -> Path:
        return self.root / "leaderboard.csv"

    @property
    def proposals(self) -> Path:
        """An adaptive search's points (`--search bayesian|tpe`), in the order they were proposed."""
        return self.tuner_dir / "proposals.json"

    @property
    def chief_secret(self) -> Path:
        """The secret a distributed sweep's chief asks of every caller (mode 0600; workers share the workdir)."""
        return self.root / "chief.secret"

    @property
    def cluster(self) -> Path:
        """A distributed sweep's workers and re-leased trials (written by its chief)."""
        return self.root / "cluster.json"

    @property
    def tuner_dir(self) -> Path:
        """KerasTuner's project folder (oracle.json, trial_*/trial.json)."""
        return self.root / "tuner"

    def trial_dir(self, trial_id: str) -> Path:
        """Training state of one sweep trial (history, checkpoints)."""
        return self.tuner_dir / f"trial_{trial_id}"

    def point_dir(self, point: int) -> Path:
        """Training state of one grid point of a halving sweep, continued rung after rung."""
        return self.root / "points" / f"point_{point:03d}"

    def recheck_dir(self, point: int, seed: int) -> Path:
        """Training state of one re-check run of a sweep: a grid point trained again with another seed."""
        return self.root / "recheck" / f"point_{point:03d}" / f"seed_{seed}"

    @property
    def recheck_runs(self) -> Path:
        """One row per run of each re-checked point (its grid trial and every re-check seed): the report pairs them."""
        return self.root / "recheck.csv"

    @property
    def best_model(self) -> Path:
        return self.root / "best_model.keras"

    @property
    def test_metrics(self) -> Path:
        return self.root / "test_metrics.json"

    @property
    def test_predictions(self) -> Path:
        """One row per test clip: path, true class, predicted class (for paired comparisons)."""
        return self.root / "test_predictions.csv"

    @property
    def classification_report(self) -> Path:
        return self.root / "classification_report.txt"

    @property
    def confusion_matrix(self) -> Path:
        return self.root / "confusion_matrix.png"


@dataclass(frozen=True)
class FitLayout:
    """Files of one resumable training run (a sweep trial, or a fixed model's folder)."""

    root: Path

    @property
    def history(self) -> Path:
        return self.root / "history.csv"

    @property
    def state(self) -> Path:
        """Committed progress: last finished epoch, callback states, checkpoint names, seconds."""
        return self.root / "state.json"

    def epoch_model(self, epoch: int) -> Path:
        """Full model (weights and optimizer) after `epoch` finished epochs."""
        return self.root / f"epoch_{epoch:04d}.keras"

    def best_weights(self, epoch: int) -> Path:
        return self.root / f"best_epoch_{epoch:04d}.weights.h5"
