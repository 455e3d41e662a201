"""Halving's first rung and rung score without their flags: the defaults for a new sweep, the recorded on resume."""

import json

import pytest

from experiments.options import parse_sweep
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.run_record import check_info
from experiments.tuning.halving.plan_defaults import with_plan_defaults
from experiments.tuning.halving.rungs import HalvingPlan, first_rung
from experiments.tuning.plan_oracle import settled
from experiments.tuning.record import sweep_info
from experiments.tuning.role import ClusterRole
from experiments.tuning.rung_scores import DEFAULT_RUNG_SCORE
from experiments.tuning.sweep_plan import SweepPlan
from hypermodels.cnn import QUICK_SPACE
from plumbing.errors import UsageError


def options(tmp_path, *argv: str):
    return parse_sweep("cnn", ["--workdir", str(tmp_path), "--strategy", "halving", *argv])


def record(layout: RunLayout, chosen) -> None:
    """What a sweep with `chosen` options writes to (or checks against) its `experiment.json`."""
    layout.root.mkdir(parents=True, exist_ok=True)
    check_info(layout, sweep_info("cnn", QUICK_SPACE, TrainingRecipe(max_epochs=chosen.max_epochs), chosen))


@pytest.mark.parametrize(
    ("max_epochs", "rung"), [(30, 5), (20, 3), (12, 2), (9, 2), (15, 3), (14, 2), (4, 1), (1, 1)]
)  # halves (9, 15) rounded up
def test_a_new_sweep_starts_at_a_sixth_of_its_epochs(tmp_path, max_epochs, rung):
    chosen = with_plan_defaults(options(tmp_path, "--max-epochs", str(max_epochs)), RunLayout(tmp_path / "cnn"))
    assert chosen.min_epochs == first_rung(max_epochs) == rung


def test_the_seeds_grid_by_default_costs_a_third_of_its_epochs():
    plan = HalvingPlan(first_rung(30), 3, 30)
    assert plan.rungs == (5, 15, 30) and plan.worst_case_epochs(96) == 96 * 5 + 32 * 10 + 10 * 15
    assert plan.worst_case_epochs(96) / (96 * 30) < 0.34


def test_a_resume_without_the_flag_keeps_the_recorded_rung_and_another_is_refused(tmp_path):
    layout = RunLayout(tmp_path / "cnn")
    record(layout, with_plan_defaults(options(tmp_path, "--min-epochs", "3"), layout))  # the old default's sweep
    resumed = with_plan_defaults(options(tmp_path), layout)
    assert resumed.min_epochs == 3 != first_rung(resumed.max_epochs)
    record(layout, resumed)  # accepted: the same plan
    with pytest.raises(UsageError, match="other min_epochs"):
        record(layout, with_plan_defaults(options(tmp_path, "--min-epochs", "8"), layout))


@pytest.mark.parametrize(
    ("argv", "stored"),
    [
        (["--overwrite"], '{"strategy": "halving", "min_epochs": 3, "eta": 3, "max_epochs": 30}'),  # starts again
        ([], '{"kind": "sweep", "strategy": "grid"}'),  # a grid sweep's: the run refuses --strategy halving next
        ([], '{"strategy": "halving", "min_epochs": true, "eta": 3, "max_epochs": 30}'),
        ([], '{"strategy": "halving", "eta": 3}'),
        ([], "{not json"),  # damaged: the run names the file next
    ],
)
def test_a_record_that_is_not_a_halving_plan_to_keep_leaves_the_default(tmp_path, argv, stored):
    layout = RunLayout(tmp_path / "cnn")
    layout.root.mkdir()
    layout.info.write_text(stored)
    assert with_plan_defaults(options(tmp_path, *argv), layout).min_epochs == first_rung(30)


def test_the_sweep_settles_the_first_rung_of_halving_only(tmp_path):
    def plan(chosen) -> SweepPlan:
        return SweepPlan(QUICK_SPACE, TrainingRecipe(), chosen, RunLayout(tmp_path / "cnn"), ClusterRole())

    assert settled(plan(options(tmp_path, "--max-epochs", "20"))).options.min_epochs == 3
    assert settled(plan(parse_sweep("cnn", ["--workdir", str(tmp_path)]))).options.min_epochs is None


def test_a_resume_without_the_flag_keeps_the_recorded_rung_score_and_another_is_refused(tmp_path):
    layout = RunLayout(tmp_path / "cnn")
    record(layout, with_plan_defaults(options(tmp_path, "--rung-score", "val_loss"), layout))
    assert json.loads(layout.info.read_text())["rung_score"] == "val_loss"
    resumed = with_plan_defaults(options(tmp_path), layout)
    assert resumed.rung_score == "val_loss"
    record(layout, resumed)  # accepted: the same plan
    with pytest.raises(UsageError, match="other rung_score"):
        record(layout, with_plan_defaults(options(tmp_path, "--rung-score", "objective"), layout))


def test_a_sweep_recorded_before_the_rung_score_resumes_ranked_by_its_objective(tmp_path):
    layout = RunLayout(tmp_path / "cnn")
    record(layout, with_plan_defaults(options(tmp_path, "--rung-score", "objective"), layout))
    assert "rung_score" not in json.loads(layout.info.read_text())  # as sweeps before the option recorded
    assert with_plan_defaults(options(tmp_path), layout).rung_score == "objective"
    fresh = RunLayout(tmp_path / "new" / "cnn")
    assert with_plan_defaults(options(tmp_path), fresh).rung_score == DEFAULT_RUNG_SCORE
