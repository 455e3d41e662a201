"""Distributed sweeps on loopback: a chief and two workers; workers killed and frozen, the chief killed; workers
waiting for a chief that starts the sweep again."""

import json
import re
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.options import parse_sweep
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.run_record import check_info
from experiments.tuning.record import sweep_info
from experiments.tuning.space_files import load_space
from hypermodels.cnn import QUICK_SPACE
from reports.sections.experiment import cluster_line
from reports.workdir_reader import read_experiment
from tests.support import LEASE_ARGS, REPO, Cluster, Run, free_port, sweep_args, trial_epoch, wait_for

pytestmark = pytest.mark.slow

EPOCHS = 3  # a killed or frozen worker's trial still has two epochs to go
LEASE = [*LEASE_ARGS, "--max-epochs", str(EPOCHS), "--patience", str(EPOCHS)]
RECHECK = ["--recheck-top", "2", "--seeds", "1"]  # after the grid, its top two again with seed 43, on the workers


def has_begun(cluster: Cluster, name: str):
    return lambda: f"{name}: trial" in cluster.output(name)


@pytest.fixture(scope="module")
def killed_cluster(tiny_dataset, tmp_path_factory):
    """Worker a SIGKILLed after an epoch of its trial; b takes it over; the chief SIGKILLed then, and restarted."""
    cluster = Cluster(tiny_dataset, tmp_path_factory.mktemp("cluster"), *LEASE)
    chief, a, b = cluster.start("chief"), cluster.start("a"), cluster.start("b")
    wait_for(has_begun(cluster, "a"), what="a's first trial", run=a)
    taken = cluster.trial_of("a")
    wait_for(lambda: trial_epoch(cluster.workdir, "cnn", taken) >= 1, what="an epoch of a's trial", run=a)
    a.kill(signal.SIGKILL)
    killed_at = trial_epoch(cluster.workdir, "cnn", taken)
    wait_for(lambda: f"resuming trial_{taken} from epoch" in b.output, what="b resuming a's trial", run=b)
    chief.kill(signal.SIGKILL)
    chief = cluster.start("chief")  # takes the sweep's lock again: the kernel dropped the dead chief's
    assert chief.wait() == 0, chief.output
    assert b.wait() == 0, b.output
    return {"cluster": cluster, "taken": taken, "killed_at": killed_at}


def test_a_dead_workers_trial_is_resumed_by_another_from_its_committed_epoch(killed_cluster):
    cluster, taken = killed_cluster["cluster"], killed_cluster["taken"]
    assert f"resuming trial_{taken} from epoch {killed_cluster['killed_at']}" in cluster.output("b")
    history = pd.read_csv(cluster.workdir / "cnn" / "tuner" / f"trial_{taken}" / "history.csv")
    assert list(history["epoch"]) == list(range(EPOCHS))
    record = json.loads((cluster.workdir / "cnn" / "cluster.json").read_text())
    assert {"trial_id": taken, "from": "a", "to": "b"}.items() <= record["re_leases"][0].items()
    assert record["workers"] == ["a", "b"]
    line = cluster_line(read_experiment(cluster.workdir / "cnn").cluster)
    assert f"a chief and 2 workers (a, b). Re-leased after a silent worker: trial {taken} (a → b)." in line


def test_a_restarted_chief_finishes_the_grid_exactly_once(killed_cluster):
    cluster = killed_cluster["cluster"]
    board = cluster.board()
    assert sorted(board["trial_id"]) == [0, 1, 2, 3] and (board["status"] == "COMPLETED").all()
    names = QUICK_SPACE.names
    assert sorted(map(tuple, board[names].values.tolist())) == sorted(
        tuple(p[n] for n in names) for p in QUICK_SPACE.points()
    )
    after_resume = cluster.output("b").split(f"resuming trial_{killed_cluster['taken']}")[1]
    assert "b: waiting for the chief" in after_resume and "b: the chief at 127.0.0.1" in after_resume
    assert "stays b's if it renews" in cluster.runs["chief"][1].output
    assert (cluster.workdir / "cnn" / "test_metrics.json").exists()
    finished = re.findall(r"\[(\d)/4\] trial (\d)", cluster.output("chief"))
    assert [k for k, _ in finished] == ["1", "2", "3", "4"], "one line per trial, numbered as they ended"
    assert len({trial for _, trial in finished}) == 4, "a trial was reported twice"


