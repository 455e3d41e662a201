"""Halving's first rung when `--min-epochs` is not given: the resumed sweep's own, or a quarter of the epochs."""

import json
from contextlib import suppress
from dataclasses import replace

from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from experiments.tuning.halving.rungs import first_rung, plan_of


def with_first_rung(options: RunOptions, layout: RunLayout) -> RunOptions:
    """A halving sweep's `options` with `min_epochs` settled: as given; else as the sweep in `layout` recorded it (a
    resume without the flag continues the plan its epochs were trained under); else `first_rung` of `--max-epochs`.

    A damaged record, or one of another strategy, leaves the default (`run_record.check_info` refuses it next)."""
    if options.min_epochs is not None:
        return options
    recorded = None
    if not options.overwrite:
        with suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            recorded = plan_of(json.loads(layout.info.read_text()))
    kept = getattr(recorded, "min_epochs", None)  # None: no halving plan recorded
    return replace(options, min_epochs=kept if type(kept) is int and kept >= 1 else first_rung(options.max_epochs))
