"""Halving on a chief and two workers, on loopback: a worker SIGKILLed mid-rung, the chief SIGKILLed, then finished."""

import json
import re
import signal

import pandas as pd
import pytest

from hypermodels.cnn import QUICK_SPACE
from tests.support import HALVING_ARGS, HALVING_RUNGS, LEASE_ARGS, Cluster, expected_rungs, point_history, wait_for

pytestmark = pytest.mark.slow

SECOND_RUNG = re.compile(r"(\w+): trial ([45]) begins")  # trials 0-3 train rung 1, 4 and 5 rung 2, 6 rung 3


@pytest.fixture(scope="module")
def killed_halving_cluster(sweep_data, tmp_path_factory):
    """The worker that begins a rung-2 trial first SIGKILLed at once; the other resumes it after its lease; the
    chief SIGKILLed then, and restarted."""
    cluster = Cluster(sweep_data, tmp_path_factory.mktemp("halving_cluster"), *HALVING_ARGS, *LEASE_ARGS)
    chief, runs = cluster.start("chief"), {name: cluster.start(name) for name in ("a", "b")}
    begun = lambda: SECOND_RUNG.search(cluster.output("a") + cluster.output("b"))  # noqa: E731
    wait_for(begun, what="a trial of the second rung", run=chief)
    victim, taken = begun().groups()
    runs[victim].kill(signal.SIGKILL)  # before the trial commits its epoch: mid-rung, its point at epoch 1
    survivor = "b" if victim == "a" else "a"
    re_leased = lambda: f"{survivor}: trial {taken} begins" in cluster.output(survivor)  # noqa: E731
    wait_for(re_leased, what=f"{survivor} taking trial {taken} over", run=chief)
    chief.kill(signal.SIGKILL)
    chief = cluster.start("chief")
    assert chief.wait() == 0, chief.output
    assert runs[survivor].wait() == 0, cluster.output(survivor)
    return {"cluster": cluster, "victim": victim, "survivor": survivor, "taken": taken}


def test_promotions_are_those_each_points_history_implies(killed_halving_cluster):
    cluster = killed_halving_cluster["cluster"]
    board = cluster.board()
    assert dict(zip(board["point"], board["rung"], strict=True)) == expected_rungs(cluster.workdir, len(QUICK_SPACE))
    assert list(board["status"]) == ["COMPLETED", "PRUNED", "PRUNED", "PRUNED"]
    assert sorted(board["rung"]) == [1, 1, 2, 3]


def test_no_epoch_is_trained_twice_and_each_promotion_is_one_trial(killed_halving_cluster):
    cluster = killed_halving_cluster["cluster"]
    for point, rung, epochs_run in cluster.board()[["point", "rung", "epochs_run"]].itertuples(index=False):
        trained, epochs = list(point_history(cluster.workdir, point)["epoch"]), HALVING_RUNGS[rung - 1]
        assert trained == list(range(epochs)) and epochs_run == epochs, f"point {point}"
    trials = [json.loads(p.read_text()) for p in (cluster.workdir / "cnn" / "tuner").glob("trial_*/trial.json")]
    promotions = [tuple(sorted(t["hyperparameters"]["values"].items())) for t in trials]
    assert len(promotions) == len(set(promotions)) == 4 + 2 + 1, "a point was promoted twice to a rung"
    assert {t["status"] for t in trials} == {"COMPLETED"}


def test_the_dead_workers_trial_went_to_the_other_and_the_restarted_chief_kept_it(killed_halving_cluster):
    cluster, taken = killed_halving_cluster["cluster"], killed_halving_cluster["taken"]
    victim, survivor = killed_halving_cluster["victim"], killed_halving_cluster["survivor"]
    record = json.loads((cluster.workdir / "cnn" / "cluster.json").read_text())
    assert {"trial_id": taken, "from": victim, "to": survivor}.items() <= record["re_leases"][0].items()
    after = cluster.output(survivor).split(f"{survivor}: trial {taken} begins")[1]
    assert re.search(r"resuming point_\d{3} from epoch 1\n", after), "the point did not resume from its committed epoch"
    assert f"stays {survivor}'s if it renews" in cluster.runs["chief"][1].output


def test_the_chief_reports_rungs_and_evaluates_the_winner_as_one_process_does(killed_halving_cluster, killed_halving):
    cluster = killed_halving_cluster["cluster"]
    board, alone = cluster.board(), pd.read_csv(killed_halving["workdir"] / "cnn" / "leaderboard.csv")
    decisions = ["point", "status", "rung", "epochs_run"]
    assert board[decisions].equals(alone[decisions]), f"{board[decisions]}\n{alone[decisions]}"
    assert board["val_accuracy"].tolist() == pytest.approx(alone["val_accuracy"].tolist(), abs=1e-6)
    winner, output = board.iloc[0]["point"], cluster.output("chief")
    assert f"[rung 3/3 at epoch 4: 1/1] point {winner}" in output
    assert re.findall(r"\[rung 1/3 at epoch 1: (\d)/4\] point \d", output) == ["1", "2", "3", "4"]
    # a rung-2 trial that ended just before the chief's SIGKILL has no line: the restarted chief begins after it
    second = re.findall(r"\[rung 2/3 at epoch 2: (\d)/2\] point \d", output)
    assert "2" in second and len(second) == len(set(second)), "a rung-2 trial reported twice"
    metrics = json.loads((cluster.workdir / "cnn" / "test_metrics.json").read_text())
    assert f"best point {winner}: test accuracy {metrics['accuracy']:.4f}" in output
