"""Intervals and paired tests behind the report's claims, checked against independent computations."""

import math

import numpy as np
import pytest
from sklearn.metrics import f1_score

from reports.significance import f1_difference_intervals, mcnemar, per_class_f1, wilson_interval


def test_wilson_interval_matches_the_closed_form():
    correct, total, z = 113, 126, 1.959964
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    assert wilson_interval(correct, total) == pytest.approx((centre - half, centre + half), abs=1e-5)


def test_mcnemar_counts_discordant_clips_and_is_exact():
    first = np.array([True] * 10 + [False] * 2 + [True] * 50)
    second = np.array([False] * 10 + [True] * 2 + [True] * 50)
    test = mcnemar(first, second)
    assert (test.only_first_right, test.only_second_right) == (10, 2)
    assert test.p_value == pytest.approx(2 * sum(math.comb(12, k) for k in range(3)) / 2**12)
    assert mcnemar(first, first).p_value == 1.0


def test_per_class_f1_equals_scikit_learn_and_identical_models_differ_by_zero():
    rng = np.random.default_rng(3)
    true = rng.integers(0, 5, 200)
    pred = np.where(rng.random(200) < 0.7, true, rng.integers(0, 5, 200))
    assert per_class_f1(true, pred, 5) == pytest.approx(f1_score(true, pred, labels=range(5), average=None))
    same = f1_difference_intervals(true, pred, pred, list("abcde"))
    assert (same[["difference", "low", "high"]].to_numpy() == 0).all()


def test_a_clear_per_class_difference_has_an_interval_excluding_zero():
    true = np.repeat(np.arange(3), 40)
    good = true.copy()
    bad = true.copy()
    bad[:30] = 1  # class 0 mostly missed
    frame = f1_difference_intervals(true, good, bad, ["a", "b", "c"]).set_index("class")
    assert frame.loc["a", "low"] > 0 and frame.loc["c", "low"] <= 0 <= frame.loc["c", "high"]
