"""`--search random` survives SIGKILLs as a grid does: killed at random moments (mid-epoch, between trials, as halving
promotes) and resumed, it trains exactly the points an unbroken search with the same seed trains, in the same
order, each epoch once, never more than --max-trials; on a chief and two workers it trains the same trials."""

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
SPACE = {
    "conv_filters": [[4, 8, 8], [8, 8, 8]],
    "learning_rate": {"min": 1.0e-3, "max": 1.0e-2, "sampling": "log"},
    "dropout_head": {"min": 0.1, "max": 0.5, "step": 0.1},
}
SEARCH = ["--search", "random", "--max-trials", "3", "--max-epochs", "2", "--patience", "2", "--batch-size", "4"]
HALVING = ["--search", "random", "--max-trials", "4", "--scheduler", "halving", "--min-epochs", "1", "--eta", "2"]
HALVING += ["--max-epochs", "4", "--patience", "4", "--batch-size", "4"]


def common(sweep_data, root, name: str, space) -> list[str]:
    return ["--data-dir", str(sweep_data), "--workdir", str(root / name), "--tb-logs", str(root / "tb"),
            "--min-clips", "5", "--space", str(space)]  # fmt: skip


def finished(run: Run) -> str:
    assert run.wait() == 0, run.output[-3000:]
    return run.output


def trained(workdir) -> pd.DataFrame:
    """Each trial's id and the values it trained, by trial id."""
    trials = [json.loads(p.read_text()) for p in (workdir / "cnn" / "tuner").glob("trial_*/trial.json")]
    rows = [{"trial_id": t["trial_id"], **t["hyperparameters"]["values"]} for t in trials]
    frame = pd.DataFrame(rows).sort_values("trial_id").reset_index(drop=True)
    return frame[["trial_id", *SPACE]]  # the order a process happened to declare them in aside


@pytest.fixture(scope="module")
def searches(sweep_data, tmp_path_factory):
    """The same random search unbroken, killed twice at random moments, and on a chief and two workers."""
    root = tmp_path_factory.mktemp("random")
    space = root / "space.json"
    space.write_text(json.dumps(SPACE))
    moments = random.Random(5)
    unbroken = finished(Run("search_cnn.py", *common(sweep_data, root, "unbroken", space), *SEARCH, log=root / "u"))
    args = [*common(sweep_data, root, "killed", space), *SEARCH]
    milestones = [
        lambda: trial_epoch(root / "killed", "cnn", "1") >= 1,  # mid-trial 1
        lambda: trial_epoch(root / "killed", "cnn", "2") >= 1,  # trial 2 under way
    ]
    for index, reached in enumerate(milestones):
        run = Run("search_cnn.py", *args, log=root / f"k{index}")
        wait_for(reached, run=run)
        time.sleep(moments.uniform(0.0, 1.5) if index else 0.0)  # the first kill mid-trial 1, the next at random
        run.kill(signal.SIGKILL)
    killed = finished(Run("search_cnn.py", *args, log=root / "k2"))
    address = f"127.0.0.1:{free_port()}"
    cluster = [*common(sweep_data, root, "cluster", space), *SEARCH, *LEASE_ARGS]
    chief = Run("search_cnn.py", *cluster, "--chief", address, log=root / "chief")
    workers = [Run("search_cnn.py", *cluster, "--worker", address, "--worker-id", n, log=root / n) for n in "ab"]
    outputs = [finished(run) for run in (chief, *workers)]
    return {"root": root, "space": space, "outputs": {"unbroken": unbroken, "killed": killed, "cluster": outputs}}


def test_a_killed_search_trains_the_unbroken_searchs_points_in_its_order_each_epoch_once(searches):
    root = searches["root"]
    unbroken, killed = trained(root / "unbroken"), trained(root / "killed")
    pd.testing.assert_frame_equal(killed, unbroken)
    space = SearchSpace.from_mapping("space", {**SPACE, "conv_filters": ["4-8-8", "8-8-8"]})
    expected = pd.DataFrame(sampler("random")(space, 42, 3))
    pd.testing.assert_frame_equal(unbroken.drop(columns="trial_id"), expected, check_dtype=False)
    for trial_id in killed["trial_id"]:
        history = pd.read_csv(root / "killed" / "cnn" / "tuner" / f"trial_{trial_id}" / "history.csv")
        assert list(history["epoch"]) == [0, 1], f"trial {trial_id}: an epoch trained twice or lost"
    assert len(killed) == 3, "never more than --max-trials"
    board = pd.read_csv(root / "killed" / "cnn" / "leaderboard.csv")
    assert "resuming trial_1 from epoch 1" in (root / "k1").read_text(), "the interrupted trial resumed"
    assert (board["status"] == "COMPLETED").all() and "random search of 3 points" in searches["outputs"]["killed"]


def test_a_chief_and_two_workers_train_the_single_process_searchs_trials(searches):
    root = searches["root"]
    pd.testing.assert_frame_equal(trained(root / "cluster"), trained(root / "unbroken"))


def test_halving_over_a_random_search_promotes_among_its_points_and_resumes_exactly(searches, sweep_data):
    root, space = searches["root"], searches["space"]
    args = [*common(sweep_data, root, "halving", space), *HALVING]
    run = Run("search_cnn.py", *args, log=root / "h0")
    wait_for(lambda: sum(point_epoch(root / "halving", p) >= 1 for p in range(4)) >= 3, run=run)
    run.kill(signal.SIGKILL)  # in the first rung
    output = finished(Run("search_cnn.py", *args, log=root / "h1"))
    assert "successive halving over a random search of 4 points: rungs at 1, 2, 4 epochs" in output
    board = pd.read_csv(root / "halving" / "cnn" / "leaderboard.csv")
    assert sorted(board["rung"]) == [1, 1, 2, 3] and len(board) == 4
    for point, rung in zip(board["point"], board["rung"], strict=True):
        assert list(point_history(root / "halving", point)["epoch"]) == list(range((1, 2, 4)[rung - 1]))
    drawn = trained(root / "unbroken").drop(columns="trial_id")
    on_board = board.sort_values("point")[["conv_filters", "learning_rate", "dropout_head"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(on_board.iloc[:3], drawn, check_dtype=False)  # the same seed draws the same first 3
