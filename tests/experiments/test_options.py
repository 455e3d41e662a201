"""The training scripts' command lines: bad values are refused at parse time, naming the flag."""

import subprocess
import sys

import pytest

from experiments.options import parse_launch, parse_sweep, parse_train
from plumbing.errors import UsageError
from tests.support import REPO, run_listing_modules

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


@pytest.mark.parametrize("script", ["search_cnn.py", "search_rnn.py", "launch.py"])
def test_an_unknown_rung_score_is_refused_naming_the_flag(script, capsys):
    with pytest.raises(SystemExit) as stopped:
        PARSERS[script](["--strategy", "halving", "--rung-score", "val_accuracy"])
    assert stopped.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "error: argument --rung-score: invalid choice: 'val_accuracy'" in last


@pytest.mark.parametrize("script", ["search_cnn.py", "search_rnn.py", "launch.py"])
def test_a_first_rung_above_the_last_epoch_is_refused_naming_both_flags(script):
    with pytest.raises(UsageError) as refused:
        PARSERS[script](["--strategy", "halving", "--max-epochs", "10", "--min-epochs", "12"])
    assert str(refused.value) == (
        "--min-epochs 12 is above --max-epochs 10: halving's first rung trains at most every epoch; pass --min-epochs "
        "10 or less"
    )
    assert PARSERS[script](["--strategy", "halving", "--max-epochs", "10", "--min-epochs", "10"])


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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--gpus", "0", "--trials-per-gpu", "0"], "error: argument --trials-per-gpu: 0 is less than 1"),
        (["--trials-per-worker", "-1"], "error: argument --trials-per-worker: -1 is less than 1"),
        (["--worker-memory-mib", "0"], "error: argument --worker-memory-mib: 0 is less than 1"),
        (["--worker-memory-growth", "0"], "error: argument --worker-memory-growth: 0 is less than 1"),
        (["--gpus", "0", "--trials-per-gpu", "two"], "error: argument --trials-per-gpu: 'two' is not a whole number"),
    ],
    ids=[
        "trials-per-gpu 0",
        "trials-per-worker -1",
        "worker-memory-mib 0",
        "worker-memory-growth 0",
        "trials-per-gpu two",
    ],
)
def test_launch_refuses_bad_sharing_values_naming_the_flag(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        parse_launch(["cnn", *argv])
    assert stopped.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].endswith(message), errors


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--trials-per-gpu", "2"], "--trials-per-gpu 2: pass --gpus too"),
        (["--gpus", "0", "--workers", "2"], "--workers 2 on 1 GPU(s) at 1 trial(s) per GPU: at most 1 workers"),
        (["--gpus", "0,1", "--trials-per-gpu", "2", "--workers", "5"], "pass --trials-per-gpu 3"),
    ],
    ids=["without --gpus", "more workers than GPUs", "more workers than GPUs x K"],
)
def test_launch_refuses_more_workers_than_the_gpus_hold_in_one_line(argv, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_launch(["cnn", *argv])


def test_launch_runs_k_workers_per_gpu_and_gives_only_the_workers_their_term():
    plan = parse_launch(["cnn", "--gpus", "0,1", "--trials-per-gpu", "2", "--trials-per-worker", "3"])
    assert plan.workers == 4 and plan.trials_per_gpu == 2
    assert [plan.gpu_of(slot) for slot in range(4)] == ["0", "1", "0", "1"]
    assert plan.worker_args == ("--trials-per-worker", "3") and "--trials-per-worker" not in plan.sweep_args


def test_launched_workers_leave_before_growing_ten_percent_unless_given_a_term():
    assert parse_launch(["cnn"]).worker_args == ("--worker-memory-growth", "10")
    assert parse_launch(["cnn", "--worker-memory-mib", "4000"]).worker_args == ("--worker-memory-mib", "4000")
    given = parse_launch(["cnn", "--worker-memory-growth", "5", "--trials-per-worker", "8"]).worker_args
    assert given == ("--trials-per-worker", "8", "--worker-memory-growth", "5")


@pytest.mark.parametrize("flag", ["--trials-per-worker", "--worker-memory-mib", "--worker-memory-growth"])
def test_a_workers_term_outside_a_worker_is_refused(flag, tmp_path):
    from experiments.tuning.role import role_for

    with pytest.raises(UsageError, match=f"{flag} ends a worker's term"):
        role_for(parse_sweep("cnn", ["--workdir", str(tmp_path), flag, "2"]))


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        ("search_cnn.py", ["--recheck-top", "0"], "argument --recheck-top: 0 is less than 1"),
        ("search_rnn.py", ["--overwrite", "--evaluate-only"], "--overwrite and --evaluate-only"),
        ("train.py", ["--model", "cnn-tuned"], "argument --model: invalid choice: 'cnn-tuned'"),
        ("launch.py", ["cnn", "--chief", "127.0.0.1:1"], "--chief: launch.py starts the chief and the workers"),
        ("search_cnn.py", ["--help"], None),
    ],
    ids=["search_cnn", "search_rnn", "train", "launch", "help"],
)
def test_a_command_line_is_answered_before_keras_starts(script, argv, message):
    """A mistyped flag or `--help` costs no backend start (about 10 s with TensorFlow on 2 cores)."""
    done, loaded = run_listing_modules(f"experiments/{script}", *argv, timeout=120)
    assert not {m.split(".")[0] for m in loaded} & {"keras", "tensorflow", "jax", "sklearn"}, done.stdout[-500:]
    if message is None:
        assert done.returncode == 0 and "usage: " in done.stdout
    else:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert done.returncode == 2 and message in lines[-1] and "error: " in lines[-1], done.stderr


@pytest.mark.parametrize("script", ["search_cnn.py", "search_rnn.py", "launch.py"])
def test_the_scheduler_and_its_older_spelling_record_the_same_strategy_and_disagreeing_is_refused(script):
    with pytest.raises(UsageError, match="--scheduler none and --strategy halving: --strategy is the older spelling"):
        PARSERS[script](["--scheduler", "none", "--strategy", "halving"])
    with pytest.raises(UsageError, match="--max-trials 5: --search grid trains every point of its lists; pass"):
        PARSERS[script](["--max-trials", "5"])


def test_a_scheduler_is_recorded_as_the_strategy_it_spells():
    assert parse_sweep("cnn", ["--scheduler", "halving"]).strategy == "halving"
    assert parse_sweep("cnn", ["--strategy", "halving"]).strategy == "halving"
    assert parse_sweep("cnn", ["--scheduler", "none"]).strategy == "grid"
    random = parse_sweep("cnn", ["--search", "random", "--max-trials", "16"])
    assert (random.search, random.max_trials, random.strategy) == ("random", 16, "grid")
