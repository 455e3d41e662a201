"""The musicnn_ft family end to end: a sweep with SpecAugment killed mid-trial and resumed bit-exact, predict and the
SavedModel export from the model file, the report's fourth family."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from data_pipeline.audio import load_clip
from data_pipeline.datasets import load_split
from data_pipeline.model_card import read_card
from data_pipeline.musicnn.config import MusicnnPatches
from data_pipeline.workdir import Workdir
from hypermodels.saved import load_saved_model
from tests.support import REPO, Run, run_checked, trial_epoch, wait_for

pytestmark = pytest.mark.slow
CONFIG = MusicnnPatches()
POINT = {"unfrozen_blocks": [2], "learning_rate": [0.001], "time_mask": [24], "freq_mask": [12]}
METRICS = ["val_accuracy", "val_loss", "best_epoch", "epochs_run"]


@pytest.fixture(scope="module")
def sweeps(tiny_dataset, musicnn_weights, tmp_path_factory) -> dict:
    """The same one-point sweep unbroken, and killed with SIGKILL after its first epoch then resumed."""
    root = tmp_path_factory.mktemp("musicnn_ft")
    space = root / "point.json"
    space.write_text(json.dumps(POINT))

    def args(name: str) -> list[str]:
        return [
            *("--data-dir", str(tiny_dataset), "--workdir", str(root / name), "--tb-logs", str(root / "tb")),
            *("--min-clips", "5", "--space", str(space), "--max-epochs", "3", "--patience", "3", "--batch-size", "8"),
        ]

    assert Run("search_musicnn_ft.py", *args("unbroken"), log=root / "unbroken.log").wait() == 0
    killed = root / "killed"
    first = Run("search_musicnn_ft.py", *args("killed"), log=root / "k0.log")
    wait_for(lambda: trial_epoch(killed, "musicnn_ft", "0") >= 1, what="trial 0 epoch 1", run=first)
    first.kill(signal.SIGKILL)
    last = Run("search_musicnn_ft.py", *args("killed"), log=root / "k1.log")
    assert last.wait() == 0, last.output
    return {"unbroken": root / "unbroken", "killed": killed}


def test_a_killed_sweep_resumes_to_the_unbroken_sweeps_results_bit_for_bit(sweeps):
    boards = [pd.read_csv(sweeps[name] / "musicnn_ft" / "leaderboard.csv") for name in ("unbroken", "killed")]
    assert boards[0]["epochs_run"].tolist() == [3]
    pd.testing.assert_frame_equal(*(b[["trial_id", *METRICS]] for b in boards))
    models = [load_saved_model(sweeps[name] / "musicnn_ft" / "best_model.keras") for name in ("unbroken", "killed")]
    patches = np.random.default_rng(0).uniform(0, 3, (4, *CONFIG.shape)).astype(np.float32)
    np.testing.assert_array_equal(*(m.predict(patches, verbose=0) for m in models))


def test_predict_and_the_export_read_the_model_file_alone(sweeps, tiny_dataset, tmp_path):
    tf = pytest.importorskip("tensorflow")
    workdir = sweeps["unbroken"]
    model_path = workdir / "musicnn_ft" / "best_model.keras"
    card = read_card(model_path)
    assert card.features == CONFIG
    test = load_split(Workdir(workdir), CONFIG, "test")
    on_cache = load_saved_model(model_path).predict(np.asarray(test.features), verbose=0)
    files = [tiny_dataset / path for path in test.paths]
    done = run_checked(
        "experiments/predict.py", "--model", model_path, "--format", "json", "--top-k", str(len(card.classes)), *files
    )
    for row, expected in zip(json.loads(done.stdout), on_cache, strict=True):
        got = {entry["class"]: entry["probability"] for entry in row["predictions"]}
        np.testing.assert_allclose([got[name] for name in card.classes], expected, atol=1e-4)
    run_checked("experiments/export.py", "--model", model_path, "--out", tmp_path / "export")
    clips = np.stack([load_clip(tiny_dataset / path, CONFIG) for path in test.paths[:4]])
    served = tf.saved_model.load(str(tmp_path / "export")).signatures["serve"](waveform=tf.constant(clips))
    np.testing.assert_allclose(served["probabilities"].numpy(), on_cache[:4], atol=1e-4)


def test_the_report_compares_it_beside_the_other_families_and_it_has_no_fixed_models(sweeps):
    workdir = sweeps["unbroken"]
    run_checked("reports/generate.py", "--workdir", workdir)
    report = (workdir / "report.md").read_text()
    assert "Tuned musicnn fine-tuned" in report and "Baseline musicnn fine-tuned" not in report
    command = [sys.executable, "experiments/train.py", "--model", "musicnn_ft-baseline", "--workdir", str(workdir)]
    refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "invalid choice: 'musicnn_ft-baseline'" in refused.stderr, refused.stderr


def test_without_the_weights_set_up_a_sweep_is_one_line_and_trains_nothing(tiny_dataset, tmp_path):
    """Its cache needs no weights, every trial does: the sweep refuses before the cache and the trials (a failed
    trial would otherwise stay failed once the weights were set up)."""
    command = [sys.executable, "experiments/search_musicnn_ft.py", "--data-dir", str(tiny_dataset)]
    command += ["--workdir", str(tmp_path / "w"), "--min-clips", "5", "--space", "quick"]
    env = {**os.environ, "INSTRUMENT_TUNER_CACHE": str(tmp_path / "empty")}
    refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert refused.returncode == 2, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "musicnn-weights" in lines[0], refused.stderr
    assert not (tmp_path / "w").exists()
