"""End to end: a grid sweep re-checked with more seeds, SIGKILLed mid-re-check and resumed; its leaderboard's
statistics against an independent computation; the report's verdict; bad values refused in one line."""

import json
import re
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from data_pipeline.workdir import Workdir
from reports.report import write_report
from tests.support import REPO, Run, sweep_args, sweep_in_process, wait_for

pytestmark = pytest.mark.slow

RECHECK = ("--recheck-top", "2", "--seeds", "1")
ONE_EPOCH = ("--max-epochs", "1", "--patience", "1")


@pytest.fixture(scope="module")
def rechecked(tiny_dataset, two_points, tmp_path_factory):
    """2 points x 1 epoch, then each again with one more seed; SIGKILLed once the first re-check run has begun."""
    root = tmp_path_factory.mktemp("recheck")
    args = sweep_args(tiny_dataset, root / "w", root / "tb", "--space", two_points, *ONE_EPOCH, *RECHECK)
    recheck = root / "w" / "rnn" / "recheck"
    first = Run("search_rnn.py", *args, log=root / "run0.log")
    wait_for(lambda: any(recheck.glob("point_*/seed_*")), what="the first re-check run", run=first)
    first.kill(signal.SIGKILL)
    second = Run("search_rnn.py", *args, log=root / "run1.log")
    assert second.wait() == 0, second.output
    return {"root": root / "w" / "rnn", "args": args, "outputs": [first.output, second.output]}


def test_k_times_s_runs_train_exactly_once_after_a_kill(rechecked):
    root = rechecked["root"]
    runs = sorted(path.relative_to(root / "recheck").as_posix() for path in (root / "recheck").glob("point_*/seed_*"))
    assert runs == ["point_000/seed_43", "point_001/seed_43"]
    for run in runs:
        history = pd.read_csv(root / "recheck" / run / "history.csv")
        assert list(history["epoch"]) == [0], f"{run} trained an epoch twice"
    assert len(list((root / "tuner").glob("trial_*/trial.json"))) == 2 + 2, "a (point, seed) got a second trial"
    lines = re.findall(r"\[recheck \d/2\] point (\d) seed (\d+) val_accuracy=", "".join(rechecked["outputs"]))
    assert sorted(lines) == [("0", "43"), ("1", "43")], "each re-check run reported exactly once"
    assert "then the top 2 again with 1 more seeds each" in rechecked["outputs"][1]


def kept(state_file) -> float:
    return json.loads(state_file.read_text())["best_value"]


def test_the_leaderboard_statistics_match_an_independent_computation(rechecked):
    root = rechecked["root"]
    board = pd.read_csv(root / "leaderboard.csv", dtype={"trial_id": str})
    assert len(board) == 2 and board["seeds"].tolist() == [2, 2]
    for row in board.itertuples():
        point = ["4-4", "8-8"].index(row.gru_units)
        values = np.array(
            [
                kept(root / "tuner" / f"trial_{row.trial_id}" / "state.json"),
                kept(root / f"recheck/point_{point:03d}/seed_43/state.json"),
            ]
        )
        low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
        assert row.mean == pytest.approx(values.mean()) and row.std == pytest.approx(values.std(ddof=1))
        assert (row.ci95_low, row.ci95_high) == pytest.approx((low, high), nan_ok=True)
    assert board["mean"].iloc[0] >= board["mean"].iloc[1], "the winner is the best mean"
    winner = board["trial_id"].iloc[0]
    assert f"best trial {winner}: test accuracy" in rechecked["outputs"][1]
    assert (root / "test_metrics.json").exists()


def test_the_report_says_separable_or_tie_by_a_paired_t_test(rechecked):
    root = rechecked["root"]
    text = write_report(Workdir(root.parent), root.parent / "report.md").read_text()
    runs = pd.read_csv(root / "recheck.csv", dtype={"grid_trial": str})
    board = pd.read_csv(root / "leaderboard.csv", dtype={"trial_id": str})
    by_seed = [runs[runs["grid_trial"] == t].set_index("seed")["val_accuracy"].sort_index() for t in board["trial_id"]]
    differences = (by_seed[0] - by_seed[1]).to_numpy()
    if np.isclose(differences.std(), 0.0, atol=1e-12):  # no spread: the difference is certain (or certainly none)
        expected = 0.0 if differences.mean() != 0 else 1.0
    else:
        expected = stats.ttest_rel(by_seed[0], by_seed[1]).pvalue
    line = next(line for line in text.splitlines() if "paired t-test" in line)
    verdict = "**separable**" if expected < 0.05 else "**a tie**"
    assert f"Winner by mean: **trial {board['trial_id'].iloc[0]}**" in text
    assert "paired over the 2 seeds" in line and verdict in line
    assert f"p = {expected:.3g}" in line


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [("--recheck-top", "0", "0 is less than 1"), ("--seeds", "-1", "-1 is less than 1")],
)
def test_bad_values_are_one_line_and_exit_2(flag, value, message, tmp_path):
    extra = ["--recheck-top", "2"] if flag == "--seeds" else []
    done = subprocess.run(
        [sys.executable, "experiments/search_cnn.py", "--workdir", str(tmp_path / "w"), *extra, flag, value],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert done.returncode == 2 and errors == [f"search_cnn.py: error: argument {flag}: {message}"], done.stderr
    assert not (tmp_path / "w").exists()


def test_seeds_without_a_recheck_is_refused_in_one_line(tiny_dataset, tmp_path, capsys):
    args = sweep_args(tiny_dataset, tmp_path / "w", tmp_path / "tb", "--seeds", 2)
    code, last = sweep_in_process("cnn", args, capsys)
    assert code == 2 and last.startswith("error: --seeds 2 sets the re-check's seeds: pass --recheck-top K with it")
    assert not (tmp_path / "w").exists()


def test_resuming_with_a_smaller_recheck_is_refused_in_one_line(rechecked, capsys):
    before = (rechecked["root"] / "experiment.json").read_text()
    args = rechecked["args"][: -len(RECHECK)]
    code, last = sweep_in_process("rnn", [*args, "--recheck-top", "1", "--seeds", "1"], capsys)
    assert code == 2 and "re-checked with --recheck-top 2 --seeds 1: pass at least those to resume" in last, last
    assert (rechecked["root"] / "experiment.json").read_text() == before
