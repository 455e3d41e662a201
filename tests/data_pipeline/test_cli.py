"""`python -m data_pipeline prepare` as a user runs it: tables on success, one-line errors."""

import os
import shutil
import subprocess
import sys

import pandas as pd

from data_pipeline.cli import main
from tests.support import REPO


def run(*args):
    return subprocess.run([sys.executable, "-m", "data_pipeline", *args], capture_output=True, text=True, check=False)


TENSORFLOW_NOISE = ("absl", "cuda", "I0000", "W0000", "E0000", "tensorflow")


def stderr_lines(done) -> list[str]:
    """Non-blank lines on stderr (progress bars are drawn only on a terminal)."""
    return [line for line in done.stderr.splitlines() if line.strip()]


def one_line_error(done):
    """The single `error:` line: all that stderr shows, no traceback, no TensorFlow start-up lines."""
    lines = stderr_lines(done)
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    return lines[0]


def error_in_process(capsys, *args: str) -> str:
    """The same command run in this process (no TensorFlow start-up per case): its single `error:` line."""
    code = main(list(args))
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
    return lines[0]


def test_prepare_prints_tables_writes_the_workdir_and_no_tensorflow_start_up_lines(tiny_dataset, tmp_path):
    done = run("prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--min-clips", "5")
    assert done.returncode == 0, done.stderr
    assert "Kept 4 classes with > 5 clips" in done.stdout
    assert "Train" in done.stdout and "Total" in done.stdout
    split = pd.read_csv(tmp_path / "w" / "split.csv")
    assert set(split.columns) == {"path", "class", "split"} and len(split) == 64
    catalog = pd.read_csv(tmp_path / "w" / "catalog.csv")
    assert {"path", "class", "samplerate", "channels", "frames", "duration", "status", "reason"} <= set(catalog)
    noise = [line for line in stderr_lines(done) if any(word in line for word in TENSORFLOW_NOISE)]
    assert noise == []


def test_prepare_computes_features_without_any_deep_learning_library(tiny_dataset, tmp_path):
    """Scanning, splitting and the feature cache are numpy: prepare starts neither TensorFlow nor Keras."""
    argv = ["prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--min-clips", "5"]
    code = (
        f"import sys; from data_pipeline.cli import main; main({argv!r}); "
        "print(sorted(m for m in ('tensorflow', 'keras', 'jax', 'torch') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "w" / "split.csv").exists()


def test_28_classes_of_6_clips_is_one_line_naming_what_each_class_needs(tmp_path, capsys):
    from data_pipeline.demo.generate import make_demo

    make_demo(tmp_path / "d", 6, "28", seed=1, synthetic=True)
    line = error_in_process(
        capsys, "prepare", "--data-dir", str(tmp_path / "d"), "--workdir", str(tmp_path / "w"), "--min-clips", "5"
    )
    assert "at least 7 readable clips" in line and "28 of 28" in line and "Accordion 6" in line
    assert "--min-clips 6" in line


def test_a_class_of_only_bad_files_leaves_one_class_and_is_one_line(tiny_dataset, tmp_path, capsys):
    data = tmp_path / "d"
    (data / "Banjo").mkdir(parents=True)
    for i in range(10):
        (data / "Banjo" / f"{i}.wav").write_text("not audio")
    shutil.copytree(tiny_dataset / "flute", data / "flute")
    line = error_in_process(
        capsys, "prepare", "--data-dir", str(data), "--workdir", str(tmp_path / "w"), "--min-clips", "0"
    )
    assert "only one class is kept (flute)" in line


def test_negative_min_clips_is_one_line(tiny_dataset, tmp_path, capsys):
    line = error_in_process(
        capsys, "prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--min-clips", "-1"
    )
    assert "--min-clips -1" in line


def test_missing_data_dir_is_one_line_exit_2(tmp_path):
    line = one_line_error(run("prepare", "--data-dir", str(tmp_path / "nope"), "--workdir", str(tmp_path / "w")))
    assert "nope" in line and "--data-dir" in line


def test_empty_data_dir_is_one_line_exit_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    line = error_in_process(capsys, "prepare", "--data-dir", str(tmp_path / "empty"), "--workdir", str(tmp_path / "w"))
    assert "no class folders" in line


def test_no_class_above_threshold_is_one_line_exit_2(tiny_dataset, tmp_path, capsys):
    line = error_in_process(capsys, "prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"))
    assert "more than 1000" in line and "--min-clips" in line


def test_a_negative_seed_is_refused_by_demo_and_prepare_naming_seed(tiny_dataset, tmp_path):
    demo = run("demo", "--out", str(tmp_path / "d"), "--synthetic", "--seed", "-5")
    prepare = run("prepare", "--data-dir", str(tiny_dataset), "--workdir", str(tmp_path / "w"), "--seed", "-5")
    for done in (demo, prepare):
        assert done.returncode == 2
        assert done.stderr.strip().splitlines()[-1].endswith("error: argument --seed: -5 is less than 0")
    assert not (tmp_path / "d").exists() and not (tmp_path / "w").exists()


def test_a_demo_class_named_twice_and_eda_into_a_file_are_one_line_each(tiny_dataset, tmp_path, capsys):
    demo = error_in_process(capsys, "demo", "--synthetic", "--out", str(tmp_path / "d"), "--classes", "flute,flute")
    assert demo.endswith("--classes: flute named more than once: name each class once")
    assert not (tmp_path / "d").exists()
    (tmp_path / "figures").write_text("mine")
    eda = error_in_process(capsys, "eda", "--data-dir", str(tiny_dataset), "--out", str(tmp_path / "figures"))
    assert "--out" in eda and "is a file" in eda and (tmp_path / "figures").read_text() == "mine"


def test_a_fifo_among_clips_is_unreadable_not_empty(tiny_dataset, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(tiny_dataset, data)
    os.mkfifo(data / "flute" / "pipe.wav")
    done = run("prepare", "--data-dir", str(data), "--workdir", str(tmp_path / "w"), "--min-clips", "5")
    assert done.returncode == 0, done.stderr
    assert "unreadable: flute/pipe.wav: not a regular file (a FIFO or a device)" in done.stdout


def test_prepare_without_data_dir_prepares_again_from_the_workdirs_record(tiny_dataset, tmp_path):
    workdir = tmp_path / "w"
    first = run("prepare", "--data-dir", str(tiny_dataset), "--workdir", str(workdir), "--min-clips", "5", "--seed=7")
    assert first.returncode == 0, first.stderr
    split = (workdir / "split.csv").read_bytes()
    shutil.rmtree(workdir / "features")
    again = run("prepare", "--workdir", str(workdir))
    assert again.returncode == 0, again.stderr
    assert "Kept 4 classes with > 5 clips" in again.stdout and "Split (seed 7)" in again.stdout
    assert "features train: 44 computed, 0 reused" in again.stdout
    assert (workdir / "split.csv").read_bytes() == split
