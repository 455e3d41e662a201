"""A re-check in `experiment.json`: recorded when asked for, and a resume that asks for a larger one extends it."""

import json

from experiments.training.run_layout import RunLayout
from experiments.tuning.recheck.plan import RecheckPlan
from plumbing.atomic import write_json_atomic
from plumbing.errors import UsageError

RECHECK_KEYS = ("recheck_top", "recheck_seeds")


def recheck_record(plan: RecheckPlan | None) -> dict:
    """What `experiment.json` records of the re-check (nothing without one, so sweeps from before it resume)."""
    return {} if plan is None else {"recheck_top": plan.top, "recheck_seeds": plan.seeds}


def extend_recheck(layout: RunLayout, info: dict) -> None:
    """Record a larger re-check than the sweep's (more top points, more seeds, or one where it had none): every run so
    far stays one of its runs, since the grid's ranking and the seeds' order do not change. A smaller one is refused.

    Anything else that differs is left to `run_record.check_info` to refuse.
    """
    try:
        stored = json.loads(layout.info.read_text())
    except (OSError, ValueError):
        return  # none yet, or damaged: check_info records or names it
    if not isinstance(stored, dict):
        return
    old, new = ([record.get(key, 0) for key in RECHECK_KEYS] for record in (stored, info))
    rest = {k: v for k, v in stored.items() if k not in RECHECK_KEYS}
    if old == new or rest != {k: v for k, v in json.loads(json.dumps(info)).items() if k not in RECHECK_KEYS}:
        return
    if not (new[0] >= old[0] and new[1] >= old[1] and new[0] > 0):
        raise UsageError(
            f"{layout.root} holds a sweep re-checked with --recheck-top {old[0]} --seeds {old[1]}: pass at least "
            "those to resume it (a larger re-check only adds runs), --overwrite to start again, or another --workdir"
        )
    write_json_atomic(layout.info, {**stored, **dict(zip(RECHECK_KEYS, new, strict=True))})
    print(f"re-check extended to the top {new[0]} points with {new[1]} more seeds each (was {old[0]} x {old[1]})")
