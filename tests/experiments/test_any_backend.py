"""The commands on Keras' JAX backend, TensorFlow never imported: sweeps (grid, halving, chief and workers),
TensorBoard's HParams over HTTP, test evaluation, the report, predict; a model trained on JAX loads here."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pandas as pd
import pytest

from tests.support import HALVING_ARGS, REPO, SWEEP_ARGS, free_port, hparams_dashboard, run_listing_modules

pytest.importorskip("jax")
JAX = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONUNBUFFERED": "1"}
TWO_POINTS = {"conv_filters": [[4, 8, 8], [8, 8, 8]], "learning_rate": [0.001]}  # halving: 2 points, then 1


def on_jax(script: str, *args, timeout: float = 600) -> subprocess.CompletedProcess:
    """A command run under KERAS_BACKEND=jax, checked to have loaded neither TensorFlow nor PyTorch."""
    done, loaded = run_listing_modules(script, *args, timeout=timeout, env=JAX)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert not loaded & {"tensorflow", "torch"} and "jax" in loaded, done.stdout[-2000:]
    return done


@pytest.fixture(scope="module")
def jax_runs(tiny_dataset, tmp_path_factory):
    """A grid sweep, a halving sweep and a chief with two workers, each in its own workdir, all on JAX, over a grid
    of two small CNNs (each trial on JAX compiles its model: the grid's size is most of the cost)."""
    root = tmp_path_factory.mktemp("jax")
    where = {name: root / name for name in ("grid", "halving", "cluster")}
    space = root / "two.json"
    space.write_text(json.dumps(TWO_POINTS))

    def common(name: str) -> list[str]:
        return ["--data-dir", tiny_dataset, "--workdir", where[name], "--tb-logs", root / "tb"]

    grid, halving = [*SWEEP_ARGS, "--space", space], [*HALVING_ARGS, "--space", space]
    outputs = {
        "grid": on_jax("experiments/search_cnn.py", *common("grid"), *grid, "--max-epochs", "1").stdout,
        "halving": on_jax("experiments/search_cnn.py", *common("halving"), *halving, "--max-epochs", "2").stdout,
        "cluster": on_jax(
            "experiments/launch.py", "cnn", "--workers", "2", "--port", free_port(), *common("cluster"), *grid,
            "--max-epochs", "1",
        ).stdout,
    }  # fmt: skip
    return {"root": root, "workdirs": where, "outputs": outputs}


@pytest.mark.parametrize("name", ["grid", "halving", "cluster"])
def test_each_strategy_finishes_its_grid_and_evaluates_the_winner(jax_runs, name):
    workdir = jax_runs["workdirs"][name]
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    ended = {"COMPLETED", "PRUNED"} if name == "halving" else {"COMPLETED"}  # halving stops the worse half
    assert len(board) == 2 and set(board["status"]) <= ended and "COMPLETED" in set(board["status"]), board
    metrics = json.loads((workdir / "cnn" / "test_metrics.json").read_text())
    assert 0 <= metrics["accuracy"] <= 1
    assert "test accuracy" in jax_runs["outputs"][name]


def test_every_training_process_names_jax_and_its_devices_first(jax_runs):
    """The first line of a sweep, and of the chief and each worker under launch.py, says what it computes on."""
    for name in ("grid", "halving"):
        assert jax_runs["outputs"][name].splitlines()[0].startswith("backend: jax "), name
    firsts = {}
    for line in jax_runs["outputs"]["cluster"].splitlines():
        process, _, text = line.partition(" ")
        firsts.setdefault(process, text)
    started = {process: text for process, text in firsts.items() if process in ("[chief]", "[w0]", "[w1]")}
    named = [text.startswith("backend: jax ") and " on cpu (" in text for text in started.values()]
    assert len(started) == 3 and all(named), firsts


def test_a_model_trained_on_jax_loads_on_this_backend_and_predicts_what_jax_recorded(jax_runs):
    """The `.keras` file is backend-neutral: the test predictions JAX wrote are this backend's too."""
    from data_pipeline.config import FeatureConfig
    from data_pipeline.datasets import load_split
    from data_pipeline.workdir import Workdir
    from hypermodels.saved import load_saved_model

    workdir = Workdir(jax_runs["workdirs"]["grid"])
    model = load_saved_model(workdir.root / "cnn" / "best_model.keras")
    test = load_split(workdir, FeatureConfig(), "test")
    here = np.argmax(keras.ops.convert_to_numpy(model.predict(test.features, verbose=0)), axis=1)
    recorded = pd.read_csv(workdir.root / "cnn" / "test_predictions.csv")
    classes = json.loads(workdir.classes.read_text())
    assert list(recorded["path"]) == list(test.paths)
    assert [classes[i] for i in here] == list(recorded["predicted"])


def test_predict_the_report_and_export_on_jax(jax_runs, tiny_dataset):
    model = jax_runs["workdirs"]["grid"] / "cnn" / "best_model.keras"
    clips = sorted(tiny_dataset.glob("*/*.wav"))[:3]
    predicted = on_jax("experiments/predict.py", "--model", model, *clips, "--format", "json", "--top-k", "2")
    rows = json.loads(predicted.stdout[: predicted.stdout.rindex("modules:")])
    assert [row["path"] for row in rows] == [str(c) for c in clips] and all(len(r["predictions"]) == 2 for r in rows)
    report = jax_runs["root"] / "report.md"
    on_jax("reports/generate.py", "--workdir", jax_runs["workdirs"]["grid"], "--out", report)
    assert "Tuned CNN" in report.read_text()
    refused = subprocess.run(
        [sys.executable, "experiments/export.py", "--model", model, "--out", jax_runs["root"] / "export"],
        cwd=REPO, env=JAX, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.returncode == 2 and len(lines) == 1 and "KERAS_BACKEND=tensorflow" in lines[0], refused.stderr
    assert not (jax_runs["root"] / "export").exists()


def test_tensorboard_shows_the_jax_sweep_as_it_shows_a_tensorflow_one(jax_runs):
    logdir = next((jax_runs["root"] / "tb").glob("grid-*")) / "cnn"
    groups, _ = hparams_dashboard(logdir, 2)
    assert sorted(g["name"] for g in groups) == ["cnn/0", "cnn/1"]
    board = pd.read_csv(jax_runs["workdirs"]["grid"] / "cnn" / "leaderboard.csv").set_index("trial_id")
    for group in groups:
        metrics = {(m["name"].get("group", ""), m["name"]["tag"]): m["value"] for m in group["metricValues"]}
        assert ("validation", "epoch_accuracy") in metrics and ("train", "epoch_accuracy") in metrics
        trial = int(group["name"].split("/")[1])
        assert np.isclose(metrics[("", "best_val_accuracy")], board.at[trial, "val_accuracy"])
