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
    if not space.ranges:  # a seeded shuffle of the whole grid, so that N points are the first N of any larger N
        grid = space.points()
        stream.shuffle(grid)
        return grid if max_trials is None else grid[:max_trials]
    drawn, seen = [], set()
    while len(drawn) < max_trials:
        values = drawn_values(space, stream.randrange(2**31), seen)
        if values is None:
            return drawn  # fewer distinct points than asked for
        seen.add(space.key(values))
        drawn.append(values)
    return drawn


def drawn_values(space: SearchSpace, seed: int, seen: set[tuple]) -> dict[str, Scalar] | None:
    """One point not one of `seen` (value tuples in the space's key order): of a grid, one of the points left (None
    when none is); of a space with ranges, drawn with KerasTuner's samplers (None when `REDRAWS` draws all
    repeat)."""
    stream, declared = random.Random(seed), space.hyperparameters()
    if not space.ranges:  # a grid: one of the points left, however few
        left = [values for values in space.points() if space.key(values) not in seen]
        return stream.choice(left) if left else None
    for _ in range(REDRAWS):
        values = rounded_values({hp.name: hp.random_sample(stream.randrange(2**31)) for hp in declared.space}, space)
        if space.key(values) not in seen:
            return values
    return None


def proposal_seed(seed: int, index: int) -> int:
    """The seed of an adaptive search's proposal number `index`: its own stream for each point of each sweep seed."""
    return (seed * 1_000_003 + index) % 2**31


def redraw_seed(seed: int, index: int) -> int:
    """The seed of the random point that replaces a proposal that repeats an earlier point."""
    return seed * 31 + index


def rounded_values(values: dict[str, Scalar], space: SearchSpace) -> dict[str, Scalar]:
    """Every value of a point as `rounded` writes it, in the space's key order."""
    return {name: rounded(values[name], space, name) for name in space.names}


def rounded(value: Scalar, space: SearchSpace, name: str) -> Scalar:
    """A drawn float to a few significant digits (as people write learning rates), a stepped one without the
    float noise of its steps (0.45, not 0.45000000000000007)."""
    candidates = dict(space.values)[name]
    if not isinstance(candidates, Range) or not isinstance(value, float):
        return value
    if candidates.integer:
        return int(round(value))
    return float(f"{value:.{STEPPED_DIGITS if candidates.step else DIGITS}g}")
