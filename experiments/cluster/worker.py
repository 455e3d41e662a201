"""A worker's whole run: reach the chief, then train the trials it leases until the grid is finished (or it leaves)."""

import sys

from experiments.cluster.fenced_client import ChiefRefused, ChiefUnreachable, SweepFinished, reach_chief
from experiments.cluster.out_of_memory import TrialOutOfMemory
from experiments.cluster.tuners import chief_calls
from experiments.cluster.worker_exits import EXITS
from experiments.cluster.worker_term import TermOver
from experiments.training.interrupts import StopRequest, SweepInterrupted, stopped_message
from experiments.training.run_record import check_info
from experiments.training.tensorboard_logs import workdir_logs
from experiments.training.workspace import open_workspace
from experiments.tuning.plan_oracle import settled
from experiments.tuning.record import sweep_info
from experiments.tuning.strategies import make_tuner
from experiments.tuning.sweep_plan import SweepPlan
from hypermodels.families import FAMILIES
from plumbing.errors import EXIT_INTERRUPTED, EXIT_REFUSED


def run_worker(family: str, plan: SweepPlan) -> int:
    """Train the trials the chief leases to this worker until the grid is finished."""
    role = plan.role
    request = StopRequest()
    try:
        with request.installed():
            reach_chief(chief_calls(plan, request))  # the chief prepared the workdir
            plan = settled(plan)  # as the chief recorded them (an --overwrite it was given included)
            options = plan.options
            FAMILIES[family].ready()
            workspace = open_workspace(options, FAMILIES[family].features)
            check_info(plan.layout, sweep_info(family, plan.space, plan.recipe, options), record=False)
            tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / family
            tuner = make_tuner(family, plan, tb_dir, request, len(workspace.names))
            train, val = workspace.datasets(options.batch_size, options.seed)
            print(f"{role.tuner_id}: training trials of the chief at {role.address}", flush=True)
            tuner.search(train, val, verbose=0)
    except SweepFinished:
        pass
    except TrialOutOfMemory as error:
        print(f"{role.tuner_id}: {error} ({type(error.__cause__).__name__}); this worker leaves", flush=True)
        return EXITS.out_of_memory
    except TermOver as reason:
        print(f"{role.tuner_id}: leaves after {reason}: a fresh worker may take its place", flush=True)
        return EXITS.term_over
    except SweepInterrupted:
        print(stopped_message())
        return EXIT_INTERRUPTED
    except ChiefUnreachable as error:
        print(f"error: {role.tuner_id}: {error}", file=sys.stderr)
        return 1
    except ChiefRefused as error:
        print(f"error: {role.tuner_id}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"{role.tuner_id}: the grid is finished", flush=True)
    return 0
