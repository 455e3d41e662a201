"""The tuner of a sweep: grid or halving in one process, or the chief or a worker of a distributed grid."""

from pathlib import Path

from experiments.cluster.fenced_client import ChiefCalls
from experiments.cluster.leased_oracle import LeasedGridOracle
from experiments.cluster.tuners import ChiefTuner, WorkerTuner
from experiments.options import RunOptions
from experiments.training.interrupts import StopRequest
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.grid_oracle import GridOracle, grid_finished_on_disk
from experiments.tuning.grid_tuner import GridTuner
from experiments.tuning.halving.oracle import HalvingOracle
from experiments.tuning.halving.rungs import HalvingPlan
from experiments.tuning.halving.tuner import HalvingTuner
from experiments.tuning.role import CHIEF, WORKER, ClusterRole
from hypermodels import BiGRUHyperModel, CNNHyperModel
from hypermodels.space import SearchSpace

HYPERMODELS = {"cnn": CNNHyperModel, "rnn": BiGRUHyperModel}


def make_tuner(family: str, space: SearchSpace, recipe: TrainingRecipe, options: RunOptions, layout: RunLayout,
               tb_dir: Path, request: StopRequest, num_classes: int, role: ClusterRole) -> GridTuner:  # fmt: skip
    """The grid tuner (alone, chief or worker), or the halving one over the same grid."""
    hypermodel = HYPERMODELS[family](num_classes=num_classes, space=space)
    common = {"hypermodel": hypermodel, "layout": layout, "recipe": recipe, "tb_root": tb_dir, "seed": options.seed,
              "request": request}  # fmt: skip
    if role.kind == CHIEF:
        oracle = LeasedGridOracle(space, seed=options.seed, lease_seconds=options.lease_seconds)
        return ChiefTuner(oracle=oracle, role=role, **common)
    if role.kind == WORKER:
        calls = chief_calls(role, options, layout, space, request)
        return WorkerTuner(oracle=GridOracle(space, seed=options.seed), calls=calls,
                           lease_seconds=options.lease_seconds, **common)  # fmt: skip
    if options.strategy == "grid":
        return GridTuner(oracle=GridOracle(space, seed=options.seed), **common)
    plan = HalvingPlan(options.min_epochs, options.eta, recipe.max_epochs)
    oracle = HalvingOracle(space, plan, lambda point: FitLayout(layout.point_dir(point)), seed=options.seed)
    return HalvingTuner(oracle=oracle, **common)


def chief_calls(role: ClusterRole, options: RunOptions, layout: RunLayout, space: SearchSpace,
                request: StopRequest) -> ChiefCalls:  # fmt: skip
    """A worker's calls to the chief; while it is silent they also check the shared workdir and Ctrl-C."""
    grid_done = lambda: grid_finished_on_disk(layout.tuner_dir, len(space))  # noqa: E731
    return ChiefCalls(role, options.chief_wait, grid_done, request.event.is_set)
