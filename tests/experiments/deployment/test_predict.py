"""`predict.py` on real files of odd formats and lengths, a broken one among them; JSON, CSV and table."""

import csv
import io
import json
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import soundfile as sf

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import load_split
from data_pipeline.model_card import read_card
from data_pipeline.workdir import Workdir
from experiments.deployment.predict_command import parse, run_predict
from plumbing.errors import run_command
from tests.support import REPO

pytestmark = pytest.mark.slow


def predict(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "experiments/predict.py", *map(str, args)], capture_output=True, text=True, cwd=REPO
    )


@pytest.fixture(scope="module")
def audio(sweep_data, trained_model, tmp_path_factory):
    """A folder of odd inputs built from real test clips, and the Keras model's output on their cached features."""
    workdir = Workdir(trained_model.parent.parent)
    test = load_split(workdir, FeatureConfig(), "test")
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "sub").mkdir()
    clips = [sweep_data / test.paths[i] for i in range(3)]
    shutil.copy(clips[0], folder / "same.wav")
    samples, rate = sf.read(clips[1], always_2d=True)
    sf.write(folder / "sub" / "cd.FLAC", np.repeat(samples, 2, axis=1), rate, subtype="PCM_16")  # stereo
    sf.write(folder / "sub" / "vorbis.ogg", samples, rate)
    long = np.concatenate([sf.read(c)[0] for c in clips] + [sf.read(clips[0])[0][: rate // 2]])  # 9.5 s
    sf.write(folder / "long.wav", long, rate, subtype="FLOAT")
    sf.write(folder / "short.WAV", samples[: rate // 2], rate, subtype="PCM_U8")
    (folder / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really audio")
    (folder / "notes.txt").write_text("not audio")
    model = keras.models.load_model(trained_model, safe_mode=True)
    expected = np.asarray(model(np.asarray(test.features[:1]), training=False))[0]
    return {"folder": folder, "expected": expected, "classes": read_card(trained_model).classes}


def test_json_lists_every_file_with_ranked_classes_or_its_error(audio, trained_model):
    done = predict("--model", trained_model, audio["folder"], "--format", "json", "--top-k", "2")
    assert done.returncode == 1, done.stderr  # one broken file: reported, the rest predicted
    results = {item["path"].removeprefix(str(audio["folder"]) + "/"): item for item in json.loads(done.stdout)}
    assert sorted(results) == ["broken.wav", "long.wav", "same.wav", "short.WAV", "sub/cd.FLAC", "sub/vorbis.ogg"]
    assert set(results["broken.wav"]) == {"path", "error"} and "cannot decode audio" in results["broken.wav"]["error"]
    assert "broken.wav" in done.stderr
    windows = {name: item["windows"] for name, item in results.items() if "windows" in item}
    assert windows == {"long.wav": 6, "same.wav": 1, "short.WAV": 1, "sub/cd.FLAC": 1, "sub/vorbis.ogg": 1}
    predicted = {name: item for name, item in results.items() if "predictions" in item}
    assert sorted(predicted) == sorted(windows)
    for name, item in predicted.items():
        probabilities = [p["probability"] for p in item["predictions"]]
        assert len(probabilities) == 2 and probabilities == sorted(probabilities, reverse=True), name
        assert {p["class"] for p in item["predictions"]} <= set(audio["classes"])


def test_a_split_clip_gets_the_probabilities_of_its_cached_features(audio, trained_model):
    done = predict("--model", trained_model, audio["folder"] / "same.wav", "--format", "json", "--top-k", "9")
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)
    got = {p["class"]: p["probability"] for p in item["predictions"]}
    assert len(got) == len(audio["classes"])  # top-k is capped at the number of classes
    for index, name in enumerate(audio["classes"]):
        assert got[name] == pytest.approx(audio["expected"][index], abs=1e-5)


def test_csv_has_a_row_per_file_and_rank_and_the_table_is_for_people(audio, trained_model):
    files = [audio["folder"] / "same.wav", audio["folder"] / "broken.wav"]
    done = predict("--model", trained_model, *files, "--format", "csv", "--top-k", "3", "--batch-size", "1")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    ranks = [(r["path"].rsplit("/", 1)[1], r["rank"]) for r in rows]
    assert ranks == [("same.wav", "1"), ("same.wav", "2"), ("same.wav", "3"), ("broken.wav", "")]
    assert rows[3]["error"] and not rows[0]["error"] and float(rows[0]["probability"]) >= float(rows[1]["probability"])
    table = predict("--model", trained_model, audio["folder"] / "long.wav")
    assert table.returncode == 0 and "#1" in table.stdout and "long.wav" in table.stdout


def test_no_model_or_no_audio_is_one_line_and_exit_2(audio, trained_model, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    done = predict("--model", tmp_path / "none.keras", audio["folder"])  # the script itself, once
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1].startswith("error: "), done.stderr
    assert "no such model file" in done.stderr and "Traceback" not in done.stderr
    for args, message in (  # the same command in this process: no TensorFlow start-up per case
        (["--model", trained_model, tmp_path / "empty"], "no audio files in"),
        (["--model", trained_model, "--window", "4", audio["folder"]], "--window 4: the model takes clips of at most"),
    ):
        assert run_command(lambda a=args: run_predict(parse(list(map(str, a))))) == 2
        error = capsys.readouterr().err.strip().splitlines()
        assert len(error) == 1 and error[0].startswith("error: ") and message in error[0], error
