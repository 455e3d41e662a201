"""Every sampled search survives SIGKILLs as a grid does: killed at random moments and resumed, it trains exactly the
points an unbroken search with the same seed trains, in the same order, each epoch once, never more than
--max-trials. On a chief and two workers a random search trains the single process's trials; an adaptive one
(bayesian, tpe) proposes from the results the chief has seen, so its points are recorded in the order proposed,
each trained once. Halving promotes among a search's points and resumes exactly."""

import json
import random
import signal
import time

import pandas as pd
import pytest

from experiments.tuning.samplers import sampler
from hypermodels.space import SearchSpace
from tests.support import LEASE_ARGS, Run, free_port, point_epoch, point_history, trial_epoch, wait_for

pytestmark = pytest.mark.slow
SPACES = {  # an adaptive search models one dimension in a handful of trials (its first ones are random draws)
    "random": {
        "conv_filters": [[4, 8, 8], [8, 8, 8]],
        "learning_rate": {"min": 1.0e-3, "max": 1.0e-2, "sampling": "log"},
        "dropout_head": {"min": 0.1, "max": 0.5, "step": 0.1},
    },
    "bayesian": {"learning_rate": {"min": 1.0e-3, "max": 3.0e-2, "sampling": "log"}},
    "tpe": {"learning_rate": {"min": 1.0e-3, "max": 3.0e-2, "sampling": "log"}},
}
TRIALS = {"random": 3, "bayesian": 5, "tpe": 4}  # bayesian: 3 random draws, then 2 from its Gaussian process
EPOCHS = ["--max-epochs", "2", "--patience", "2", "--batch-size", "4"]
HALVING = ["--max-trials", "4", "--scheduler", "halving", "--min-epochs", "1", "--eta", "2"]
HALVING += ["--max-epochs", "4", "--patience", "4", "--batch-size", "4"]


def common(sweep_data, root, name: str, search: str) -> list[str]:
    return ["--data-dir", str(sweep_data), "--workdir", str(root / name), "--tb-logs", str(root / "tb"),
            "--min-clips", "5", "--space", str(root / "space.json"), "--search", search]  # fmt: skip


def finished(run: Run) -> str:
    assert run.wait() == 0, run.output[-3000:]
    return run.output


def trained(workdir, search: str) -> pd.DataFrame:
    """Each trial's id and the values it trained, by trial id."""
    trials = [json.loads(p.read_text()) for p in (workdir / "cnn" / "tuner").glob("trial_*/trial.json")]
    rows = [{"trial_id": t["trial_id"], **t["hyperparameters"]["values"]} for t in trials]
    frame = pd.DataFrame(rows).sort_values("trial_id").reset_index(drop=True)
    return frame[["trial_id", *SPACES[search]]]  # the order a process happened to declare them in aside


@pytest.fixture(scope="module", params=sorted(SPACES))
def searches(request, sweep_data, tmp_path_factory):
    """One search unbroken, killed twice at random moments (mid-trial 1, then in trial 2), and on a chief and two
    workers."""
    search, root = request.param, tmp_path_factory.mktemp(request.param)
    (root / "space.json").write_text(json.dumps(SPACES[search]))
    trials, moments = ["--max-trials", str(TRIALS[search]), *EPOCHS], random.Random(5)
    unbroken = Run("search_cnn.py", *common(sweep_data, root, "unbroken", search), *trials, log=root / "u")
    finished(unbroken)
    args = [*common(sweep_data, root, "killed", search), *trials]
    for index, trial in enumerate(("1", "2")):
        run = Run("search_cnn.py", *args, log=root / f"k{index}")
        wait_for(lambda t=trial: trial_epoch(root / "killed", "cnn", t) >= 1, run=run)
        time.sleep(moments.uniform(0.0, 1.5) if index else 0.0)  # the first kill mid-trial 1, the next at random
        run.kill(signal.SIGKILL)
    killed = finished(Run("search_cnn.py", *args, log=root / "k2"))
    address = f"127.0.0.1:{free_port()}"
    cluster = [*common(sweep_data, root, "cluster", search), *trials, *LEASE_ARGS]
    chief = Run("search_cnn.py", *cluster, "--chief", address, log=root / "chief")
    workers = [Run("search_cnn.py", *cluster, "--worker", address, "--worker-id", n, log=root / n) for n in "ab"]
    for run in (chief, *workers):
        finished(run)
    return {"search": search, "root": root, "killed": killed}


