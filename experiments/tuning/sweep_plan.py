"""What a sweep is, as its strategies need it: the space, the recipe, the options, its folder and the process's role."""

from dataclasses import dataclass
from pathlib import Path

from experiments.training.interrupts import StopRequest
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from experiments.tuning.recheck.plan import RecheckPlan
from experiments.tuning.role import ClusterRole
from experiments.tuning.samplers import sampling
from hypermodels.class_weighting import WEIGHTINGS
from hypermodels.families import FAMILIES
from hypermodels.space import SearchSpace


@dataclass(frozen=True)
class SweepPlan:
    """Everything a strategy needs to build its tuner."""

    space: SearchSpace
    recipe: TrainingRecipe
    options: RunOptions
    layout: RunLayout
    role: ClusterRole
    recheck: RecheckPlan | None = None  # `--recheck-top`: the top points trained again with more seeds

    def sampling(self) -> dict:
        """How the sweep's oracle gets its points: its `--search`'s (`tuning.samplers`)."""
        return sampling(self.options.search, self.space, self.options.seed, self.options.max_trials, self.layout)

    def tuner_args(self, family: str, tb_dir: Path, request: StopRequest, num_classes: int) -> dict:
        """What every tuner of the sweep takes."""
        known = FAMILIES[family]
        hypermodel = known.hypermodel(num_classes=num_classes, input_shape=known.features.input_shape, space=self.space)
        return {
            "hypermodel": hypermodel,
            "layout": self.layout,
            "recipe": self.recipe,
            "tb_root": tb_dir,
            "seed": self.options.seed,
            "mixed_precision": self.options.mixed_precision,
            "class_weight": self.options.class_weight or WEIGHTINGS[0],
            "request": request,
        }
