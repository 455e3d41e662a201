"""A sampled search replayed on a grid's results: the points its sweep would train, in order, each one new."""

import statistics

import pytest

from experiments.tuning.samplers import sampler
from experiments.tuning.samplers.replay import proposals, trials_to_find
from hypermodels.space import SearchSpace

SPACE = SearchSpace.from_mapping(  # 48 points, of the CNN's keys
    "replay",
    {
        "conv_filters": [[8, 16, 32], [16, 32, 64], [24, 48, 96]],
        "learning_rate": [3e-3, 1e-3, 3e-4, 1e-4],
        "dropout_head": [0.3, 0.5],
        "l2_strength": [0.0, 1e-4],
    },
)
# a smooth table: the learning rate matters most, then the filters; one winner
SCORES = {
    SPACE.key(values): 0.9
    - 0.1 * [3e-3, 1e-3, 3e-4, 1e-4].index(values["learning_rate"])
    - 0.02 * ["8-16-32", "16-32-64", "24-48-96"][::-1].index(values["conv_filters"])
    - 0.002 * (values["dropout_head"] == 0.5)
    - 0.001 * (values["l2_strength"] > 0)
    for values in SPACE.points()
}
WINNER = {max(SCORES, key=SCORES.get)}
SEEDS = range(3)


def test_a_random_replay_proposes_the_random_searchs_own_order_to_the_winner():
    for seed in SEEDS:
        order = [SPACE.key(values) for values in sampler("random")(SPACE, seed, None)]
        replayed = proposals("random", SPACE, SCORES, seed, WINNER)
        assert replayed == order[: order.index(next(iter(WINNER))) + 1]
    assert len(proposals("random", SPACE, SCORES, 0, set())) == len(SPACE)  # no target: every point, each once


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_an_adaptive_search_meets_the_winner_of_a_smooth_table_sooner_than_random_search(search):
    adaptive = [trials_to_find(search, SPACE, SCORES, seed, WINNER) for seed in SEEDS]
    assert statistics.mean(adaptive) < (len(SPACE) + 1) / 2, adaptive  # random search's mean: (n + 1) / 2


@pytest.mark.parametrize("search", ["bayesian", "tpe"])
def test_an_adaptive_search_proposes_every_grid_point_once_to_the_last(search):
    small = SearchSpace.from_mapping("small", {"learning_rate": [3e-3, 1e-3, 3e-4], "dropout_head": [0.1, 0.3, 0.5]})
    scores = {small.key(values): values["learning_rate"] - values["dropout_head"] for values in small.points()}
    everything = proposals(search, small, scores, 0, set())
    assert len(everything) == len(set(everything)) == len(small)  # its last proposals: the points left


def test_a_grid_is_no_sampled_search():
    with pytest.raises(ValueError, match="grid: not a sampled search"):
        proposals("grid", SPACE, SCORES, 0, WINNER)
