"""Fixed seed recipes through `experiments/train.py` (a subprocess), and the rnn sweep script (in process)."""

import json
import re

import keras
import pandas as pd
import pytest
import tensorflow as tf

from data_pipeline.workdir import Workdir
from experiments.options import parse_train
from experiments.training.fixed_models import train_fixed
from experiments.training.tensorboard_logs import workdir_logs
from plumbing.errors import run_command
from tests.support import Run, sweep_output

pytestmark = pytest.mark.slow


def test_fixed_enhanced_model_trains_and_is_evaluated(sweep_data, tmp_path):
    workdir = tmp_path / "work"
    args = ["--data-dir", str(sweep_data), "--workdir", str(workdir), "--min-clips", "5", "--max-epochs", "3"]
    run = Run("train.py", "--model", "cnn-enhanced", *args, "--tb-logs", str(tmp_path / "tb"), log=tmp_path / "log")
    assert run.wait() == 0, run.output
    first = run.output.splitlines()[0]
    assert first.startswith(f"backend: tensorflow {tf.__version__} (keras {keras.__version__}) on "), first
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


def test_evaluate_only_trains_nothing_and_a_resume_with_other_options_is_refused(tiny_dataset, tmp_path):
    def train(*extra: str) -> int:
        args = ["--model", "cnn-baseline", "--data-dir", tiny_dataset, "--workdir", tmp_path / "w", "--min-clips", "5"]
        args += ["--tb-logs", tmp_path / "tb", "--batch-size", "8", *extra]
        return run_command(lambda: train_fixed(*parse_train(list(map(str, args)))))

    folder = tmp_path / "w" / "cnn-baseline"
    assert train("--max-epochs", "1", "--evaluate-only") == 2  # nothing to evaluate yet
    assert not (folder / "experiment.json").exists() and not (folder / "history.csv").exists()
    assert train("--max-epochs", "1") == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".lock"}
    assert train("--max-epochs", "3", "--evaluate-only") == 0
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".lock"}
    assert after["history.csv"] == before["history.csv"] and after["best_model.keras"] == before["best_model.keras"]
    assert train("--max-epochs", "3", "--seed", "7") == 2  # its epoch was trained with seed 42 and 1 epoch
    assert train("--max-epochs", "1", "--class-weight", "balanced") == 2  # and with every clip weighing alike
    assert (folder / "history.csv").read_bytes() == before["history.csv"]
