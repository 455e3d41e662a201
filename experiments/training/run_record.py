"""An experiment's `experiment.json`: written once, and a resume with other settings refused."""

import json

from experiments.training.objectives import recorded_objective
from experiments.training.run_layout import RunLayout
from experiments.training.run_options import SCHEDULERS
from plumbing.atomic import write_json_atomic
from plumbing.errors import DataError, UsageError

WHAT = {"sweep": "a sweep", "fixed": "a fixed model"}  # experiment.json's kinds, as messages name them
SCHEDULER_OF = {strategy: name for name, strategy in SCHEDULERS.items()}  # a recorded strategy as --scheduler


def check_info(layout: RunLayout, info: dict, record: bool = True) -> None:
    """Record what the experiment is (unless a worker's); refuse to resume it with another strategy, space,
    recipe or options: its epochs so far were trained with the recorded ones."""
    info = json.loads(json.dumps(info))  # compare as stored: tuples become lists
    what = WHAT[info["kind"]]
    if not record and not layout.info.exists():
        raise UsageError(
            f"{layout.root} holds no sweep yet: the chief records it before it serves; is this worker's "
            "--workdir the chief's?"
        )
    if not layout.info.exists():
        write_json_atomic(layout.info, info)
        return
    try:
        stored = json.loads(layout.info.read_text())
        if "strategy" in info:
            stored = {"strategy": "grid", **stored}  # sweeps from before halving
        stored = {"objective": recorded_objective(stored), **stored}  # experiments from before --objective
    except (OSError, ValueError, TypeError) as error:
        raise DataError(f"{layout.info} is damaged ({error}): restore it, or pass --overwrite to start again") from None
    if "search" in {*info, *stored} and stored.get("search", "grid") != info.get("search", "grid"):
        searched = stored.get("search", "grid")
        raise UsageError(
            f"{layout.root} holds a {searched} search, not {info.get('search', 'grid')}: pass --search {searched} "
            "to resume it, --overwrite to start again, or another --workdir"
        )
    if "strategy" in info and stored.get("strategy") != info["strategy"]:
        scheduler = SCHEDULER_OF[stored["strategy"]]
        raise UsageError(
            f"{layout.root} holds a sweep with --scheduler {scheduler}, not {SCHEDULER_OF[info['strategy']]}: pass "
            f"--scheduler {scheduler} to resume it, --overwrite to start again, or another --workdir"
        )
    if stored != info:
        changed = sorted(k for k in {*info, *stored} if stored.get(k) != info.get(k))
        said = [f"{k} (recorded: {stored[k]})" if isinstance(stored.get(k), int | float | str) else k for k in changed]
        raise UsageError(
            f"{layout.root} holds {what} with other {', '.join(said)}: pass the same options "
            "to resume, --overwrite to start again, or another --workdir"
        )
