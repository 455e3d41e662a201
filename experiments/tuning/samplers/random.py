"""`--search random`: `--max-trials` points drawn from the space, decided by the seed alone.

A space of lists is sampled without replacement (a seeded permutation of its grid: the first N points of it, every
point once). A space with ranges draws each point's values with KerasTuner's own samplers (`random_sample` of
each hyperparameter: linear or log, in steps, whole numbers for whole keys) from one seeded stream, a
repeated point drawn again. KerasTuner's `RandomSearchOracle` draws from its saved random state when asked,
so a kill between a draw and a save changes what follows; here the list is the same for the same seed.
"""

import random

from hypermodels.space import Range, Scalar, SearchSpace

REDRAWS = 100  # draws of one point before a space that repeats itself is taken as exhausted
DIGITS = 4  # significant digits of a value drawn from a range without a step
STEPPED_DIGITS = 10  # of one on a step: enough for any step, none of the sums' float noise


def points(space: SearchSpace, seed: int, max_trials: int | None) -> list[dict[str, Scalar]]:
    """The search's points in the order they train."""
    stream = random.Random(seed)
    if not space.ranges:
        grid = space.points()
        count = len(grid) if max_trials is None else min(max_trials, len(grid))
        return [grid[index] for index in stream.sample(range(len(grid)), count)]
    declared = space.hyperparameters()
    drawn, seen = [], set()
    while len(drawn) < max_trials:
        for _ in range(REDRAWS):
            values = {
                hp.name: rounded(hp.random_sample(stream.randrange(2**31)), space, hp.name) for hp in declared.space
            }
            key = tuple(values.values())
            if key not in seen:
                break
        else:
            return drawn  # fewer distinct points than asked for
        seen.add(key)
        drawn.append(values)
    return drawn


def rounded(value: Scalar, space: SearchSpace, name: str) -> Scalar:
    """A drawn float to a few significant digits (as people write learning rates), a stepped one without the
    float noise of its steps (0.45, not 0.45000000000000007)."""
    candidates = dict(space.values)[name]
    if not isinstance(candidates, Range) or candidates.integer or not isinstance(value, float):
        return value
    return float(f"{value:.{STEPPED_DIGITS if candidates.step else DIGITS}g}")
