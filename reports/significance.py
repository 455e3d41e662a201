"""How much a test-set number can be trusted: Wilson intervals, McNemar's test, paired bootstrap."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binomtest

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def wilson_interval(correct: int, total: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval of an accuracy of `correct` out of `total` clips."""
    interval = binomtest(int(correct), int(total)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(interval.low), float(interval.high)


@dataclass(frozen=True)
class McNemar:
    """Exact McNemar test of two classifiers on the same clips."""

    only_first_right: int
    only_second_right: int
    p_value: float


def mcnemar(first_right: np.ndarray, second_right: np.ndarray) -> McNemar:
    """Exact (binomial) McNemar test on the clips where exactly one of the two models is right."""
    b = int(np.sum(first_right & ~second_right))
    c = int(np.sum(~first_right & second_right))
    p_value = binomtest(min(b, c), b + c, 0.5).pvalue if b + c else 1.0
    return McNemar(b, c, float(p_value))


def per_class_f1(true: np.ndarray, pred: np.ndarray, classes: int) -> np.ndarray:
    """F1 per class along the last axis (0 where a class is neither present nor predicted)."""
    f1 = []
    for k in range(classes):
        is_true, is_pred = true == k, pred == k
        tp = np.sum(is_true & is_pred, axis=-1)
        wrong = np.sum(is_true ^ is_pred, axis=-1)
        f1.append(np.divide(2 * tp, 2 * tp + wrong, out=np.zeros(np.shape(tp)), where=(2 * tp + wrong) > 0))
    return np.stack(f1, axis=-1)


def f1_difference_intervals(
    true: np.ndarray, first: np.ndarray, second: np.ndarray, names: list[str], resamples: int = BOOTSTRAP_RESAMPLES
) -> pd.DataFrame:
    """Per class: F1 of `first` minus F1 of `second`, with a paired-bootstrap 95% interval over test clips."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    rows = rng.integers(0, len(true), size=(resamples, len(true)))
    observed = per_class_f1(true, first, len(names)) - per_class_f1(true, second, len(names))
    draws = per_class_f1(true[rows], first[rows], len(names)) - per_class_f1(true[rows], second[rows], len(names))
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(draws, [tail, 1 - tail], axis=0)
    return pd.DataFrame({"class": names, "difference": observed, "low": low, "high": high})
