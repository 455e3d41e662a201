"""`--search grid`: every point of the space's lists, in the seed's grid order."""

from hypermodels.space import Scalar, SearchSpace


def points(space: SearchSpace, seed: int, max_trials: int | None) -> list[dict[str, Scalar]]:
    """The whole grid (`seed` and `max_trials` play no part: a grid trains every point)."""
    return space.points()
