"""End to end: a halving sweep SIGKILLed at random moments, rerun, promotions checked against history.csv."""

import json
import shutil
import subprocess
import sys

import keras
import pandas as pd
import pytest

from data_pipeline.workdir import Workdir
from experiments.training.tensorboard_logs import workdir_logs
from hypermodels.cnn import QUICK_SPACE
from tests.support import HALVING_RUNGS, REPO, expected_rungs, point_history, sweep_in_process

pytestmark = pytest.mark.slow


def test_promotions_are_those_the_committed_epochs_imply(killed_halving):
    board = pd.read_csv(killed_halving["workdir"] / "cnn" / "leaderboard.csv")
    assert dict(zip(board["point"], board["rung"], strict=True)) == expected_rungs(
        killed_halving["workdir"], len(QUICK_SPACE)
    )
    assert sorted(board["rung"]) == [1, 1, 2, 3]
    assert list(board["status"]) == ["COMPLETED", "PRUNED", "PRUNED", "PRUNED"]
    assert board.iloc[0]["rung"] == 3 and board.iloc[1]["rung"] == 2  # highest rung first


def test_every_point_trained_each_epoch_of_its_rung_once(killed_halving):
    board = pd.read_csv(killed_halving["workdir"] / "cnn" / "leaderboard.csv")
    for point, rung, epochs_run in zip(board["point"], board["rung"], board["epochs_run"], strict=True):
        trained, epochs = list(point_history(killed_halving["workdir"], point)["epoch"]), HALVING_RUNGS[rung - 1]
        assert trained == list(range(epochs)) and epochs_run == epochs, f"point {point}"


def test_each_promotion_is_one_kerastuner_trial(killed_halving):
    tuner = killed_halving["workdir"] / "cnn" / "tuner"
    trials = [json.loads(path.read_text()) for path in tuner.glob("trial_*/trial.json")]
    segments = sorted((tuple(sorted(t["hyperparameters"]["values"].items())), t["status"]) for t in trials)
    assert len(segments) == 4 + 2 + 1
    assert len({values for values, _ in segments}) == len(segments), "a point was promoted twice to a rung"
    assert {status for _, status in segments} == {"COMPLETED"}


def test_the_winner_is_evaluated_on_the_test_split(killed_halving):
    folder = killed_halving["workdir"] / "cnn"
    metrics = json.loads((folder / "test_metrics.json").read_text())
    assert metrics["test_clips"] == 18
    keras.models.load_model(folder / "best_model.keras", safe_mode=True)
    winner = pd.read_csv(folder / "leaderboard.csv").iloc[0]["point"]
    assert f"best point {winner}: test accuracy {metrics['accuracy']:.4f}" in killed_halving["outputs"][-1]
    assert "at most 8 epochs (the full grid: 16)" in killed_halving["outputs"][0]


def test_a_halving_workdir_refuses_the_grid_strategy(killed_halving, capsys):
    args = [arg if arg != "halving" else "grid" for arg in killed_halving["args"]]
    code, line = sweep_in_process("cnn", [*args, "--evaluate-only"], capsys)
    assert code == 2 and "holds a sweep with --scheduler halving, not none: pass --scheduler halving" in line, line


def test_history_that_contradicts_the_promotions_is_refused(killed_halving, tmp_path):
    workdir = tmp_path / "work"
    shutil.copytree(killed_halving["workdir"], workdir)
    board = pd.read_csv(workdir / "cnn" / "leaderboard.csv")
    pruned = int(board[board["rung"] == 1].iloc[0]["point"])
    edited = point_history(workdir, pruned).assign(val_accuracy=1.0, val_loss=0.0)
    edited.to_csv(workdir / "cnn" / "points" / f"point_{pruned:03d}" / "history.csv", index=False)
    args = [str(workdir) if arg == str(killed_halving["workdir"]) else arg for arg in killed_halving["args"]]
    refused = subprocess.run(
        [sys.executable, "experiments/search_cnn.py", *args], capture_output=True, text=True, cwd=REPO
    )
    assert refused.returncode == 2, refused.stderr
    line = refused.stderr.strip().splitlines()[-1]  # the point now ranked above it lost a promotion it has a trial for
    assert "have trials at rung 2 that their committed epochs do not earn" in line and "--overwrite" in line


def test_tensorboard_has_one_run_per_point_across_its_rungs(killed_halving):
    logdir = (
        workdir_logs(
            killed_halving["args"][killed_halving["args"].index("--tb-logs") + 1], Workdir(killed_halving["workdir"])
        )
        / "cnn"
    )
    runs = sorted(p.name for p in logdir.iterdir() if p.is_dir())
    assert runs == ["point_000", "point_001", "point_002", "point_003"]
    for run in runs:
        assert any((logdir / run).glob("events.out.tfevents.*")), f"{run}: no HParams session"
        assert any((logdir / run / "validation").glob("events.out.tfevents.*")), f"{run}: no curves"


def test_a_worker_reads_the_end_of_the_sweep_from_the_trial_files(killed_halving, tmp_path):
    from experiments.options import parse_sweep
    from experiments.training.resumable_fit import TrainingRecipe
    from experiments.training.run_layout import RunLayout
    from experiments.tuning.halving.tuner import halving_oracle
    from experiments.tuning.plan_oracle import settled
    from experiments.tuning.role import ClusterRole
    from experiments.tuning.space_files import load_space
    from experiments.tuning.sweep_plan import SweepPlan

    workdir = tmp_path / "work"
    shutil.copytree(killed_halving["workdir"], workdir)
    args = [str(workdir) if arg == str(killed_halving["workdir"]) else arg for arg in killed_halving["args"]]
    options = parse_sweep("cnn", args)
    recipe = TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience, monitor=options.objective)
    plan = settled(
        SweepPlan(load_space(options.space, "cnn"), recipe, options, RunLayout(workdir / "cnn"), ClusterRole())
    )
    assert halving_oracle(plan).finished_on_disk(plan.layout.tuner_dir)
    last = max((workdir / "cnn" / "tuner").glob("trial_*/trial.json"))  # the last rung's one trial
    last.write_text(last.read_text().replace('"COMPLETED"', '"RUNNING"'))
    assert not halving_oracle(plan).finished_on_disk(plan.layout.tuner_dir), "a worker would leave mid-last-rung"
