"""Which points a sweep trains, by `--search`: a registry in the manner of Optuna's `samplers/` (one module a
sampler; each imported only when chosen, so a grid sweep loads none of the others).

A sampler that decides every point before the first trains (grid, random) is a function of the space, the seed
and `--max-trials` alone: the oracle hands the points out in that order and derives its place from the trials
on disk (`tuning.grid_oracle`), so a kill never changes what comes next, every worker's chief proposes the
same points, and halving, re-checks and leases work on them as on a grid's. An adaptive one (bayesian, tpe)
proposes point k from the seed, k and the results of the points before it; each proposal is recorded before a
trial takes it, so after a kill the same results give the same next point.
"""

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from plumbing.errors import UsageError

if TYPE_CHECKING:  # the command line reads the names here before Keras starts
    from experiments.training.run_layout import RunLayout
    from hypermodels.space import Scalar, SearchSpace


@dataclass(frozen=True)
class Search:
    """One `--search`: its module here, whether it draws points (takes `--max-trials`), whether it proposes each
    point from the results of the points before it."""

    module: str
    sampled: bool
    adaptive: bool


SEARCHES = {
    "grid": Search("grid", sampled=False, adaptive=False),
    "random": Search("random", sampled=True, adaptive=False),
    "bayesian": Search("bayesian", sampled=True, adaptive=True),
    "tpe": Search("tpe", sampled=True, adaptive=True),
}
SAMPLED = tuple(name for name, search in SEARCHES.items() if search.sampled)
ADAPTIVE = tuple(name for name, search in SEARCHES.items() if search.adaptive)


def search_module(search: str) -> ModuleType:
    """The module of a `--search`, imported when first asked for."""
    return importlib.import_module(f"{__name__}.{SEARCHES[search].module}")


def searched(search: str) -> str:
    """A search as lines and the report name it: `grid`, `random search`."""
    return "grid" if search == "grid" else f"{search} search"


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
    """The `points(space, seed, max_trials)` function of a `--search` that decides its points up front."""
    return search_module(search).points


def sampling(search: str, space: "SearchSpace", seed: int, max_trials: int | None, layout: "RunLayout") -> dict:
    """How an oracle gets the points of a `--search`: the list up front, or an adaptive search's proposer (a function
    of the point's number and the results so far), its budget and the file of its proposals."""
    if search not in ADAPTIVE:
        return {"search": search, "points": sampler(search)(space, seed, max_trials)}
    module = search_module(search)
    budget = max_trials if max_trials is not None else len(space)  # a space of lists: every point, at most
    proposer = functools.partial(module.propose, space, seed)
    return {"search": search, "proposer": proposer, "budget": budget, "proposals": layout.proposals}
