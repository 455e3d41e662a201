"""A sweep plan's oracle: the plan's options settled, its grid oracle built, and whether its trial files say the
sweep is finished (what a worker checks while its chief is silent)."""

from collections.abc import Callable
from dataclasses import replace

from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.sweep_plan import SweepPlan


def grid_oracle(plan: SweepPlan, kind: type[GridOracle] = GridOracle, **kwargs) -> GridOracle:
    """The sweep's oracle (of `kind`, given `kwargs`) over the points of its search, its re-check included."""
    return kind(
        plan.space,
        seed=plan.options.seed,
        objective=plan.recipe.monitor,
        recheck=plan.recheck,
        **plan.sampling(),
        **kwargs,
    )


def unscheduled_done(plan: SweepPlan) -> bool:
    return grid_oracle(plan).finished_on_disk(plan.layout.tuner_dir)


def halving_done(plan: SweepPlan) -> bool:
    from experiments.tuning.halving.tuner import halving_oracle

    return halving_oracle(settled(plan)).finished_on_disk(plan.layout.tuner_dir)


FINISHED_ON_DISK: dict[str, Callable[[SweepPlan], bool]] = {"grid": unscheduled_done, "halving": halving_done}
"""Whether a sweep's trial files (as a chief wrote them) say it is finished: what a worker checks while the chief
is silent."""


def settled(plan: SweepPlan) -> SweepPlan:
    """`plan` with the options that default by strategy settled (halving: its first rung and rung score, as given, as
    the sweep recorded them, or the defaults). A worker settles them once its chief answers: from the chief's record."""
    if plan.options.strategy != "halving":
        return plan
    from experiments.tuning.halving.plan_defaults import with_plan_defaults

    return replace(plan, options=with_plan_defaults(plan.options, plan.layout))
