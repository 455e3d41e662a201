"""Halving replayed on a finished grid: the same promotions as a real halving run on the same prepared data."""

import json
import shutil
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from experiments.options import parse_sweep
from experiments.training.run_layout import RunLayout
from experiments.tuning.grid_sweep import read_grid
from experiments.tuning.halving.replay import replay
from experiments.tuning.halving.rungs import CommittedRun, HalvingPlan, committed_run
from experiments.tuning.sweep import run_sweep
from plumbing.errors import DataError
from tests.support import REPO, sweep_args

LIVE_PLAN = HalvingPlan(1, 2, 4, "val_loss")  # HALVING_ARGS, as `killed_halving` ran (the default rung score)


@pytest.fixture(scope="module")
def grid_beside_halving(killed_halving, tmp_path_factory):
    """The full grid of `killed_halving`'s space and epochs, run unbroken in a copy of its prepared workdir."""
    halving = killed_halving["workdir"]
    workdir = tmp_path_factory.mktemp("replay") / "work"
    shutil.copytree(halving, workdir, ignore=lambda folder, _: ["cnn"] if folder == str(halving) else [])
    data = killed_halving["args"][killed_halving["args"].index("--data-dir") + 1]
    assert run_sweep("cnn", parse_sweep("cnn", sweep_args(data, workdir, workdir.parent / "tb"))) == 0
    return {"grid": workdir, "halving": halving}


@pytest.fixture(scope="module")
def halving_by_objective(grid_beside_halving, killed_halving, tmp_path_factory):
    """`killed_halving`'s sweep with `--rung-score objective`, run unbroken in another copy of its prepared workdir."""
    workdir = tmp_path_factory.mktemp("by_objective") / "work"
    shutil.copytree(
        grid_beside_halving["grid"],
        workdir,
        ignore=lambda folder, _: ["cnn"] if folder == str(grid_beside_halving["grid"]) else [],
    )
    args = [*killed_halving["args"], "--rung-score", "objective"]
    args[args.index("--workdir") + 1], args[args.index("--tb-logs") + 1] = str(workdir), str(workdir.parent / "tb")
    assert run_sweep("cnn", parse_sweep("cnn", args)) == 0
    return workdir


def runs_of(workdir) -> list[CommittedRun]:
    grid = read_grid(RunLayout(workdir / "cnn"))
    return [committed_run(grid.fit(point)) for point in range(len(grid.space))]


def test_a_replay_promotes_the_points_the_halving_run_promoted(grid_beside_halving):
    runs = runs_of(grid_beside_halving["grid"])
    board = pd.read_csv(grid_beside_halving["halving"] / "cnn" / "leaderboard.csv")
    for point, epochs in zip(board["point"], board["epochs_run"], strict=True):  # halving trains as the grid did
        halving = pd.read_csv(grid_beside_halving["halving"] / "cnn" / "points" / f"point_{point:03d}" / "history.csv")
        grid = runs[point].until(epochs).history
        assert list(halving["val_accuracy"]) == list(grid["val_accuracy"]), f"point {point}"
    replayed = replay(LIVE_PLAN, runs)
    rung_of = {point: rung + 1 for rung, points in enumerate(replayed.members) for point in points}
    assert rung_of == dict(zip(board["point"], board["rung"], strict=True))
    assert [len(points) for points in replayed.members] == [4, 2, 1]
    assert replayed.epochs == board["epochs_run"].sum() == 8
    assert replayed.winner == board.iloc[0]["point"]


def test_a_replay_by_the_objective_promotes_what_a_halving_run_by_it_promoted(
    grid_beside_halving, halving_by_objective
):
    runs = runs_of(grid_beside_halving["grid"])
    board = pd.read_csv(halving_by_objective / "cnn" / "leaderboard.csv")
    replayed = replay(replace(LIVE_PLAN, rung_score="objective"), runs)
    rung_of = {point: rung + 1 for rung, points in enumerate(replayed.members) for point in points}
    assert rung_of == dict(zip(board["point"], board["rung"], strict=True))
    assert replayed.epochs == board["epochs_run"].sum()
    assert replayed.winner == board.iloc[0]["point"]
    assert "rung_score" not in json.loads((halving_by_objective / "cnn" / "experiment.json").read_text())  # legacy


