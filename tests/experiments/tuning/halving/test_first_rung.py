"""Halving's first rung without `--min-epochs`: a quarter of the epochs for a new sweep, the recorded one on resume."""

import pytest

from experiments.options import parse_sweep
from experiments.training.resumable_fit import TrainingRecipe
from experiments.training.run_layout import RunLayout
from experiments.training.run_record import check_info
from experiments.tuning.halving.first_rung import with_first_rung
from experiments.tuning.halving.rungs import HalvingPlan, first_rung
from experiments.tuning.record import sweep_info
from experiments.tuning.role import ClusterRole
from experiments.tuning.strategies import settled
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
    ("max_epochs", "rung"), [(30, 8), (20, 5), (12, 3), (10, 3), (14, 4), (9, 2), (4, 1), (1, 1)]
)  # halves (10, 14) rounded up
def test_a_new_sweep_starts_at_a_quarter_of_its_epochs(tmp_path, max_epochs, rung):
    chosen = with_first_rung(options(tmp_path, "--max-epochs", str(max_epochs)), RunLayout(tmp_path / "cnn"))
    assert chosen.min_epochs == first_rung(max_epochs) == rung


def test_the_seeds_grid_by_default_costs_under_half_its_epochs():
    plan = HalvingPlan(first_rung(30), 3, 30)
    assert plan.rungs == (8, 24, 30) and plan.worst_case_epochs(96) == 96 * 8 + 32 * 16 + 10 * 6
    assert plan.worst_case_epochs(96) / (96 * 30) < 0.47


def test_a_resume_without_the_flag_keeps_the_recorded_rung_and_another_is_refused(tmp_path):
    layout = RunLayout(tmp_path / "cnn")
    record(layout, with_first_rung(options(tmp_path, "--min-epochs", "3"), layout))  # the old default's sweep
    resumed = with_first_rung(options(tmp_path), layout)
    assert resumed.min_epochs == 3 != first_rung(resumed.max_epochs)
    record(layout, resumed)  # accepted: the same plan
    with pytest.raises(UsageError, match="other min_epochs"):
        record(layout, with_first_rung(options(tmp_path, "--min-epochs", "8"), layout))


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
    assert with_first_rung(options(tmp_path, *argv), layout).min_epochs == first_rung(30)


def test_the_sweep_settles_the_first_rung_of_halving_only(tmp_path):
    def plan(chosen) -> SweepPlan:
        return SweepPlan(QUICK_SPACE, TrainingRecipe(), chosen, RunLayout(tmp_path / "cnn"), ClusterRole())

    assert settled(plan(options(tmp_path, "--max-epochs", "20"))).options.min_epochs == 5
    assert settled(plan(parse_sweep("cnn", ["--workdir", str(tmp_path)]))).options.min_epochs is None
