"""The re-check's statistics against SciPy's own: the t-interval of a mean, and the paired t-test over seeds."""

import math

import numpy as np
import pytest
from scipy import stats

from experiments.tuning.recheck.statistics import paired_over_seeds, seed_summary


@pytest.mark.parametrize("count", [2, 4, 9])
def test_the_summary_is_the_mean_sample_std_and_students_t_interval(count):
    values = np.random.default_rng(count).uniform(0.6, 0.9, count)
    summary = seed_summary(values)
    low, high = stats.t.interval(0.95, count - 1, loc=values.mean(), scale=stats.sem(values))
    assert summary.seeds == count
    assert summary.mean == pytest.approx(values.mean())
    assert summary.std == pytest.approx(np.std(values, ddof=1))
    assert (summary.ci95_low, summary.ci95_high) == pytest.approx((low, high))


def test_one_run_has_a_mean_and_no_spread():
    summary = seed_summary([0.8])
    assert summary.mean == 0.8 and math.isnan(summary.std) and math.isnan(summary.ci95_low)


def test_the_paired_test_matches_seeds_and_is_scipys_ttest_rel():
    first = {42: 0.81, 43: 0.78, 44: 0.84, 45: 0.80, 7: 0.5}  # seed 7: the second point never ran it
    second = {42: 0.74, 43: 0.77, 44: 0.79, 45: 0.71}
    seeds = [42, 43, 44, 45]
    paired = paired_over_seeds(first, second)
    expected = stats.ttest_rel([first[s] for s in seeds], [second[s] for s in seeds])
    differences = np.array([first[s] - second[s] for s in seeds])
    low, high = stats.t.interval(0.95, 3, loc=differences.mean(), scale=stats.sem(differences))
    assert paired.pairs == 4 and paired.p_value == pytest.approx(expected.pvalue)
    assert paired.difference == pytest.approx(differences.mean()) and (paired.low, paired.high) == pytest.approx(
        (low, high)
    )
    assert paired.separable == (expected.pvalue < 0.05)


def test_equal_runs_are_a_tie_and_a_constant_gap_is_separable():
    assert not paired_over_seeds({1: 0.5, 2: 0.6}, {1: 0.5, 2: 0.6}).separable
    assert paired_over_seeds({1: 0.7, 2: 0.8}, {1: 0.5, 2: 0.6}).separable
    assert not paired_over_seeds({1: 0.9}, {1: 0.1}).separable  # one pair says nothing about noise
