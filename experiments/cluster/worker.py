"""The distributed side of a sweep: which role this process plays, and a worker's whole run."""

import sys
from pathlib import Path

from experiments.cluster.fenced_client import ChiefUnreachable, GridFinished, reach_chief
from experiments.options import RunOptions
from experiments.training.interrupts import StopRequest, SweepInterrupted, stopped_message
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.tensorboard_logs import workdir_logs
from experiments.training.workspace import open_workspace
from experiments.tuning.record import check_info, sweep_info
from experiments.tuning.role import SINGLE, WORKER, ClusterRole, export_role, role_of
from experiments.tuning.strategies import chief_calls, make_tuner
from hypermodels.space import SearchSpace
from plumbing.errors import EXIT_INTERRUPTED, UsageError


def cluster_role(options: RunOptions) -> ClusterRole:
    """This process's role (flags or KerasTuner's variables), exported to those variables."""
    role = role_of(options.chief, options.worker, options.worker_id)
    if role.kind != SINGLE and options.strategy != "grid":
        raise UsageError(f"--strategy {options.strategy} runs in one process for now: drop --chief/--worker (and "
                         "KerasTuner's variables) or use --strategy grid")  # fmt: skip
    if role.kind == WORKER and (options.overwrite or options.evaluate_only):
        raise UsageError("--overwrite and --evaluate-only are the chief's: a worker only trains")
    export_role(role)
    return role


def run_worker(family: str, space: SearchSpace, options: RunOptions, role: ClusterRole) -> int:
    """Train the trials the chief leases to this worker until the grid is finished."""
    layout = RunLayout(Path(options.workdir) / family)
    request = StopRequest()
    try:
        with request.installed():
            reach_chief(chief_calls(role, options, layout, space, request))  # the chief prepared the workdir
            workspace = open_workspace(options)
            recipe = TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience)
            check_info(layout, sweep_info(family, space, recipe, options), record=False)
            tb_dir = workdir_logs(options.tb_logs, workspace.workdir) / family
            tuner = make_tuner(family, space, recipe, options, layout, tb_dir, request, len(workspace.names), role)
            train, val = workspace.datasets(options.batch_size, options.seed)
            print(f"{role.tuner_id}: training trials of the chief at {role.address}", flush=True)
            tuner.search(train, val, verbose=0)
    except GridFinished:
        pass
    except SweepInterrupted:
        print(stopped_message())
        return EXIT_INTERRUPTED
    except ChiefUnreachable as error:
        print(f"error: {role.tuner_id}: {error}", file=sys.stderr)
        return 1
    print(f"{role.tuner_id}: the grid is finished", flush=True)
    return 0
