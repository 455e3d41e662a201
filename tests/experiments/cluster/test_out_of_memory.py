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
    try:
        try:
            raise RuntimeError(MESSAGES["JAX"])
        except RuntimeError as inner:
            raise kt.errors.FailedTrialError("trial failed") from inner
    except kt.errors.FailedTrialError as outer:
        assert is_out_of_memory(outer)
    assert not is_out_of_memory(ValueError("Input 0 of layer dense is incompatible with the layer"))


def test_a_workers_term_ends_after_its_trials_or_past_its_memory():
    assert WorkerTerm(trials=2).over(1) is None
    assert WorkerTerm(trials=2).over(2) == "2 trials (--trials-per-worker 2)"
    assert WorkerTerm(memory_mib=1).over(0).endswith("MiB resident (--worker-memory-mib 1)")
    assert WorkerTerm(memory_mib=10**6).over(50) is None and WorkerTerm().over(10**6) is None
    assert 1 < resident_mib() < 10**6
