"""Roles from flags or KerasTuner's variables, and their one-line refusals."""

import pytest

from experiments.tuning.role import CHIEF, SINGLE, WORKER, role_of
from plumbing.errors import UsageError


def test_flags_name_the_role_and_the_chiefs_address():
    assert role_of(("10.0.0.5", 8000), None, None, {}).kind == CHIEF
    worker = role_of(None, ("10.0.0.5", 8000), "gpu-1", {})
    assert (worker.kind, worker.address, worker.tuner_id) == (WORKER, "10.0.0.5:8000", "gpu-1")
    assert role_of(None, None, None, {}).kind == SINGLE


def test_kerastuner_variables_work_as_kerastuner_documents_them():
    env = {"KERASTUNER_ORACLE_IP": "127.0.0.1", "KERASTUNER_ORACLE_PORT": "8000"}
    assert role_of(None, None, None, {**env, "KERASTUNER_TUNER_ID": "chief"}).kind == CHIEF
    worker = role_of(None, None, None, {**env, "KERASTUNER_TUNER_ID": "tuner1"})
    assert (worker.kind, worker.tuner_id, worker.port) == (WORKER, "tuner1", 8000)


@pytest.mark.parametrize(
    "args, env, message",
    [
        ((("h", 1), ("h", 1), None), {}, "one or the other"),
        ((None, None, "w1"), {}, "--worker-id names a worker"),
        ((None, ("h", 1), "my-chief"), {}, "containing 'chief'"),
        ((None, None, None), {"KERASTUNER_ORACLE_IP": "h"}, "KERASTUNER_ORACLE_PORT and KERASTUNER_TUNER_ID not"),
        (
            (None, None, None),
            {"KERASTUNER_ORACLE_IP": "h", "KERASTUNER_ORACLE_PORT": "x", "KERASTUNER_TUNER_ID": "t"},
            "is not HOST:PORT",
        ),
    ],
)
def test_contradictions_are_refused_with_what_to_do(args, env, message):
    with pytest.raises(UsageError, match=message):
        role_of(*args, env)
