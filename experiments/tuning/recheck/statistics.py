"""How far a re-checked point's kept objective moves with the seed: mean, spread, 95% t-interval; two points paired
over the seeds both ran (a paired t-test)."""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class SeedSummary:
    """The kept objective of one point over its runs: how many, mean, sample standard deviation, 95% t-interval."""

    seeds: int
    mean: float
    std: float  # NaN with one run
    ci95_low: float
    ci95_high: float


def seed_summary(values) -> SeedSummary:
    """Mean, standard deviation (n - 1) and Student's t 95% interval of the mean of `values`."""
    values = np.asarray(values, dtype=float)
    count, mean = len(values), float(np.mean(values))
    if count < 2:
        return SeedSummary(count, mean, math.nan, math.nan, math.nan)
    std = float(np.std(values, ddof=1))
    half = float(stats.t.ppf((1 + CONFIDENCE) / 2, count - 1)) * std / math.sqrt(count)
    return SeedSummary(count, mean, std, mean - half, mean + half)


@dataclass(frozen=True)
class PairedComparison:
    """First minus second over the seeds both ran: mean difference, its 95% t-interval, the paired t-test's p."""

    pairs: int
    difference: float
    low: float
    high: float
    p_value: float

    @property
    def separable(self) -> bool:
        """The difference is beyond seed noise at the 5% level (two-sided)."""
        return self.p_value < 1 - CONFIDENCE


def paired_over_seeds(first: dict[int, float], second: dict[int, float]) -> PairedComparison:
    """Two points' kept objectives matched by seed (`{seed: value}`): a paired t-test on the seeds both ran.

    Runs with the same seed share the batch order of every epoch, so pairing removes that part of the noise.
    Identical differences (no spread) give p = 0 when they are not zero, 1 when they are.
    """
    seeds = sorted(set(first) & set(second))
    differences = np.array([first[s] - second[s] for s in seeds], dtype=float)
    summary = seed_summary(differences) if len(seeds) else SeedSummary(0, math.nan, math.nan, math.nan, math.nan)
    if len(seeds) < 2:
        p_value = math.nan
    elif math.isclose(summary.std, 0.0, abs_tol=1e-12):  # equal differences, up to rounding
        p_value = 0.0 if summary.mean != 0 else 1.0
    else:
        p_value = float(stats.ttest_rel([first[s] for s in seeds], [second[s] for s in seeds]).pvalue)
    return PairedComparison(len(seeds), summary.mean, summary.ci95_low, summary.ci95_high, p_value)
