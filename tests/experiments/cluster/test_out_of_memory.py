"""A worker tells its backend's out-of-memory errors from other failures, and when its term is over."""

import keras_tuner as kt
import pytest

from experiments.cluster.out_of_memory import is_out_of_memory
from experiments.cluster.worker_term import WorkerTerm, resident_mib

MESSAGES = {
    "TensorFlow": "OOM when allocating tensor with shape[64,4194304] and type float on /device:GPU:0",
    "JAX": "RESOURCE_EXHAUSTED: Out of memory allocating 1073741824 bytes.",
    "PyTorch": "CUDA out of memory. Tried to allocate 2.00 GiB",
    "CUDA": "CUDA_ERROR_OUT_OF_MEMORY: out of memory",
}


@pytest.mark.parametrize("backend", sorted(MESSAGES))
def test_each_backends_out_of_memory_is_told_by_its_message(backend):
    assert is_out_of_memory(RuntimeError(MESSAGES[backend]))


def test_an_out_of_memory_error_under_another_is_found_and_other_errors_are_not():
    with pytest.raises(kt.errors.FailedTrialError) as outer:
        try:
            raise RuntimeError(MESSAGES["JAX"])
        except RuntimeError as inner:
            raise kt.errors.FailedTrialError("trial failed") from inner
    assert is_out_of_memory(outer.value)
    assert not is_out_of_memory(ValueError("Input 0 of layer dense is incompatible with the layer"))


def test_a_workers_term_ends_after_its_trials_or_past_its_memory():
    assert WorkerTerm(trials=2).over(1, []) is None
    assert WorkerTerm(trials=2).over(2, []) == "2 trials (--trials-per-worker 2)"
    assert WorkerTerm(memory_mib=1).over(1, [900]) == "900 MiB resident (--worker-memory-mib 1)"
    assert WorkerTerm(memory_mib=1).over(0, []) is None, "a fresh worker trains one trial before it may leave"
    assert WorkerTerm(memory_mib=10**6).over(50, [900] * 50) is None and WorkerTerm().over(10**6, [10**6]) is None
    assert not WorkerTerm(trials=3).watches_memory and WorkerTerm(growth_percent=10).watches_memory
    assert 1 < resident_mib() < 10**6


def test_a_worker_leaves_before_one_more_trial_would_grow_it_past_its_bound():
    """1,000 MiB after the first trial, +16 MiB a trial, a 10% bound (1,100 MiB): it leaves at 1,096, not 1,112."""
    term = WorkerTerm(growth_percent=10)
    resident = [1000 + 16 * trial for trial in range(9)]
    stays = [trials for trials in range(1, 10) if term.over(trials, resident[:trials]) is None]
    assert stays == [1, 2, 3, 4, 5, 6]  # after 6 trials: 1,080 + 16 = 1,096, within 1,100
    assert term.over(7, resident[:7]) == (
        "1096 MiB resident, 1000 MiB after its first trial: one more trial (+16 MiB) would pass +10% "
        "(--worker-memory-growth 10)"
    )
    assert term.over(7, [1000] + [1100] * 6) is None, "exactly at the bound and flat: it stays"


def test_a_warm_up_jump_at_the_second_trial_is_not_taken_for_a_rate():
    """JAX's second trial grows a process 6% (652 -> 693 MiB), then it is flat: it stays; past the bound, it leaves."""
    term = WorkerTerm(growth_percent=10)
    assert (
        term.over(2, [652, 693]) is None and term.over(10, [652, 693, 694, 706, 706, 706, 706, 709, 709, 709]) is None
    )
    assert term.over(2, [652, 720]).startswith("720 MiB resident, 652 MiB after its first trial")
    assert term.over(40, [1000] * 39 + [900]) is None, "shrinking: it stays"
    assert term.over(0, []) is None