def test_a_killed_search_trains_the_unbroken_searchs_points_in_its_order_each_epoch_once(searches):
    root, search = searches["root"], searches["search"]
    unbroken, killed = trained(root / "unbroken", search), trained(root / "killed", search)
    pd.testing.assert_frame_equal(killed, unbroken)
    assert len(killed) == TRIALS[search], "never more than --max-trials"
    for trial_id in killed["trial_id"]:
        history = pd.read_csv(root / "killed" / "cnn" / "tuner" / f"trial_{trial_id}" / "history.csv")
        assert list(history["epoch"]) == [0, 1], f"trial {trial_id}: an epoch trained twice or lost"
    assert "resuming trial_1 from epoch 1" in (root / "k1").read_text(), "the interrupted trial resumed"
    board = pd.read_csv(root / "killed" / "cnn" / "leaderboard.csv")
    assert (board["status"] == "COMPLETED").all()
    assert f"{search} search of {TRIALS[search]} points" in searches["killed"]


def test_on_a_chief_and_two_workers_every_point_trains_once_as_proposed(searches):
    root, search = searches["root"], searches["search"]
    cluster = trained(root / "cluster", search)
    if search == "random":  # decided by the seed alone: the single process's trials, the sampler's list
        pd.testing.assert_frame_equal(cluster, trained(root / "unbroken", search))
        space = SearchSpace.from_mapping("space", {**SPACES[search], "conv_filters": ["4-8-8", "8-8-8"]})
        expected = pd.DataFrame(sampler("random")(space, 42, TRIALS[search]))[list(SPACES[search])]
        pd.testing.assert_frame_equal(cluster.drop(columns="trial_id"), expected, check_dtype=False)
    else:  # proposed from the results the chief had seen: recorded as proposed
        proposed = json.loads((root / "cluster" / "cnn" / "tuner" / "proposals.json").read_text())["points"]
        assert cluster.drop(columns="trial_id").to_dict("records") == proposed and len(proposed) == TRIALS[search]
        assert len({tuple(p.values()) for p in proposed}) == len(proposed), "no point proposed twice"
    for trial_id in cluster["trial_id"]:
        history = pd.read_csv(root / "cluster" / "cnn" / "tuner" / f"trial_{trial_id}" / "history.csv")
        assert list(history["epoch"]) == [0, 1]


def test_halving_over_a_search_promotes_among_its_points_and_resumes_exactly(searches, sweep_data):
    root, search = searches["root"], searches["search"]
    args = [*common(sweep_data, root, "halving", search), *HALVING]
    run = Run("search_cnn.py", *args, log=root / "h0")
    wait_for(lambda: sum(point_epoch(root / "halving", p) >= 1 for p in range(4)) >= 3, run=run)
    run.kill(signal.SIGKILL)  # in the first rung
    output = finished(Run("search_cnn.py", *args, log=root / "h1"))
    assert f"successive halving over a {search} search of 4 points: rungs at 1, 2, 4 epochs" in output
    board = pd.read_csv(root / "halving" / "cnn" / "leaderboard.csv")
    assert sorted(board["rung"]) == [1, 1, 2, 3] and len(board) == 4
    for point, rung in zip(board["point"], board["rung"], strict=True):
        assert list(point_history(root / "halving", point)["epoch"]) == list(range((1, 2, 4)[rung - 1]))
