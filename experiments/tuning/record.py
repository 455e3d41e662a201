"""What a sweep's `experiment.json` records, and the refusals to resume it with other settings."""

import json

from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from hypermodels.space import SearchSpace
from plumbing.atomic import write_json_atomic
from plumbing.errors import DataError, UsageError


def check_info(layout: RunLayout, info: dict, record: bool = True) -> None:
    """Record what the sweep is (unless a worker's); refuse to resume it with another strategy, space or recipe."""
    info = json.loads(json.dumps(info))  # compare as stored: tuples become lists
    if not record and not layout.info.exists():
        raise UsageError(
            f"{layout.root} holds no sweep yet: the chief records it before it serves; is this worker's "
            "--workdir the chief's?"
        )
    if layout.info.exists():
        try:
            stored = {"strategy": "grid", **json.loads(layout.info.read_text())}  # sweeps from before halving
        except (OSError, ValueError, TypeError) as error:
            raise DataError(
                f"{layout.info} is damaged ({error}): restore it, or pass --overwrite to start the sweep again"
            ) from None
        if stored["strategy"] != info["strategy"]:
            raise UsageError(
                f"{layout.root} holds a {stored['strategy']} sweep, not {info['strategy']}: pass "
                f"--strategy {stored['strategy']} to resume it, --overwrite to start again, or another "
                "--workdir"
            )
        if stored != info:
            changed = sorted(k for k in info if stored.get(k) != info[k])
            raise UsageError(
                f"{layout.root} holds a sweep with other {', '.join(changed)}: pass the same options "
                "to resume, --overwrite to start again, or another --workdir"
            )
    else:
        write_json_atomic(layout.info, info)


def sweep_info(family: str, space: SearchSpace, recipe: TrainingRecipe, options: RunOptions) -> dict:
    """What `experiment.json` records of a sweep (the halving plan only for halving)."""
    info = {
        "kind": "sweep",
        "family": family,
        "strategy": options.strategy,
        "space_name": space.name,
        "space": [list(v) for v in space.values],
        "max_epochs": recipe.max_epochs,
        "patience": recipe.patience,
        "batch_size": options.batch_size,
        "seed": options.seed,
    }
    if options.strategy == "halving":
        info.update(min_epochs=options.min_epochs, eta=options.eta)
    if options.mixed_precision:  # float16 recorded as before bfloat16 existed, so those sweeps resume
        info.update(mixed_precision=True if options.mixed_precision == "float16" else options.mixed_precision)
    return info
