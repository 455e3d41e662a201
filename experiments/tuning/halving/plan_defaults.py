"""Halving's plan options not given (`--min-epochs`, `--rung-score`): the resumed sweep's own, else the defaults."""

import json
from contextlib import suppress
from dataclasses import replace

from experiments.training.run_layout import RunLayout
from experiments.training.run_options import RunOptions
from experiments.tuning.halving.rungs import first_rung, plan_of
from experiments.tuning.rung_scores import DEFAULT_RUNG_SCORE, RUNG_SCORES


def with_plan_defaults(options: RunOptions, layout: RunLayout) -> RunOptions:
    """A halving sweep's `options` with `min_epochs` and `rung_score` settled: as given; else as the sweep in `layout`
    recorded them (a resume without the flags continues the plan its epochs were trained under); else `first_rung`
    of `--max-epochs` and `DEFAULT_RUNG_SCORE`.

    A damaged record, or one of another strategy, leaves the defaults (`run_record.check_info` refuses it next)."""
    recorded = None
    if not options.overwrite:
        with suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            recorded = plan_of(json.loads(layout.info.read_text()))
    kept = getattr(recorded, "min_epochs", None)  # None: no halving plan recorded
    scored = getattr(recorded, "rung_score", None)
    return replace(
        options,
        min_epochs=options.min_epochs or (kept if type(kept) is int and kept >= 1 else first_rung(options.max_epochs)),
        rung_score=options.rung_score or (scored if scored in tuple(RUNG_SCORES) else DEFAULT_RUNG_SCORE),
    )
