"""A range under a search that cannot sample it, or without --max-trials, is one line naming the key and the flag."""

import pytest

from experiments.tuning.samplers import check_search
from hypermodels.space import SearchSpace
from plumbing.errors import UsageError

SPACE = SearchSpace.from_mapping("r", {"dense_units": [32], "learning_rate": {"min": 1e-4, "max": 1e-2}})


def test_a_grid_refuses_a_range_naming_it():
    with pytest.raises(UsageError) as refused:
        check_search(SPACE, "grid", None, "r.yaml")
    assert str(refused.value) == (
        "--space r.yaml: learning_rate is a range: --search grid walks lists of values only; pass --search random "
        "--max-trials N, or list its values"
    )


def test_a_sampled_search_needs_max_trials_for_a_range_and_takes_lists_without():
    with pytest.raises(UsageError, match="learning_rate is a range: pass --max-trials N, how many points"):
        check_search(SPACE, "random", None, "r.yaml")
    check_search(SPACE, "random", 8, "r.yaml")
    check_search(SearchSpace.from_mapping("g", {"dense_units": [32, 64]}), "random", None, "g.yaml")
