"""What a re-check is: how many of the top points, how many more seeds, which seeds; the trial values that say so."""

from dataclasses import dataclass

from experiments.training.run_options import RunOptions
from plumbing.arguments import SEED_LIMIT
from plumbing.errors import UsageError

RECHECK_POINT, RECHECK_SEED = "recheck_point", "recheck_seed"  # a re-check trial's values beside its point's
DEFAULT_SEEDS = 3


@dataclass(frozen=True)
class RecheckPlan:
    """The top `top` points of the leaderboard, each trained again with `seeds` seeds after the sweep's own
    `base_seed`."""

    top: int
    seeds: int
    base_seed: int

    def extra_seeds(self) -> tuple[int, ...]:
        """The re-check's seeds: the sweep's seed + 1, + 2, ... (32-bit, wrapping)."""
        return tuple((self.base_seed + step) % SEED_LIMIT for step in range(1, self.seeds + 1))

    def most_trials(self, grid_size: int) -> int:
        """Re-check trials at most (fewer when fewer points completed than `top`)."""
        return min(self.top, grid_size) * self.seeds


def recheck_plan(options: RunOptions) -> RecheckPlan | None:
    """The sweep's re-check (None without `--recheck-top`); `--seeds` alone is refused."""
    if options.recheck_top is None:
        if options.seeds is not None:
            raise UsageError(f"--seeds {options.seeds} sets the re-check's seeds: pass --recheck-top K with it")
        return None
    return RecheckPlan(options.recheck_top, options.seeds or DEFAULT_SEEDS, options.seed)


def is_recheck(values: dict) -> bool:
    """Whether a trial's values are a re-check run's (else a grid point's own trial)."""
    return RECHECK_SEED in values


def recheck_values(point_values: dict, point: int, seed: int) -> dict:
    """A re-check trial's values: its grid point's hyperparameters, the point's index and the run's seed."""
    return {**point_values, RECHECK_POINT: point, RECHECK_SEED: seed}
