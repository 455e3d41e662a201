"""What a sweep's `experiment.json` records (`training.run_record` refuses to resume it with other settings)."""

from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_options import RunOptions
from experiments.tuning.recheck.plan import recheck_plan
from experiments.tuning.recheck.record import recheck_record
from experiments.tuning.rung_scores import LEGACY_RUNG_SCORE
from hypermodels.space import Range, SearchSpace


def sweep_info(family: str, space: SearchSpace, recipe: TrainingRecipe, options: RunOptions) -> dict:
    """What `experiment.json` records of a sweep (the halving plan only for halving, the re-check only when asked)."""
    info = {
        "kind": "sweep",
        "family": family,
        "strategy": options.strategy,
        "space_name": space.name,
        "space": [
            [name, values.as_record() if isinstance(values, Range) else list(values)] for name, values in space.values
        ],
        "max_epochs": recipe.max_epochs,
        "patience": recipe.patience,
        "batch_size": options.batch_size,
        "seed": options.seed,
        "objective": recipe.monitor,
    }
    if options.search != "grid":  # recorded only when not the grid, so older sweeps resume
        info.update(search=options.search, max_trials=options.max_trials)
    if options.strategy == "halving":
        info.update(min_epochs=options.min_epochs, eta=options.eta)
        if options.rung_score != LEGACY_RUNG_SCORE:  # recorded only when not the legacy one, so older sweeps resume
            info.update(rung_score=options.rung_score)
    if options.mixed_precision:  # float16 recorded as before bfloat16 existed, so those sweeps resume
        info.update(mixed_precision=True if options.mixed_precision == "float16" else options.mixed_precision)
    if options.class_weight == "balanced":  # recorded only when on, so sweeps from before the option resume
        info.update(class_weight=options.class_weight)
    return {**info, **recheck_record(recheck_plan(options))}