@pytest.fixture(scope="module")
def frozen_worker(sweep_data, tmp_path_factory):
    """Worker a frozen (SIGSTOP) past its lease mid-trial; b takes the trial over; a thawed while b trains it; then the
    grid's top two re-checked with one more seed each."""
    cluster = Cluster(sweep_data, tmp_path_factory.mktemp("frozen"), *LEASE, *RECHECK)
    chief, a, b = cluster.start("chief"), cluster.start("a"), cluster.start("b")
    wait_for(has_begun(cluster, "a"), what="a's first trial", run=a)
    alone = subprocess.Popen(
        [sys.executable, "experiments/search_cnn.py", *cluster.args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    taken = cluster.trial_of("a")
    wait_for(lambda: trial_epoch(cluster.workdir, "cnn", taken) >= 1, what="an epoch of a's trial", run=a)
    a.process.send_signal(signal.SIGSTOP)
    wait_for(lambda: f"resuming trial_{taken} from epoch" in b.output, what="b resuming a's trial", run=b)
    a.process.send_signal(signal.SIGCONT)
    alone_error = alone.communicate(timeout=120)[1]  # a single-process sweep started while the chief served
    codes = {name: run.wait() for name, run in (("chief", chief), ("a", a), ("b", b))}
    return {"cluster": cluster, "taken": taken, "codes": codes, "alone": (alone.returncode, alone_error)}


def test_a_late_worker_drops_the_trial_without_writing(frozen_worker):
    cluster, taken = frozen_worker["cluster"], frozen_worker["taken"]
    assert frozen_worker["codes"] == {"chief": 0, "a": 0, "b": 0}, cluster.output("chief")
    assert f"a: dropped trial {taken}: its lease went to another worker" in cluster.output("a")
    history = pd.read_csv(cluster.workdir / "cnn" / "tuner" / f"trial_{taken}" / "history.csv")
    assert list(history["epoch"]) == list(range(EPOCHS)), "the late worker wrote an epoch of the new owner's trial"
    state = json.loads((cluster.workdir / "cnn" / "tuner" / f"trial_{taken}" / "state.json").read_text())
    assert state["epoch"] == EPOCHS
    board = cluster.board()
    assert len(board) == 4 and (board["status"] == "COMPLETED").all()


def kept(folder) -> tuple[float, float]:
    """A run's kept objective and its validation loss, from its committed state."""
    state = json.loads((folder / "state.json").read_text())
    return state["best_value"], state["best_val_loss"]


def grid_top(root, count: int) -> list[tuple[str, int]]:
    """The grid's best `count` (trial, point), recomputed from each trial's files: higher kept accuracy, then lower
    loss, then grid order (trials 0-3 are the grid's, in grid order)."""
    points, names = QUICK_SPACE.points(), QUICK_SPACE.names
    trials = [str(t) for t in range(len(points))]
    ranked = sorted(
        trials, key=lambda t: (-kept(root / "tuner" / f"trial_{t}")[0], kept(root / "tuner" / f"trial_{t}")[1], t)
    )
    values = {
        t: json.loads((root / "tuner" / f"trial_{t}" / "trial.json").read_text())["hyperparameters"]["values"]
        for t in trials
    }
    return [(t, points.index({n: values[t][n] for n in names})) for t in ranked[:count]]


def test_the_workers_recheck_the_grids_top_two_once_each_and_exit_0(frozen_worker):
    cluster, root = frozen_worker["cluster"], frozen_worker["cluster"].workdir / "cnn"
    assert frozen_worker["codes"] == {"chief": 0, "a": 0, "b": 0}, cluster.output("chief")
    statuses = [json.loads(p.read_text())["status"] for p in (root / "tuner").glob("trial_*/trial.json")]
    assert statuses == ["COMPLETED"] * (4 + 2)
    top = grid_top(root, 2)
    runs = sorted(p.relative_to(root / "recheck").as_posix() for p in (root / "recheck").glob("point_*/seed_*"))
    assert runs == sorted(f"point_{point:03d}/seed_43" for _, point in top)
    for run in runs:
        assert list(pd.read_csv(root / "recheck" / run / "history.csv")["epoch"]) == list(range(EPOCHS)), run
    began = re.findall(r"\b[ab]: trial ([45]) begins", cluster.output("a") + cluster.output("b"))
    assert sorted(began) == ["4", "5"], "each re-check run trained once, by a worker"
    lines = re.findall(r"\[recheck (\d)/2\] point (\d) seed 43", cluster.output("chief"))
    assert sorted(k for k, _ in lines) == ["1", "2"] and sorted(int(p) for _, p in lines) == sorted(p for _, p in top)
    board = cluster.board()
    for trial, point in top:
        row = board[board["trial_id"] == int(trial)].iloc[0]
        values = np.array(
            [kept(root / "tuner" / f"trial_{trial}")[0], kept(root / f"recheck/point_{point:03d}/seed_43")[0]]
        )
        assert row["seeds"] == 2 and row["mean"] == pytest.approx(values.mean())
        assert row["std"] == pytest.approx(values.std(ddof=1))
    assert board["mean"].notna().sum() == 2 and board["mean"].iloc[0] == board["mean"].max(), "the best mean first"


def test_a_second_sweep_on_a_running_sweeps_workdir_is_refused(frozen_worker):
    code, error = frozen_worker["alone"]
    assert code == 2 and "already running" in error.strip().splitlines()[-1], error


def test_workers_take_the_first_rung_their_chief_records_anew_over_the_one_it_cleared(tiny_dataset, tmp_path):
    """Halving's default first rung, given to no process: workers that were waiting before their chief started with
    `--overwrite` (the chief's alone) train by the record it wrote (a sixth of 2 epochs, at least 1), not by the one it
    cleared (recorded with --min-epochs 2)."""
    space = tmp_path / "two.json"
    space.write_text(json.dumps({"conv_filters": [[4, 8, 8], [8, 8, 8]], "learning_rate": [0.001]}))
    more = ["--strategy", "halving", "--eta", "2", "--space", space, "--max-epochs", "2", *LEASE_ARGS]
    args = sweep_args(tiny_dataset, tmp_path / "work", tmp_path / "tb", *more)
    prepare = ["prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "work"), "--min-clips", "5"]
    subprocess.run([sys.executable, "-m", "data_pipeline", *prepare], cwd=REPO, check=True, capture_output=True)
    layout = RunLayout(tmp_path / "work" / "cnn")
    layout.root.mkdir()
    cleared = parse_sweep("cnn", [*args, "--min-epochs", "2"])
    check_info(layout, sweep_info("cnn", load_space(str(space), "cnn"), TrainingRecipe(2, 4), cleared))
    address = f"127.0.0.1:{free_port()}"
    workers = [Run("search_cnn.py", *args, "--worker", address, "--worker-id", n, log=tmp_path / n) for n in "ab"]
    for worker in workers:
        wait_for(lambda w=worker: "waiting for the chief" in w.output, what="a worker waiting", run=worker)
    chief = Run("search_cnn.py", *args, "--chief", address, "--overwrite", log=tmp_path / "chief")
    try:
        assert [worker.wait() for worker in workers] == [0, 0], [worker.output[-2000:] for worker in workers]
        assert chief.wait() == 0, chief.output
    finally:
        for run in (chief, *workers):  # a worker that refused leaves its chief serving nobody
            if run.process.poll() is None:
                run.kill(signal.SIGKILL)
    assert json.loads(layout.info.read_text())["min_epochs"] == 1
    board = pd.read_csv(layout.leaderboard)
    assert sorted(board["status"]) == ["COMPLETED", "PRUNED"] and sorted(board["epochs_run"]) == [1, 2], board
