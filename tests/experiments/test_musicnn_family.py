"""The musicnn family end to end: a sweep killed with SIGKILL and resumed bit-exact, a fixed model, predict, outside
evaluation and both exports from the model file alone, the report's third family."""

import json
import signal

import numpy as np
import pandas as pd
import pytest

from data_pipeline.audio import load_clip
from data_pipeline.datasets import load_split
from data_pipeline.model_card import read_card
from data_pipeline.musicnn.config import MusicnnFeatures
from data_pipeline.workdir import Workdir
from hypermodels.musicnn import trained_head
from hypermodels.saved import load_saved_model
from tests.support import Run, run_checked, trial_epoch, wait_for

pytestmark = pytest.mark.slow
CONFIG = MusicnnFeatures()
FOUR_POINTS = {"embedding": ["penultimate", "pooled"], "head_units": [0, 16], "learning_rate": [0.003]}
METRICS = ["val_accuracy", "val_loss", "best_epoch", "epochs_run"]


@pytest.fixture(scope="module")
def sweeps(tiny_dataset, musicnn_weights, tmp_path_factory) -> dict:
    """The same 4-point musicnn sweep unbroken, and killed mid-trial and between trials then resumed."""
    root = tmp_path_factory.mktemp("musicnn")
    space = root / "four.json"
    space.write_text(json.dumps(FOUR_POINTS))

    def args(name: str) -> list[str]:
        return [
            *("--data-dir", str(tiny_dataset), "--workdir", str(root / name), "--tb-logs", str(root / "tb")),
            *("--min-clips", "5", "--space", str(space), "--max-epochs", "6", "--patience", "6", "--batch-size", "8"),
        ]

    assert Run("search_musicnn.py", *args("unbroken"), log=root / "unbroken.log").wait() == 0
    killed = root / "killed"
    first = Run("search_musicnn.py", *args("killed"), log=root / "k0.log")
    wait_for(lambda: trial_epoch(killed, "musicnn", "1") >= 2, what="trial 1 epoch 2", run=first)
    first.kill(signal.SIGKILL)  # mid-trial
    second = Run("search_musicnn.py", *args("killed"), log=root / "k1.log")
    wait_for(lambda: "[3/4] trial" in second.output, what="3 finished trials", run=second)
    second.kill(signal.SIGKILL)  # between trials
    last = Run("search_musicnn.py", *args("killed"), log=root / "k2.log")
    assert last.wait() == 0, last.output
    return {"root": root, "unbroken": root / "unbroken", "killed": killed, "log": (root / "unbroken.log").read_text()}


def test_a_killed_sweep_resumes_to_the_unbroken_sweeps_results_bit_for_bit(sweeps):
    boards = [pd.read_csv(sweeps[name] / "musicnn" / "leaderboard.csv") for name in ("unbroken", "killed")]
    assert len(boards[0]) == 4 and sorted(boards[0]["embedding"]) == ["penultimate"] * 2 + ["pooled"] * 2
    pd.testing.assert_frame_equal(*(b.sort_values("trial_id")[["trial_id", *METRICS]].reset_index() for b in boards))
    patches = np.random.default_rng(0).uniform(0, 3, (4, 187, 96)).astype(np.float32)
    models = [load_saved_model(sweeps[name] / "musicnn" / "best_model.keras") for name in ("unbroken", "killed")]
    np.testing.assert_array_equal(*(m.predict(patches, verbose=0) for m in models))


def test_the_model_file_on_audio_predicts_what_the_head_did_on_the_cached_embeddings(sweeps, tiny_dataset):
    """predict.py reads the model file alone: log-Mel patches in, the frozen network, then the trained head."""
    workdir = sweeps["unbroken"]
    model_path = workdir / "musicnn" / "best_model.keras"
    card = read_card(model_path)
    assert card.features == CONFIG
    test = load_split(Workdir(workdir), CONFIG, "test")
    head = trained_head(load_saved_model(model_path))
    on_cache = head.predict(np.asarray(test.features), verbose=0)
    files = [tiny_dataset / path for path in test.paths]
    done = run_checked(
        "experiments/predict.py", "--model", model_path, "--format", "json", "--top-k", str(len(card.classes)), *files
    )
    rows = json.loads(done.stdout)
    for row, expected in zip(rows, on_cache, strict=True):
        got = {entry["class"]: entry["probability"] for entry in row["predictions"]}
        np.testing.assert_allclose([got[name] for name in card.classes], expected, atol=1e-4)
    outside_set = ("--data-dir", tiny_dataset, "--workdir", workdir, "--name", "all")
    run_checked("experiments/evaluate.py", "--model", model_path, *outside_set)
    outside = pd.read_csv(workdir / "external" / "all" / "test_predictions.csv").set_index("path")
    for path, row in zip(test.paths, on_cache, strict=True):  # the test clips among every clip it evaluated
        assert outside.loc[path, "predicted"] == card.classes[int(row.argmax())], path


def test_the_exports_run_the_front_end_in_the_graph(sweeps, tiny_dataset, tmp_path):
    tf = pytest.importorskip("tensorflow")
    model_path = sweeps["unbroken"] / "musicnn" / "best_model.keras"
    out = tmp_path / "export"
    run_checked("experiments/export.py", "--model", model_path, "--out", out)
    clips = np.stack([load_clip(path, CONFIG) for path in sorted(tiny_dataset.glob("*/*.wav"))[:4]])
    served = tf.saved_model.load(str(out)).signatures["serve"](waveform=tf.constant(clips))["probabilities"].numpy()
    expected = load_saved_model(model_path).predict(CONFIG.front_end()(clips), verbose=0)
    np.testing.assert_allclose(served, expected, atol=1e-4)
    assert (out / "labels.txt").read_text().split() == list(read_card(model_path).classes)
    run_checked("experiments/export.py", "--model", model_path, "--out", tmp_path / "lite", "--format", "tflite")
    runner = tf.lite.Interpreter(model_path=str(tmp_path / "lite" / "model.tflite")).get_signature_runner()
    lite = np.concatenate([runner(waveform=clip[None])["probabilities"] for clip in clips])
    np.testing.assert_allclose(lite, expected, atol=1e-4)  # builtin ops only: reflect padding, STFT, the network


def test_a_fixed_model_and_the_report_with_musicnn_beside_the_other_families(sweeps):
    workdir = sweeps["unbroken"]
    done = run_checked("experiments/train.py", "--model", "musicnn-baseline", "--workdir", workdir, "--max-epochs", "3")
    assert "Baseline musicnn: test accuracy" in done.stdout
    baseline = load_saved_model(workdir / "musicnn-baseline" / "best_model.keras")
    assert baseline.input_shape == (None, 187, 96)
    assert read_card(workdir / "musicnn-baseline" / "best_model.keras").features == CONFIG
    run_checked("reports/generate.py", "--workdir", workdir)
    report = (workdir / "report.md").read_text()
    assert "Tuned musicnn" in report and "Baseline musicnn" in report
