"""Which points a sweep trains, by `--search`: a registry in the manner of Optuna's `samplers/` (one module a
sampler; each imported only when chosen, so a grid sweep loads none of the others).

A sampler here decides every point before the first trains, as a function of the space, the seed and
`--max-trials` alone: the oracle then hands them out in that order and derives its place from the trials
on disk (`tuning.grid_oracle`), so a kill never changes what comes next, every worker's chief proposes the
same points, and halving, re-checks and leases work on them as on a grid's.
"""

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from plumbing.errors import UsageError

if TYPE_CHECKING:  # the command line reads the names here before Keras starts
    from hypermodels.space import Scalar, SearchSpace

SEARCHES = {"grid": "grid", "random": "random"}  # --search -> its module in this package
SAMPLED = ("random",)  # the searches that draw points (they take --max-trials)


def check_search(space: "SearchSpace", search: str, max_trials: int | None, spec: str) -> None:
    """Refuse a range under a search that cannot sample it, and a range without `--max-trials`."""
    if not space.ranges:
        return
    key = space.ranges[0]
    if search not in SAMPLED:
        raise UsageError(
            f"--space {spec}: {key} is a range: --search {search} walks lists of values only; pass --search "
            f"{SAMPLED[0]} --max-trials N, or list its values"
        )
    if max_trials is None:
        raise UsageError(
            f"--space {spec}: {key} is a range: pass --max-trials N, how many points --search {search} draws"
        )


def sampler(search: str) -> Callable[["SearchSpace", int, int | None], list[dict[str, "Scalar"]]]:
    """The `points(space, seed, max_trials)` function of a `--search`."""
    return importlib.import_module(f"{__name__}.{SEARCHES[search]}").points
