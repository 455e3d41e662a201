"""A sampled search replayed on a finished grid: the points it would propose, one after another, each point's
result read from the grid's trial of it instead of trained.

The search proposes as its oracle does in a sweep (`sampler(search)` for one that decides its points up front,
the module's `propose` from the results so far for an adaptive one), restricted to the grid's own values, so the
number of trials until it meets the grid's winner is what a live search with that seed would have spent (on a
machine where training a point gives the grid's result, as it does for the same seed).
"""

from experiments.tuning.samplers import ADAPTIVE, SAMPLED, sampler, search_module
from hypermodels.space import Scalar, SearchSpace

Key = tuple[Scalar, ...]  # a point's values in the space's key order


def proposals(search: str, space: SearchSpace, scores: dict[Key, float], seed: int, stop: set[Key]) -> list[Key]:
    """The points `search` proposes in order, each told its grid score, until it proposes one of `stop` (or has
    proposed every point of the grid)."""
    if search not in SAMPLED:
        raise ValueError(f"{search}: not a sampled search ({', '.join(SAMPLED)})")
    order = None if search in ADAPTIVE else sampler(search)(space, seed, None)
    propose = search_module(search).propose if order is None else None
    proposed: list[Key] = []
    history: list[tuple[dict, float]] = []
    while len(proposed) < len(scores):
        values = (
            order[len(proposed)] if order is not None else propose(space, seed, len(proposed), history, set(proposed))
        )
        if values is None:
            break
        key = space.key(values)
        if key not in scores or key in proposed:
            raise AssertionError(f"{search} proposed {values}: not a new point of the grid")
        proposed.append(key)
        history.append((values, scores[key]))
        if key in stop:
            break
    return proposed


def trials_to_find(search: str, space: SearchSpace, scores: dict[Key, float], seed: int, targets: set[Key]) -> int:
    """How many trials `search` with `seed` trains until it has trained one of `targets`."""
    return len(proposals(search, space, scores, seed, targets))
