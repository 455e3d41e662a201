"""Fixed seed recipes through `experiments/train.py`, and the rnn sweep script, as subprocesses."""

import json
import re

import keras
import pandas as pd
import pytest

from tests.support import Run

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
    assert list((tmp_path / "tb" / "cnn-enhanced").glob("train/events*"))


def test_rnn_sweep_refuses_to_resume_with_another_space(sweep_data, tmp_path):
    args = ["--data-dir", str(sweep_data), "--workdir", str(tmp_path / "w"), "--min-clips", "5",
            "--max-epochs", "1", "--tb-logs", str(tmp_path / "tb")]  # fmt: skip
    space = tmp_path / "tiny.yaml"
    space.write_text("gru_units: [[8, 8]]\nlearning_rate: [0.003]\n")
    first = Run("search_rnn.py", *args, "--space", str(space), log=tmp_path / "a")
    assert first.wait() == 0, first.output
    assert "grid of 1 points" in first.output and "best trial 0: test accuracy" in first.output
    board = pd.read_csv(tmp_path / "w" / "rnn" / "leaderboard.csv")
    assert board.loc[0, "gru_units"] == "8-8"
    second = Run("search_rnn.py", *args, "--space", "quick", log=tmp_path / "b")
    assert second.wait() == 2
    assert "other space" in second.output.strip().splitlines()[-1]
    again = Run("search_rnn.py", *args, "--space", str(space), "--overwrite", log=tmp_path / "c")
    assert again.wait() == 0, again.output
    assert "grid of 1 points, 0 done, 1 left" in again.output
    assert len(list((tmp_path / "tb" / "rnn").iterdir())) == 1
