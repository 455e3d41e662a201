"""A damaged file of a finished sweep is refused in one line naming it, and nothing on disk changes."""

import shutil

import pytest

from tests.support import sweep_args, sweep_output


def snapshot(folder):
    """Every result file's bytes (not the lock, which holds the pid of its last holder)."""
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"]
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.mark.parametrize(
    ("damaged", "content"),
    [
        ("cnn/tuner/oracle.json", '{"ongoing_trials": {'),
        ("cnn/tuner/trial_2/trial.json", "[1, 2]"),
        ("cnn/tuner/trial_0/trial.json", b"\xff\xfe not text"),
        ("cnn/experiment.json", '{"kind": "sweep", "family"'),
        ("dataset.json", "{}"),
    ],
)
def test_a_damaged_sweep_file_is_one_error_line_naming_it_and_nothing_changes(
    finished_sweep, tiny_dataset, tmp_path, capsys, damaged, content
):
    workdir = tmp_path / "work"
    shutil.copytree(finished_sweep["workdir"], workdir)
    path = workdir / damaged
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = snapshot(workdir)
    for extra in ([], ["--evaluate-only"]):
        code, out, err = sweep_output(
            "cnn", sweep_args(tiny_dataset, workdir, tmp_path / "tb", "--max-epochs", "1", *extra), capsys
        )
        assert code == 2, out + err
        assert err.strip().splitlines() == [err.strip()] and err.startswith(f"error: {path}"), err
        assert "Traceback" not in out + err
    assert snapshot(workdir) == before
