"""Leases in the chief's oracle, on disk as the chief keeps them: expiry, fencing, waiting, restart."""

import time

import keras_tuner as kt
import pytest

from experiments.cluster.leased_oracle import LeasedGridOracle
from hypermodels.cnn import QUICK_SPACE

LEASE = 0.2
RUNNING, IDLE, STOPPED = (
    kt.engine.trial.TrialStatus.RUNNING,
    kt.engine.trial.TrialStatus.IDLE,
    kt.engine.trial.TrialStatus.STOPPED,
)


def new_oracle(folder) -> LeasedGridOracle:
    oracle = LeasedGridOracle(QUICK_SPACE, seed=42, lease_seconds=LEASE)
    oracle._set_project_dir(str(folder), "tuner")
    return oracle


def finish(oracle: LeasedGridOracle, worker: str, trial) -> None:
    """What a worker reports at a trial's end: its results, then its copy of the trial (as over gRPC)."""
    oracle.update_from(worker, trial.trial_id, {"val_accuracy": 0.5, "val_loss": 1.0}, 1)
    copy = kt.engine.trial.Trial.from_proto(trial.to_proto())
    copy.status = kt.engine.trial.TrialStatus.COMPLETED
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
