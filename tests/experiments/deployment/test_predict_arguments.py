"""`predict.py` refuses a PATH that does not exist and a --hop too short, in one line, before predicting."""

import os
import subprocess
import sys

import keras
import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.model_card import write_card
from experiments.deployment.predict_command import parse, run_predict
from plumbing.errors import run_command
from tests.support import REPO


def predict_process(*args: str) -> subprocess.CompletedProcess:
    """`predict.py ARGS` as a real process (bounded: a blocking read fails the test, not the suite)."""
    command = [sys.executable, "experiments/predict.py", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False, timeout=120)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A real saved model with its card: log-Mel in, two classes out (untrained: only its inputs matter here)."""
    path = tmp_path_factory.mktemp("model") / "tiny.keras"
    layers = [keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2, activation="softmax")]
    keras.Sequential([keras.Input(FeatureConfig().shape), *layers]).save(path)
    write_card(path, ["flute", "Drum_set"], FeatureConfig())
    return path


def test_a_path_that_does_not_exist_is_one_line_naming_it_and_exit_2(tiny_model, tmp_path):
    missing = tmp_path / "typo.wav"
    done = predict_process("--model", str(tiny_model), str(missing))
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and lines == [
        f"error: PATH {missing}: no such file or folder: pass audio files or folders of audio"
    ], done.stderr
    assert done.stdout == ""


def test_a_missing_path_among_real_files_stops_before_predicting(tiny_model, tiny_dataset, tmp_path, capsys):
    argv = ["--model", str(tiny_model), str(tiny_dataset / "flute" / "0.wav"), str(tmp_path / "a"), str(tmp_path / "b")]
    assert run_command(lambda: run_predict(parse(argv))) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == (
        f"error: PATH {tmp_path / 'a'} (and 1 more): no such file or folder: pass audio files or folders of audio"
    )


def test_a_hop_shorter_than_50_ms_is_refused_naming_hop(tiny_model, tiny_dataset, capsys):
    clip = str(tiny_dataset / "flute" / "0.wav")
    with pytest.raises(SystemExit) as stopped:
        parse(["--model", str(tiny_model), clip, "--hop", "0.00001"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("argument --hop: 1e-05 s is shorter than 0.05 s")
    assert run_command(lambda: run_predict(parse(["--model", str(tiny_model), clip, "--hop", "0.05"]))) == 0
    assert "flute" in capsys.readouterr().out


def test_a_file_name_that_is_not_utf8_is_predicted_and_shown_escaped(tiny_model, tiny_dataset, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"clip\xff.wav")).write_bytes((tiny_dataset / "flute" / "0.wav").read_bytes())
    done = predict_process("--model", str(tiny_model), str(folder), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert f"{folder}/clip\\xff.wav,1," in done.stdout


def test_a_fifo_given_as_a_path_is_refused_not_waited_on(tiny_model, tmp_path):
    pipe = tmp_path / "pipe.wav"
    os.mkfifo(pipe)
    done = predict_process("--model", str(tiny_model), str(pipe))
    assert done.returncode == 1 and f"error: {pipe}: is not a regular file" in done.stderr, done.stderr
