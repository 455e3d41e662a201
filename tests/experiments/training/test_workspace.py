"""A workdir nobody may write is one `error:` line naming --workdir, never a traceback, and nothing is written."""

import subprocess
import sys

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
