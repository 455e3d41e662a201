"""`--search bayesian` (KerasTuner's Gaussian process) and `--search tpe` (Optuna's TPE): point k is a function of the
seed, k and the results of the points before it, within the space, never a point already tried."""

import importlib

import pytest

from hypermodels.space import SearchSpace

SPACE = SearchSpace.from_mapping(
    "lr", {"learning_rate": {"min": 1e-4, "max": 1e-1, "sampling": "log"}, "dense_units": [32, 64]}
)
RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 5e-4, 2e-3, 5e-2, 2e-4, 7e-3]


def keys(pairs: list[tuple[dict, float]]) -> set[tuple]:
    return {SPACE.key(values) for values, _ in pairs}


def history(scores: list[float]) -> list[tuple[dict, float]]:
    points = [{"learning_rate": rate, "dense_units": 32 if i % 2 else 64} for i, rate in enumerate(RATES)]
    return list(zip(points, scores, strict=False))


def proposer(search: str):
    return importlib.import_module(f"experiments.tuning.samplers.{search}").propose


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_a_proposal_is_the_same_for_the_same_seed_number_and_results_and_new_in_the_space(search):
    propose, rising = proposer(search), history([0.1 * k for k in range(12)])
    point = propose(SPACE, 42, 12, rising, keys(rising))
    assert point == propose(SPACE, 42, 12, rising, keys(rising))
    assert 1e-4 <= point["learning_rate"] <= 1e-1 and point["dense_units"] in (32, 64)
    assert point not in [p for p, _ in rising]


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_the_first_points_are_drawn_by_the_seed(search):
    propose, two = proposer(search), history([0.5, 0.6])
    assert propose(SPACE, 42, 2, two, keys(two)) != propose(SPACE, 43, 2, two, keys(two))


def test_tpe_proposes_from_the_results():
    rising, falling = history([0.1 * k for k in range(12)]), history([1.0 - 0.08 * k for k in range(12)])
    assert proposer("tpe")(SPACE, 42, 12, rising, keys(rising)) != proposer("tpe")(SPACE, 42, 12, falling, keys(rising))


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_a_space_with_no_new_point_left_gives_none(search):
    tiny = SearchSpace.from_mapping("tiny", {"dense_units": [32, 64]})
    both = [({"dense_units": 32}, 0.5), ({"dense_units": 64}, 0.6)]
    assert proposer(search)(tiny, 1, 2, both, {(32,), (64,)}) is None
    assert proposer(search)(tiny, 1, 2, both[:1], {(32,), (64,)}) is None  # 64 proposed, not yet scored


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_a_point_proposed_and_not_scored_is_never_proposed_again(search):
    """A point still training on a worker, or failed, has no result to learn from: it is not proposed again."""
    grid = SearchSpace.from_mapping("grid", {"dense_units": [32, 64], "learning_rate": [1e-3, 1e-2]})
    for seed in range(12):
        first = proposer(search)(grid, seed, 0, [], set())
        second = proposer(search)(grid, seed, 1, [], {grid.key(first)})
        assert grid.key(second) != grid.key(first), seed