def replay_rows(workdir, plans: str, *more: str) -> dict[str, list[str]]:
    """`bench_halving.py --replay WORKDIR --plans PLANS [more]` run: its Markdown table's cells, by plan."""
    command = [sys.executable, "benchmarks/bench_halving.py", "--replay", str(workdir), "--plans", plans, *more]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()[2:]  # below the header and its rule
    return {cells[0]: cells for cells in ([cell.strip() for cell in line.strip("|").split("|")] for line in lines)}


def test_the_benchmark_prints_each_plan_against_the_grid(grid_beside_halving):
    rows = replay_rows(grid_beside_halving["grid"], "1x2,2x2", "--rung-scores", "objective,val_loss")
    grid_metrics = json.loads((grid_beside_halving["grid"] / "cnn" / "test_metrics.json").read_text())
    halving_metrics = json.loads((grid_beside_halving["halving"] / "cnn" / "test_metrics.json").read_text())
    winner = int(pd.read_csv(grid_beside_halving["halving"] / "cnn" / "leaderboard.csv").iloc[0]["point"])
    grid = read_grid(RunLayout(grid_beside_halving["grid"] / "cnn"))
    # plan, points per rung, epochs, % of grid, winner, grid rank, test acc, vs grid winner
    assert rows["grid (4 epochs)"][1:4] == ["4", "16", "100%"]
    assert rows["grid (4 epochs)"][5:] == ["1", f"{grid_metrics['accuracy']:.4f}", "+0.0 pt"]
    assert rows["1x2"][1:4] == ["4/2/1", "8", "50%"]
    assert rows["1x2"][5:7] == [str(grid.rank(winner)), f"{halving_metrics['accuracy']:.4f}"]
    assert rows["2x2"][1:4] == ["4/2", "12", "75%"]
    by_objective = replay(replace(LIVE_PLAN, rung_score="objective"), runs_of(grid_beside_halving["grid"]))
    assert rows["1x2 objective"][2:4] == [str(by_objective.epochs), f"{by_objective.epochs / 16:.0%}"]
    assert rows["1x2 objective"][5] == str(grid.rank(by_objective.winner))


def test_a_winner_whose_weights_are_gone_has_no_test_accuracy(grid_beside_halving, tmp_path):
    workdir = tmp_path / "work"
    shutil.copytree(grid_beside_halving["grid"], workdir)
    grid = read_grid(RunLayout(workdir / "cnn"))
    for weights in grid.fit(grid.winner).root.glob("best_epoch_*.weights.h5"):
        weights.unlink()
    rows = replay_rows(workdir, "1x2")
    assert rows["grid (4 epochs)"][6:] == ["n/a", "n/a"]
    assert rows["1x2"][7] == "n/a"


def test_a_point_stopped_before_a_rung_is_not_promoted_and_costs_only_its_epochs():
    def run(accuracies: list[float], stopped: bool = False) -> CommittedRun:
        rows = len(accuracies)
        history = pd.DataFrame({"epoch": range(rows), "val_accuracy": accuracies, "val_loss": [1.0] * rows})
        return CommittedRun(history, rows, stopped)

    runs = [run([0.9, 0.5], stopped=True), run([0.6, 0.7, 0.7, 0.8]), run([0.5, 0.6, 0.6, 0.6]), run([0.4] * 4)]
    replayed = replay(HalvingPlan(2, 2, 4), runs)  # rungs 2, 4: point 0 stopped at its rung 2, best there
    assert replayed.members == ((0, 1, 2, 3), (1, 2))
    assert replayed.epochs == 2 + 2 + 2 + 2 + 2 * 2
    assert replayed.winner == 1


def test_only_a_finished_grid_is_replayed(grid_beside_halving, tmp_path):
    with pytest.raises(DataError, match="holds no grid sweep: run one with --search grid --scheduler none first"):
        read_grid(RunLayout(grid_beside_halving["halving"] / "cnn"))
    unfinished = tmp_path / "cnn"
    shutil.copytree(grid_beside_halving["grid"] / "cnn", unfinished)
    shutil.rmtree(unfinished / "tuner" / "trial_2")
    with pytest.raises(DataError, match=r"grid points \[2\] have not run: finish the sweep first"):
        read_grid(RunLayout(unfinished))
