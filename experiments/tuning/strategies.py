"""The tuner of a sweep, by strategy and role: grid or halving, in one process or as the chief or a worker.

A registry in the manner of Ray Tune's schedulers: each entry imports its own modules when it is
chosen, so a single-process grid sweep loads nothing of halving, leases or gRPC.
"""

from collections.abc import Callable
from pathlib import Path

from experiments.training.interrupts import StopRequest
from experiments.tuning.grid_tuner import GridTuner
from experiments.tuning.plan_oracle import grid_oracle
from experiments.tuning.role import CHIEF, SINGLE, WORKER
from experiments.tuning.sweep_plan import SweepPlan


def grid_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    return GridTuner(oracle=grid_oracle(plan), **common)


def halving_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.tuning.halving.tuner import halving_tuner as make

    return make(plan, common)


def chief_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.tuners import chief_tuner as make

    return make(plan, common)


def worker_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.tuners import worker_tuner as make

    return make(plan, common)


def halving_chief_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.halving import halving_chief_tuner as make

    return make(plan, common)


def halving_worker_tuner(plan: SweepPlan, common: dict) -> GridTuner:
    from experiments.cluster.halving import halving_worker_tuner as make

    return make(plan, common)


STRATEGIES: dict[tuple[str, str], Callable[[SweepPlan, dict], GridTuner]] = {
    ("grid", SINGLE): grid_tuner,
    ("halving", SINGLE): halving_tuner,
    ("grid", CHIEF): chief_tuner,
    ("grid", WORKER): worker_tuner,
    ("halving", CHIEF): halving_chief_tuner,
    ("halving", WORKER): halving_worker_tuner,
}


def make_tuner(family: str, plan: SweepPlan, tb_dir: Path, request: StopRequest, num_classes: int) -> GridTuner:
    """The tuner of the `--strategy` in the process's role (alone, the chief, a worker)."""
    make = STRATEGIES[plan.options.strategy, plan.role.kind]
    return make(plan, plan.tuner_args(family, tb_dir, request, num_classes))
