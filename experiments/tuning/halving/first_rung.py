"""Halving's first rung when `--min-epochs` is not given: the resumed sweep's own, or a quarter of the epochs."""

import json
from dataclasses import replace

from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from experiments.tuning.halving.rungs import first_rung


def with_first_rung(options: RunOptions, layout: RunLayout) -> RunOptions:
    """A halving sweep's `options` with `min_epochs` settled: as given; else as the sweep in `layout` recorded it (a
    resume without the flag continues the plan its epochs were trained under); else `first_rung` of `--max-epochs`.

    A damaged or other record leaves the default: `run_record.check_info` then refuses it in one line."""
    if options.min_epochs is not None:
        return options
    min_epochs = None
    if not options.overwrite:
        try:
            stored = json.loads(layout.info.read_text())
            min_epochs = stored.get("min_epochs") if stored.get("strategy") == "halving" else None
        except (OSError, ValueError, AttributeError):
            pass
    if type(min_epochs) is not int or min_epochs < 1:
        min_epochs = first_rung(options.max_epochs)
    return replace(options, min_epochs=min_epochs)
