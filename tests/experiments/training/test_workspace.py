"""A workdir keeps its data dir and its split, and a workdir nobody may write is one `error:` line naming --workdir."""

import shutil
import subprocess
import sys

import pytest

from experiments.options import parse_sweep
from experiments.training.workspace import open_workspace
from plumbing.errors import DataError, UsageError
from tests.support import REPO, read_only, unprivileged

TRAIN = ["--model", "cnn-baseline", "--min-clips", "5", "--max-epochs", "1", "--batch-size", "8"]


def train(data_dir, workdir, tb_logs) -> subprocess.CompletedProcess:
    """`train.py` as a user without root's power over files runs it."""
    command = [sys.executable, "experiments/train.py", *TRAIN, "--data-dir", str(data_dir)]
    command += ["--workdir", str(workdir), "--tb-logs", str(tb_logs)]
    return subprocess.run(unprivileged(command), capture_output=True, text=True, cwd=REPO, check=False)


def error_line(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_a_read_only_workdir_is_one_line_naming_workdir(tiny_dataset, tmp_path):
    workdir = read_only(tmp_path / "work")
    try:
        line = error_line(train(tiny_dataset, workdir, tmp_path / "tb"))
    finally:
        workdir.chmod(0o755)
    assert line == (
        f"error: --workdir {workdir}: cannot write in {workdir} (Permission denied): pass a folder you can write"
    )
    assert list(workdir.iterdir()) == []


def test_a_read_only_experiment_folder_is_one_line_naming_workdir(tiny_dataset, tmp_path):
    workdir = tmp_path / "work"
    folder = read_only(workdir / "cnn-baseline")
    try:
        line = error_line(train(tiny_dataset, workdir, tmp_path / "tb"))
    finally:
        folder.chmod(0o755)
    assert line.startswith(f"error: --workdir {workdir}: cannot write in {folder} (Permission denied)")
    assert list(folder.iterdir()) == [] and (workdir / "split.csv").exists(), "the prepared split is kept"


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
