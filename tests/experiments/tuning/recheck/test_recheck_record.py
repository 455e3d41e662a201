"""`experiment.json` and the re-check: a larger re-check is recorded on resume, a smaller one refused in one line."""

import json

import pytest

from experiments.training.run_layout import RunLayout
from experiments.tuning.recheck.record import extend_recheck
from plumbing.errors import UsageError

SWEEP = {"kind": "sweep", "family": "cnn", "strategy": "grid", "seed": 42, "max_epochs": 1}


def recorded(tmp_path, **recheck) -> RunLayout:
    layout = RunLayout(tmp_path / "cnn")
    layout.root.mkdir()
    layout.info.write_text(json.dumps({**SWEEP, **recheck}))
    return layout


@pytest.mark.parametrize(
    "was", [{}, {"recheck_top": 2, "recheck_seeds": 1}, {"recheck_top": 1, "recheck_seeds": 3}], ids=str
)
def test_a_larger_recheck_is_recorded(tmp_path, was, capsys):
    layout = recorded(tmp_path, **was)
    extend_recheck(layout, {**SWEEP, "recheck_top": 2, "recheck_seeds": 3})
    assert json.loads(layout.info.read_text()) == {**SWEEP, "recheck_top": 2, "recheck_seeds": 3}
    assert "re-check extended to the top 2 points with 3 more seeds each" in capsys.readouterr().out


@pytest.mark.parametrize(
    "now", [{}, {"recheck_top": 1, "recheck_seeds": 3}, {"recheck_top": 3, "recheck_seeds": 1}], ids=str
)
def test_a_smaller_or_missing_recheck_is_refused_and_nothing_changes(tmp_path, now):
    layout = recorded(tmp_path, recheck_top=2, recheck_seeds=2)
    before = layout.info.read_text()
    with pytest.raises(UsageError, match="re-checked with --recheck-top 2 --seeds 2: pass at least those"):
        extend_recheck(layout, {**SWEEP, **now})
    assert layout.info.read_text() == before


def test_a_sweep_with_other_options_is_left_to_the_usual_refusal(tmp_path):
    layout = recorded(tmp_path)
    before = layout.info.read_text()
    extend_recheck(layout, {**SWEEP, "max_epochs": 5, "recheck_top": 2, "recheck_seeds": 2})
    assert layout.info.read_text() == before
