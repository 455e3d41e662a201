"""What the report reads from an experiment folder: how many points a sweep trains, whatever its search."""

import json

import pytest

from reports.workdir_reader import read_experiment

LISTS = [["dense_units", [32, 64, 128]], ["dropout_head", [0.3, 0.5]]]  # a 6-point grid
RANGES = [["dense_units", [32, 64]], ["learning_rate", {"min": 1e-4, "max": 1e-2, "sampling": "log", "step": None}]]


@pytest.mark.parametrize(
    ("space", "max_trials", "proposals", "points"),
    [
        (LISTS, None, None, 6),  # a grid: every point
        (LISTS, 4, None, 4),  # a sampled search of fewer points
        (LISTS, 50, None, 6),  # more trials than the grid holds: the grid's points
        (RANGES, 16, None, 16),  # ranges: as many as asked
        (RANGES, 16, {"points": [{"dense_units": 32, "learning_rate": 1e-3}] * 3, "exhausted": True}, 3),
        (RANGES, 16, {"points": [], "exhausted": False}, 16),
    ],
)
def test_a_sweeps_points_are_its_grid_its_trials_or_what_it_found(tmp_path, space, max_trials, proposals, points):
    folder = tmp_path / "cnn"
    (folder / "tuner").mkdir(parents=True)
    record = {"kind": "sweep", "space_name": "s", "space": space, "max_epochs": 2}
    if max_trials is not None:
        record |= {"search": "tpe", "max_trials": max_trials}
    (folder / "experiment.json").write_text(json.dumps(record))
    if proposals is not None:
        (folder / "tuner" / "proposals.json").write_text(json.dumps(proposals))
    assert read_experiment(folder).grid_size == points
