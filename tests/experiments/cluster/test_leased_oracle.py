"""Leases in the chief's oracle, on disk as the chief keeps them: expiry, fencing, waiting, restart."""

import time

import keras_tuner as kt
import pytest

from experiments.cluster.leased_oracle import LeasedGridOracle
from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.recheck.plan import RECHECK_POINT, RecheckPlan
from hypermodels.cnn import QUICK_SPACE

LEASE = 0.2
RUNNING, IDLE, STOPPED = (
    kt.engine.trial.TrialStatus.RUNNING,
    kt.engine.trial.TrialStatus.IDLE,
    kt.engine.trial.TrialStatus.STOPPED,
)
COMPLETED, FAILED = kt.engine.trial.TrialStatus.COMPLETED, kt.engine.trial.TrialStatus.FAILED


def new_oracle(folder) -> LeasedGridOracle:
    oracle = LeasedGridOracle(QUICK_SPACE, seed=42, lease_seconds=LEASE)
    oracle._set_project_dir(str(folder), "tuner")
    return oracle


def finish(oracle: LeasedGridOracle, worker: str, trial, accuracy: float = 0.5, status: str = COMPLETED) -> None:
    """What a worker reports at a trial's end: its results, then its copy of the trial (as over gRPC)."""
    oracle.update_from(worker, trial.trial_id, {"val_accuracy": accuracy, "val_loss": 1.0}, 1)
    copy = kt.engine.trial.Trial.from_proto(trial.to_proto())
    copy.status = status
    oracle.end_from(worker, copy)


@pytest.fixture
def oracle(tmp_path):
    return new_oracle(tmp_path)


def test_an_expired_lease_goes_to_the_next_worker_and_fences_the_old_one(oracle):
    first = oracle.create_trial("a")
    time.sleep(LEASE * 1.5)
    taken = oracle.create_trial("b")
    assert taken.trial_id == first.trial_id and taken.status == RUNNING
    assert oracle.re_leases == [{"trial_id": first.trial_id, "from": "a", "to": "b", "attempt": 2}]
    assert not oracle.renew("a", first.trial_id) and oracle.renew("b", first.trial_id)
    _, held = oracle.update_from("a", first.trial_id, {"val_accuracy": 0.9, "val_loss": 0.1}, 4)
    assert not held and not oracle.trials[first.trial_id].metrics.exists("val_accuracy")
    late = kt.engine.trial.Trial(oracle.get_space(), first.trial_id, kt.engine.trial.TrialStatus.COMPLETED)
    oracle.end_from("a", late)
    assert oracle.trials[first.trial_id].status == RUNNING, "a late worker ended the new owner's trial"
    finish(oracle, "b", taken)
    assert oracle.ended() == [first.trial_id]
    finish(oracle, "b", taken)  # a repeated end (a retried call) changes nothing
    assert oracle.ended() == [first.trial_id]


def test_a_renewed_lease_keeps_its_trial(oracle):
    first = oracle.create_trial("a")
    for _ in range(3):
        time.sleep(LEASE * 0.6)
        assert oracle.renew("a", first.trial_id)
    assert oracle.create_trial("b").trial_id != first.trial_id


def test_workers_wait_while_the_last_trials_run_and_stop_once_all_ended(oracle):
    trials = [oracle.create_trial(w) for w in ("a", "b", "c", "d")]
    assert oracle.create_trial("e").status == IDLE, "stopping e now would leave d's trial to nobody if d dies"
    for worker, trial in zip("abcd", trials, strict=True):
        finish(oracle, worker, trial)
    assert oracle.create_trial("e").status == STOPPED and "e" in oracle.told_to_stop


def test_a_restarted_chief_keeps_each_lease_with_its_worker(tmp_path):
    oracle = new_oracle(tmp_path)
    held = oracle.create_trial("a")
    done = oracle.create_trial("b")
    finish(oracle, "b", done)
    restarted = new_oracle(tmp_path)
    restarted.reload()
    assert restarted.holds("a", held.trial_id) and restarted.renew("a", held.trial_id)
    assert restarted.create_trial("b").trial_id not in (held.trial_id, done.trial_id)
    assert restarted.workers == {"a", "b"}


def test_a_trial_handed_back_goes_to_the_next_worker_at_once(oracle):
    first = oracle.create_trial("a")
    oracle.hand_back_from("b", first.trial_id)  # not b's to hand back: nothing changes
    assert oracle.create_trial("b").trial_id != first.trial_id
    oracle.hand_back_from("a", first.trial_id)
    taken = oracle.create_trial("c")
    assert taken.trial_id == first.trial_id and taken.status == RUNNING, "the lease had to expire first"
    assert oracle.re_leases == [{"trial_id": first.trial_id, "from": "a", "to": "c", "attempt": 2}]
    assert not oracle.renew("a", first.trial_id) and oracle.working() == 2  # a asks for nothing more


def test_a_recheck_after_a_failed_point_serves_fewer_runs_and_the_trial_files_then_end_the_sweep(tmp_path):
    """Top 4 of a 4-point grid whose point 3 failed: 3 runs, not 4; workers wait while the last ones run, then stop,
    and a worker whose chief is gone reads the same end from the trial files."""
    plan = RecheckPlan(top=4, seeds=1, base_seed=42)
    oracle = LeasedGridOracle(QUICK_SPACE, seed=42, lease_seconds=60, recheck=plan, max_retries_per_trial=0)
    oracle._set_project_dir(str(tmp_path), "tuner")
    on_disk = GridOracle(QUICK_SPACE, seed=42, recheck=plan)  # a worker's copy, reading the chief's files
    grid = [oracle.create_trial(w) for w in "abcd"]
    assert oracle.create_trial("e").status == IDLE, "the top is not decided while grid points train"
    for worker, trial, accuracy in zip("abc", grid, (0.5, 0.7, 0.6), strict=False):
        finish(oracle, worker, trial, accuracy)
    finish(oracle, "d", grid[3], status=FAILED)
    runs = [oracle.create_trial(w) for w in "efg"]
    assert [run.hyperparameters.values[RECHECK_POINT] for run in runs] == [1, 2, 0], "best first, the failed left out"
    assert oracle.planned_trials() == 4 + 3
    assert oracle.create_trial("h").status == IDLE, "stopping h now would leave g's run to nobody if g dies"
    for worker, run in zip("ef", runs, strict=False):
        finish(oracle, worker, run)
    assert not on_disk.finished_on_disk(tmp_path / "tuner"), "a worker would leave while g's run still trains"
    finish(oracle, "g", runs[2])
    assert oracle.create_trial("h").status == STOPPED
    assert on_disk.finished_on_disk(tmp_path / "tuner"), "a worker would wait for a fourth run that never comes"
