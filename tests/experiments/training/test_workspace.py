"""A workdir keeps its data dir and its split: another dataset is refused, a lost split is never remade."""

import shutil

import pytest

from experiments.options import parse_sweep
from experiments.training.workspace import open_workspace
from plumbing.errors import DataError, UsageError


def options_for(workdir, data_dir=None):
    args = ["--workdir", str(workdir), "--min-clips", "5", *(["--data-dir", str(data_dir)] if data_dir else [])]
    return parse_sweep("cnn", args)


def test_another_data_dir_is_refused_and_the_workdir_kept(tiny_dataset, tmp_path):
    workdir = tmp_path / "work"
    open_workspace(options_for(workdir, tiny_dataset))
    other = tmp_path / "other"
    shutil.copytree(tiny_dataset, other)
    before = {p.name: p.read_bytes() for p in workdir.iterdir() if p.is_file()}
    with pytest.raises(UsageError, match=r"--data-dir .*other: .* was prepared from .*tiny"):
        open_workspace(options_for(workdir, other))
    assert {p.name: p.read_bytes() for p in workdir.iterdir() if p.is_file()} == before


def test_without_data_dir_a_workdir_is_prepared_again_from_its_own_data(tiny_dataset, tmp_path):
    workdir = tmp_path / "work"
    first = open_workspace(options_for(workdir, tiny_dataset))
    shutil.rmtree(workdir / "features")  # the cache lost: not the demo dataset, the workdir's own data again
    again = open_workspace(options_for(workdir))
    assert list(again.train.paths) == list(first.train.paths) and again.names == first.names


def test_a_lost_split_of_a_workdir_with_models_is_an_error_not_a_new_split(tiny_dataset, tmp_path):
    workdir = tmp_path / "work"
    open_workspace(options_for(workdir, tiny_dataset))
    (workdir / "cnn").mkdir()
    (workdir / "cnn" / "experiment.json").write_text('{"kind": "sweep"}')
    (workdir / "split.csv").unlink()
    with pytest.raises(DataError, match=r"split.csv is missing, but .* holds models trained on it \(cnn\)"):
        open_workspace(options_for(workdir, tiny_dataset))
    assert not (workdir / "split.csv").exists()
