"""End to end: sweeps killed with SIGKILL and Ctrl-C, resumed, evaluated, locked, shown in TensorBoard."""

import json
import re
import shutil
import signal
import time

import keras
import numpy as np
import pandas as pd
import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import load_split
from data_pipeline.workdir import Workdir
from experiments.training.tensorboard_logs import workdir_logs
from hypermodels.cnn import QUICK_SPACE
from tests.support import (
    SWEEP_ARGS,
    Run,
    hparams_dashboard,
    sweep_args,
    sweep_in_process,
    sweep_output,
    trial_epoch,
    wait_for,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resumed_sweep(sweep_data, tmp_path_factory):
    """A quick CNN sweep killed mid-epoch, between trials and during evaluation, then finished.

    Kills wait for a trial's printed line, which follows its leaderboard row: a kill between the two
    would lose the line (not the result) and the test could not tell that from a trial reported twice.
    """
    root = tmp_path_factory.mktemp("sweep")
    workdir, tb = root / "work", root / "tb"
    args = ["--data-dir", str(sweep_data), "--workdir", str(workdir), "--tb-logs", str(tb), *SWEEP_ARGS]
    runs = []

    def start():
        runs.append(Run("search_cnn.py", *args, log=root / f"run{len(runs)}.log"))
        return runs[-1]

    run = start()
    wait_for(lambda: trial_epoch(workdir, "cnn", "1") >= 1, what="trial 1 epoch 1", run=run)
    run.kill(signal.SIGKILL)  # mid-epoch of trial 1
    killed_epoch = trial_epoch(workdir, "cnn", "1")
    run = start()
    wait_for(lambda: "[3/4] trial" in run.output, what="3 finished trials", run=run)
    run.kill(signal.SIGKILL)  # between trials 2 and 3
    run = start()
    wait_for(lambda: "[4/4] trial" in run.output, what="4 finished trials", run=run)
    run.kill(signal.SIGKILL)  # during the evaluation of the best trial
    run = start()
    assert run.wait() == 0, run.output
    return {"workdir": workdir, "tb": tb, "outputs": [r.output for r in runs], "killed_epoch": killed_epoch}


def test_every_grid_point_runs_exactly_once(resumed_sweep):
    board = pd.read_csv(resumed_sweep["workdir"] / "cnn" / "leaderboard.csv")
    assert len(board) == len(QUICK_SPACE) == 4
    assert (board["status"] == "COMPLETED").all()
    names = QUICK_SPACE.names
    seen = sorted(tuple(row) for row in board[names].itertuples(index=False))
    assert seen == sorted(tuple(p[n] for n in names) for p in QUICK_SPACE.points())
    assert list(board["val_accuracy"]) == sorted(board["val_accuracy"], reverse=True)
    finished_lines = re.findall(r"\[\d/4\] trial (\d) .*val_accuracy=", "".join(resumed_sweep["outputs"]))
    assert sorted(finished_lines) == ["0", "1", "2", "3"], "each trial reported exactly once"
    assert "grid of 4 points, 4 done, 0 left" in resumed_sweep["outputs"][-1]


def test_killed_trial_resumed_from_its_epoch(resumed_sweep):
    epoch = resumed_sweep["killed_epoch"]
    assert epoch >= 1
    assert f"resuming trial_1 from epoch {epoch}" in resumed_sweep["outputs"][1]
    for trial in range(4):
        history = pd.read_csv(resumed_sweep["workdir"] / "cnn" / "tuner" / f"trial_{trial}" / "history.csv")
        assert list(history["epoch"]) == list(range(len(history))), f"trial {trial} repeats or skips epochs"
        assert len(history) == 4


def test_best_model_reproduces_the_test_metrics(resumed_sweep):
    folder = resumed_sweep["workdir"] / "cnn"
    metrics = json.loads((folder / "test_metrics.json").read_text())
    model = keras.models.load_model(folder / "best_model.keras", safe_mode=True)
    test = load_split(Workdir(resumed_sweep["workdir"]), FeatureConfig(), "test")
    predicted = model.predict(np.asarray(test.features), verbose=0).argmax(axis=1)
    assert metrics["test_clips"] == len(test) == 18
    assert np.isclose((predicted == test.labels).mean(), metrics["accuracy"])
    assert set(metrics) >= {"macro", "weighted", "per_class", "confusion_matrix", "classes"}
    assert np.array(metrics["confusion_matrix"]).sum() == len(test)
    assert (folder / "confusion_matrix.png").stat().st_size > 10_000
    assert "precision" in (folder / "classification_report.txt").read_text()


def test_tensorboard_hparams_lists_every_trial_of_its_declared_experiment(resumed_sweep):
    logdir = workdir_logs(resumed_sweep["tb"], Workdir(resumed_sweep["workdir"])) / "cnn"
    assert f"tensorboard --logdir {logdir}" in resumed_sweep["outputs"][0]
    groups, experiment = hparams_dashboard(logdir, 4)
    assert sorted(g["name"] for g in groups) == ["cnn/0", "cnn/1", "cnn/2", "cnn/3"]
    declared = {info["name"]: sorted(info["domainDiscrete"]) for info in experiment["hparamInfos"]}
    assert declared == {
        "conv_filters": ["16-32-64", "8-16-32"],
        "dropout_block3": ["0.3"],
        "dense_units": ["64"],
        "dropout_head": ["0.3"],
        "learning_rate": ["0.0003", "0.001"],
    }
    shown = {m["displayName"] for m in experiment["metricInfos"]}
    assert {"val acc (kept)", "val acc (last)", "kept epoch"} <= shown
    for group in groups:  # every session has every column: the parallel-coordinates view draws all of them
        assert set(group["hparams"]) == set(declared) and group["hparams"]["dense_units"] == "64"
    board = pd.read_csv(resumed_sweep["workdir"] / "cnn" / "leaderboard.csv").set_index("trial_id")
    for group in groups:
        metrics = {(m["name"].get("group", ""), m["name"]["tag"]): m["value"] for m in group["metricValues"]}
        assert ("validation", "epoch_accuracy") in metrics and ("validation", "epoch_loss") in metrics
        trial = int(group["name"].split("/")[1])
        assert np.isclose(metrics[("", "best_val_accuracy")], board.at[trial, "val_accuracy"])


def test_ctrl_c_stops_after_the_epoch_and_prints_the_resume_command(sweep_data, tmp_path):
    workdir = tmp_path / "work"
    args = ["--data-dir", str(sweep_data), "--workdir", str(workdir), "--tb-logs", str(tmp_path / "tb"), *SWEEP_ARGS]
    run = Run("search_cnn.py", *args, log=tmp_path / "run.log")
    wait_for(lambda: trial_epoch(workdir, "cnn", "0") >= 1, what="first epoch", run=run)
    run.process.send_signal(signal.SIGINT)
    assert run.wait(timeout=120) == 130, run.output
    assert "stopping after this epoch" in run.output
    command = run.output.split("Resume with:")[1].strip().splitlines()[0]
    assert "search_cnn.py" in command and str(workdir) in command and "--overwrite" not in command
    epoch = trial_epoch(workdir, "cnn", "0")
    history = pd.read_csv(workdir / "cnn" / "tuner" / "trial_0" / "history.csv")
    assert 1 <= epoch == len(history)


def test_second_ctrl_c_stops_at_once_without_a_traceback(sweep_data, tmp_path):
    workdir = tmp_path / "work"
    args = sweep_args(
        sweep_data, workdir, tmp_path / "tb", "--batch-size", "1", "--max-epochs", "12", "--patience", "12"
    )
    for attempt in range(3):  # the epoch may still end between the two signals: then the first one stopped it; again
        run = Run("search_cnn.py", *args, log=tmp_path / f"run{attempt}.log")
        epoch_ends = []
        for _ in range(2):  # time one whole epoch, to signal a third of the way into the next one
            done = trial_epoch(workdir, "cnn", "0")
            wait_for(lambda: trial_epoch(workdir, "cnn", "0") > done, what="an epoch committed", run=run)  # noqa: B023
            epoch_ends.append(time.monotonic())
        time.sleep((epoch_ends[1] - epoch_ends[0]) / 3)  # past the commit's file cleanup and TensorBoard writes
        run.process.send_signal(signal.SIGINT)
        wait_for(lambda: "stopping after this epoch" in run.output, timeout=30, what="first Ctrl-C", run=run)  # noqa: B023
        run.process.send_signal(signal.SIGINT)
        assert run.wait(timeout=30) == 130, run.output
        if "stopping now" in run.output:
            break
    assert "stopping now" in run.output and "Resume with:" in run.output
    assert "Traceback" not in run.output and "Exception ignored" not in run.output, run.output


def test_a_grid_workdir_refuses_the_halving_strategy(resumed_sweep, sweep_data, capsys):
    args = sweep_args(
        sweep_data, resumed_sweep["workdir"], resumed_sweep["tb"], "--strategy", "halving", "--evaluate-only"
    )
    code, line = sweep_in_process("cnn", args, capsys)
    assert code == 2 and "holds a sweep with --scheduler none, not halving: pass --scheduler none" in line, line


def session_hparams(logdir) -> list[dict]:
    """The hyperparameters of every TensorBoard HParams session under `logdir`, read from the event files."""
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    from tensorboard.plugins.hparams import plugin_data_pb2

    sessions = []
    for path in sorted(logdir.rglob("events.out.tfevents.*")):
        for event in EventFileLoader(str(path)).Load():
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name == "hparams":
                    data = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
                    if data.HasField("session_start_info"):
                        sessions.append({k: v.string_value for k, v in data.session_start_info.hparams.items()})
    return sessions


def test_augmentation_values_train_and_show_in_the_leaderboard_and_hparams(sweep_data, tmp_path, capsys):
    space = tmp_path / "augmented.json"
    augmentation = {
        "gain_db": [6],
        "pitch_shift": [1],
        "noise_snr_db": [20],
        "eq_db": [3],
        "time_shift": [0.2],
        "time_shift_mode": ["padded"],
    }
    space.write_text(json.dumps({"conv_filters": [[4, 8, 8]], "mixup_alpha": [0.0, 0.3], **augmentation}))
    workdir, tb = tmp_path / "work", tmp_path / "tb"
    args = [
        "--data-dir",
        sweep_data,
        "--workdir",
        workdir,
        "--tb-logs",
        tb,
        "--min-clips",
        "5",
        "--space",
        space,
        "--max-epochs",
        "2",
        "--patience",
        "2",
        "--batch-size",
        "8",
    ]
    code, line = sweep_in_process("cnn", args, capsys)
    assert code == 0, line
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    assert sorted(board["mixup_alpha"]) == [0.0, 0.3] and set(board["gain_db"]) == {6.0}
    assert set(board["time_shift_mode"]) == {"padded"}
    assert (board["status"] == "COMPLETED").all() and board["val_accuracy"].between(0, 1).all()
    sessions = session_hparams(workdir_logs(tb, Workdir(workdir)) / "cnn")
    assert sorted(s["mixup_alpha"] for s in sessions) == ["0", "0.3"]
    assert all(s["pitch_shift"] == "1" and s["eq_db"] == "3" and s["time_shift"] == "0.2" for s in sessions)
    assert all(s["time_shift_mode"] == "padded" for s in sessions)
    assert (workdir / "cnn" / "test_metrics.json").exists()


def test_a_single_process_grid_sweep_loads_no_cluster_halving_demo_or_other_sampler_code(finished_sweep):
    modules = finished_sweep["modules"]
    assert "experiments.tuning.grid_tuner" in modules and "experiments.training.resumable_fit" in modules
    # gRPC itself is loaded by `import keras_tuner` (its distribute protos); the project's server is in cluster/
    assert [m for m in modules if m.startswith(("experiments.cluster", "experiments.tuning.halving"))] == []
    assert [m for m in modules if m.startswith("data_pipeline.demo")] == []
    samplers = sorted(m for m in modules if m.startswith("experiments.tuning.samplers"))
    assert samplers == ["experiments.tuning.samplers", "experiments.tuning.samplers.grid"], "no other sampler"
    assert "optuna" not in {m.split(".")[0] for m in modules}, "Optuna is the TPE search's alone"


def test_tied_trials_are_ranked_by_loss_then_grid_order_in_the_leaderboard_and_the_evaluation(
    resumed_sweep, sweep_data, tmp_path, capsys
):
    workdir = tmp_path / "work"
    shutil.copytree(resumed_sweep["workdir"], workdir)
    for trial in range(4):  # every trial equally accurate; trials 2 and 3 with the lowest loss
        path = workdir / "cnn" / "tuner" / f"trial_{trial}" / "state.json"
        state = json.loads(path.read_text())
        path.write_text(json.dumps({**state, "best_value": 0.5, "best_val_loss": 1.0 if trial < 2 else 0.9}))
    args = sweep_args(sweep_data, workdir, tmp_path / "tb", "--evaluate-only")
    picks = [re.search(r"best trial (\d)", sweep_output("cnn", args, capsys)[1]).group(1) for _ in range(3)]
    assert picks == ["2", "2", "2"]  # the lower loss, then the earlier grid point
