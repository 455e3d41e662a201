"""Fixed seed recipes through `experiments/train.py` (a subprocess), and the rnn sweep script (in process)."""

import json
import re

import keras
import pandas as pd
import pytest

from data_pipeline.workdir import Workdir
from experiments.training.tensorboard_logs import workdir_logs
from tests.support import Run, sweep_output

pytestmark = pytest.mark.slow


def test_fixed_enhanced_model_trains_and_is_evaluated(sweep_data, tmp_path):
    workdir = tmp_path / "work"
    args = ["--data-dir", str(sweep_data), "--workdir", str(workdir), "--min-clips", "5", "--max-epochs", "3"]
    run = Run("train.py", "--model", "cnn-enhanced", *args, "--tb-logs", str(tmp_path / "tb"), log=tmp_path / "log")
    assert run.wait() == 0, run.output
    folder = workdir / "cnn-enhanced"
    history = pd.read_csv(folder / "history.csv")
    assert list(history["epoch"]) == [0, 1, 2] and "learning_rate" in history
    metrics = json.loads((folder / "test_metrics.json").read_text())
    assert re.search(rf"Enhanced CNN: test accuracy {metrics['accuracy']:.4f}", run.output)
    model = keras.models.load_model(folder / "best_model.keras", safe_mode=True)
    assert model.count_params() == 7630 - 462 + 33 * 4  # classifier sized for 4 classes
    assert list((workdir_logs(tmp_path / "tb", Workdir(workdir)) / "cnn-enhanced").glob("train/events*"))


def test_rnn_sweep_refuses_another_space_and_overwrites_only_its_own_logs(sweep_data, tmp_path, capsys):
    tb = tmp_path / "tb"
    space = tmp_path / "tiny.yaml"
    space.write_text("gru_units: [[8, 8]]\nlearning_rate: [0.003]\n")

    def sweep(workdir: str, *extra: str) -> tuple[int, str, str]:
        args = [
            "--data-dir",
            sweep_data,
            "--workdir",
            tmp_path / workdir,
            "--min-clips",
            "5",
            "--max-epochs",
            "1",
            "--tb-logs",
            tb,
            *extra,
        ]
        return sweep_output("rnn", args, capsys)

    code, first, err = sweep("w", "--space", space)
    assert code == 0, err
    assert "grid of 1 points" in first and "best trial 0: test accuracy" in first
    board = pd.read_csv(tmp_path / "w" / "rnn" / "leaderboard.csv")
    assert board.loc[0, "gru_units"] == "8-8"
    code, _, err = sweep("w2", "--space", space)
    assert code == 0, err
    logs, other_logs = (workdir_logs(tb, Workdir(tmp_path / name)) / "rnn" for name in ("w", "w2"))
    assert logs != other_logs and sorted(tb.glob("*/rnn")) == sorted([logs, other_logs])
    assert f"tensorboard --logdir {logs}" in first
    other_events, old_events = sorted(other_logs.rglob("events*")), set(logs.rglob("events*"))
    code, _, err = sweep("w", "--space", "quick")
    assert code == 2 and "other space" in err.strip().splitlines()[-1], err
    code, again, err = sweep("w", "--space", space, "--overwrite")
    assert code == 0, err
    assert "grid of 1 points, 0 done, 1 left" in again
    assert [p.name for p in logs.glob("trial_*")] == ["trial_0"]
    new_events = set(logs.rglob("events*"))
    assert new_events and not new_events & old_events, "--overwrite kept the old run's logs"
    assert sorted(other_logs.rglob("events*")) == other_events, "--overwrite touched another workdir's logs"
