"""`--search random`: the points are decided by the seed alone, within the space's lists and ranges."""

import math

from experiments.tuning.samplers import sampler
from hypermodels.families import FAMILIES
from hypermodels.space import SearchSpace

RANGES = {
    "conv_filters": [[8, 16, 32], [16, 32, 64]],
    "learning_rate": {"min": 1e-4, "max": 1e-2, "sampling": "log"},
    "dropout_head": {"min": 0.1, "max": 0.6, "step": 0.05},
    "dense_units": {"min": 16, "max": 128, "step": 16},
}
random_points = sampler("random")


def test_the_same_seed_draws_the_same_points_in_the_same_order_and_another_seed_others():
    space = SearchSpace.from_mapping("r", RANGES, whole=frozenset({"dense_units"}))
    drawn = random_points(space, 42, 20)
    assert drawn == random_points(space, 42, 20) and drawn != random_points(space, 43, 20)
    assert random_points(space, 42, 8) == drawn[:8], "more trials extend the same list"
    assert len(drawn) == 20 and len({tuple(p.values()) for p in drawn}) == 20


def test_each_value_keeps_to_its_range_its_sampling_and_its_step():
    space = SearchSpace.from_mapping("r", RANGES, whole=frozenset({"dense_units"}))
    drawn = random_points(space, 7, 200)
    rates = [p["learning_rate"] for p in drawn]
    assert all(1e-4 <= r <= 1e-2 for r in rates)
    logs = [math.log10(r) for r in rates]
    assert sum(-4 <= x < -3 for x in logs) > 40 and sum(-3 <= x <= -2 for x in logs) > 40, "log: each decade alike"
    assert {p["dropout_head"] for p in drawn} <= {round(0.1 + 0.05 * k, 10) for k in range(11)}
    assert {p["dense_units"] for p in drawn} <= set(range(16, 129, 16))
    assert all(isinstance(p["dense_units"], int) for p in drawn)
    assert {p["conv_filters"] for p in drawn} == {"8-16-32", "16-32-64"}


def test_a_space_of_lists_is_sampled_without_repeats_and_all_of_it_without_max_trials():
    space = SearchSpace.from_mapping("g", {"dense_units": [32, 64, 128], "dropout_head": [0.3, 0.5]})
    every = random_points(space, 42, None)
    assert sorted(map(str, every)) == sorted(map(str, space.points())) and every != space.points()
    assert random_points(space, 42, 4) == every[:4] and len(random_points(space, 42, 100)) == 6


def test_more_trials_of_a_large_grid_extend_the_same_list():
    """`random.sample` picks its method by how many it draws, so its first N depended on N; a replay of the full
    order would then not be what `--max-trials N` trains."""
    seed_grid = FAMILIES["cnn"].spaces["seed"]
    assert len(seed_grid) == 96
    every = random_points(seed_grid, 42, None)
    for count in (5, 16, 30, 60):
        assert random_points(seed_grid, 42, count) == every[:count], count
