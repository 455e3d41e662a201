"""The sweep oracle of an adaptive search: every point proposed once, and only by the process that serves trials."""

import functools

import pytest

from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.samplers import tpe
from hypermodels.space import SearchSpace

SPACE = SearchSpace.from_mapping("lists", {"dense_units": [32, 64], "learning_rate": [1e-3, 1e-2]})


def adaptive_oracle(tmp_path, proposer=None) -> GridOracle:
    oracle = GridOracle(
        SPACE,
        search="tpe",
        proposer=proposer or functools.partial(tpe.propose, SPACE, 1),
        budget=4,
        proposals=tmp_path / "proposals.json",
    )
    oracle._set_project_dir(str(tmp_path), "tuner")
    return oracle


def test_asking_whether_the_sweep_is_finished_proposes_nothing(tmp_path):
    """A worker asks while its chief is silent: a proposal of its own would race the chief's."""
    oracle = adaptive_oracle(tmp_path)
    assert not oracle.finished_on_disk(tmp_path / "tuner")
    assert not (tmp_path / "proposals.json").exists() and oracle.points == []
    assert oracle.populate_space("0")["values"] in SPACE.points()  # the serving process proposes
    assert (tmp_path / "proposals.json").exists() and len(oracle.points) == 1


def test_a_proposal_of_a_point_already_proposed_stops_the_sweep_instead_of_training_it_twice(tmp_path):
    oracle = adaptive_oracle(tmp_path, proposer=lambda index, history, seen: SPACE.points()[0])
    oracle.populate_space("0")
    with pytest.raises(RuntimeError, match="proposed .* again"):
        oracle.propose()
    assert len(oracle.points) == 1
