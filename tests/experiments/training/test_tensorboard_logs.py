"""--tb-logs that is a file, or a folder nobody may write: one `error:` line naming --tb-logs, the file untouched."""

import subprocess
import sys

from experiments.options import parse_train
from experiments.training.fixed_models import train_fixed
from plumbing.errors import run_command
from tests.support import REPO, read_only, unprivileged

TRAIN = ["--model", "cnn-baseline", "--min-clips", "5", "--max-epochs", "1", "--batch-size", "8"]


def test_tb_logs_pointing_at_a_file_is_one_line_and_the_file_is_kept(tiny_dataset, tmp_path, capsys):
    tb_file = tmp_path / "tb_logs"
    tb_file.write_text("my notes")
    argv = [*TRAIN, "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--tb-logs", str(tb_file)]
    assert run_command(lambda: train_fixed(*parse_train(argv))) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: --tb-logs {tb_file} is a file: pass a folder (it is created if missing)"]
    assert tb_file.read_text() == "my notes"


def test_a_read_only_tb_logs_folder_is_one_line_naming_tb_logs(tiny_dataset, tmp_path):
    tb_logs = read_only(tmp_path / "tb")
    command = [sys.executable, "experiments/train.py", *TRAIN, "--data-dir", str(tiny_dataset)]
    command += ["--workdir", str(tmp_path / "w"), "--tb-logs", str(tb_logs)]
    try:
        done = subprocess.run(unprivileged(command), capture_output=True, text=True, cwd=REPO, check=False)
    finally:
        tb_logs.chmod(0o755)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert (
        lines[0].startswith(f"error: --tb-logs {tb_logs}: cannot make {tb_logs}/w-") and "Permission denied" in lines[0]
    )
