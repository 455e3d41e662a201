"""The tuner of a sweep, by name: grid or halving in one process, or the chief or a worker of a distributed grid.

A registry in the manner of Ray Tune's schedulers: each entry imports its own modules when it is
chosen, so a single-process grid sweep loads nothing of halving, leases or gRPC.
"""

from collections.abc import Callable
from pathlib import Path

from experiments.training.interrupts import StopRequest
from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.grid_tuner import GridTuner
from experiments.tuning.role import CHIEF, SINGLE, WORKER
from experiments.tuning.sweep_plan import SweepPlan


def grid_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    oracle = GridOracle(plan.space, seed=plan.options.seed, objective=plan.recipe.monitor, recheck=plan.recheck)
    return GridTuner(oracle=oracle, **common)


def halving_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.tuning.halving.tuner import halving_tuner as make

    return make(plan, common)


def chief_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.tuners import chief_tuner as make

    return make(plan, common)


def worker_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.tuners import worker_tuner as make

    return make(plan, common)


STRATEGIES: dict[str, Callable[[SweepPlan, dict], GridTuner]] = {
    "grid": grid_tuner,
    "halving": halving_tuner,
    CHIEF: chief_tuner,
    WORKER: worker_tuner,
}


def make_tuner(family: str, plan: SweepPlan, tb_dir: Path, request: StopRequest, num_classes: int) -> GridTuner:
    """The tuner of the process's role: the chief's or a worker's, else the `--strategy` one."""
    name = plan.options.strategy if plan.role.kind == SINGLE else plan.role.kind
    return STRATEGIES[name](plan, plan.tuner_args(family, tb_dir, request, num_classes))
