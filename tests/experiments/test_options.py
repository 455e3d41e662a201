"""The training scripts' command lines: bad values are refused at parse time, naming the flag."""

import subprocess
import sys

import pytest

from experiments.options import parse_launch, parse_sweep, parse_train
from plumbing.errors import UsageError
from tests.support import REPO

PARSERS = {
    "search_cnn.py": lambda argv: parse_sweep("cnn", argv),
    "search_rnn.py": lambda argv: parse_sweep("rnn", argv),
    "train.py": lambda argv: parse_train(["--model", "cnn-baseline", *argv]),
    "launch.py": lambda argv: parse_launch(["cnn", *argv]),
}


@pytest.mark.parametrize("script", sorted(PARSERS))
def test_a_negative_seed_is_refused_naming_seed(script, capsys):
    with pytest.raises(SystemExit) as stopped:
        PARSERS[script](["--seed", "-5"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("error: argument --seed: -5 is less than 0")


@pytest.mark.parametrize("script", sorted(PARSERS))
def test_an_unknown_class_weighting_is_refused_naming_the_flag(script, capsys):
    with pytest.raises(SystemExit) as stopped:
        PARSERS[script](["--class-weight", "heavy"])
    assert stopped.value.code == 2
    assert "error: argument --class-weight: invalid choice: 'heavy'" in capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize("script", sorted(PARSERS))
def test_an_unknown_objective_is_refused_naming_the_flag(script, capsys):
    with pytest.raises(SystemExit) as stopped:
        PARSERS[script](["--objective", "val_recall"])
    assert stopped.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "error: argument --objective: invalid choice: 'val_recall'" in last


def test_launch_refuses_gpus_that_are_not_indices_and_starts_nothing():
    done = subprocess.run(
        [sys.executable, "experiments/launch.py", "cnn", "--gpus", "abc"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2 and "[chief]" not in done.stdout, done.stdout
    assert done.stderr.strip().splitlines()[-1] == (
        "launch.py: error: argument --gpus: 'abc' is not GPU indices separated by commas (e.g. 0,1)"
    )


def test_launch_gives_each_worker_a_gpu_index():
    plan = parse_launch(["cnn", "--gpus", "0, 1"])
    assert plan.gpus == ("0", "1") and plan.workers == 2


@pytest.mark.parametrize("script", ["search_cnn.py", "train.py"])
def test_overwrite_with_evaluate_only_is_refused_before_anything_is_removed(script):
    with pytest.raises(UsageError, match="--overwrite and --evaluate-only"):
        PARSERS[script](["--overwrite", "--evaluate-only"])
