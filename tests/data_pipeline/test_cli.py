"""`python -m data_pipeline prepare` as a user runs it: tables on success, one-line errors."""

import subprocess
import sys

import pandas as pd


def run(*args):
    return subprocess.run([sys.executable, "-m", "data_pipeline", *args], capture_output=True,
                          text=True, check=False)  # fmt: skip


def test_prepare_prints_tables_and_writes_the_workdir(tiny_dataset, tmp_path):
    done = run("prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--min-clips", "5")
    assert done.returncode == 0, done.stderr
    assert "Kept 4 classes with > 5 clips" in done.stdout
    assert "Train" in done.stdout and "Total" in done.stdout
    split = pd.read_csv(tmp_path / "w" / "split.csv")
    assert set(split.columns) == {"path", "class", "split"} and len(split) == 64
    catalog = pd.read_csv(tmp_path / "w" / "catalog.csv")
    assert {"path", "class", "samplerate", "channels", "frames", "duration", "status", "reason"} <= set(catalog)


def one_line_error(done):
    """The single `error:` line, last on stderr (TensorFlow's own start-up lines may precede it)."""
    lines = [line for line in done.stderr.strip().splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == lines[0]
    return lines[0]


def test_missing_data_dir_is_one_line_exit_2(tmp_path):
    line = one_line_error(run("prepare", "--data-dir", str(tmp_path / "nope"), "--workdir", str(tmp_path / "w")))
    assert "nope" in line and "--data-dir" in line


def test_empty_data_dir_is_one_line_exit_2(tmp_path):
    (tmp_path / "empty").mkdir()
    line = one_line_error(run("prepare", "--data-dir", str(tmp_path / "empty"), "--workdir", str(tmp_path / "w")))
    assert "no class folders" in line


def test_no_class_above_threshold_is_one_line_exit_2(tiny_dataset, tmp_path):
    line = one_line_error(run("prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w")))
    assert "more than 1000" in line and "--min-clips" in line
