"""End to end: a finished halving sweep resumed with a re-check; its top two (as the halving leaderboard ranks) trained
again from scratch to --max-epochs, their statistics, the winner evaluated, the same top recomputed from disk."""

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pandas as pd
import pytest

from data_pipeline.workdir import Workdir
from hypermodels.cnn import QUICK_SPACE
from reports.report import write_report
from tests.support import HALVING_RUNGS, expected_rungs

pytestmark = pytest.mark.slow

RECHECK = ("--recheck-top", "2", "--seeds", "1")
SEED = 43  # the sweep's --seed 42, + 1


def in_process(family: str, args: list[str]) -> tuple[int, str]:
    """`search_<family>.py ARGS` run in this process: exit code and everything it printed."""
    from experiments.options import parse_sweep
    from experiments.tuning.sweep import run_sweep
    from plumbing.errors import run_command

    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(printed):
        code = run_command(lambda: run_sweep(family, parse_sweep(family, args)))
    return code, printed.getvalue()


@pytest.fixture(scope="module")
def rechecked_halving(killed_halving, tmp_path_factory):
    """A copy of `killed_halving`'s finished sweep, resumed with `--recheck-top 2 --seeds 1`: a fresh process ranks the
    top from the files on disk."""
    root = tmp_path_factory.mktemp("halving_recheck")
    shutil.copytree(killed_halving["workdir"], root / "work")
    moved = {str(killed_halving["workdir"]): str(root / "work")}
    args = [moved.get(arg, arg) for arg in killed_halving["args"]]
    args[args.index("--tb-logs") + 1] = str(root / "tb")  # the copy keeps the original's TensorBoard id
    code, output = in_process("cnn", [*args, *RECHECK])
    assert code == 0, output
    rungs = expected_rungs(root / "work", len(QUICK_SPACE))
    top = sorted(rungs, key=lambda point: -rungs[point])[:2]  # rungs 1, 1, 2, 3: the top two by rung alone
    return {"root": root / "work" / "cnn", "args": args, "output": output, "top": top}


def best_value(folder) -> float:
    return json.loads((folder / "state.json").read_text())["best_value"]


def test_the_top_two_train_again_from_scratch_to_the_last_rung_once_each(rechecked_halving):
    root, top = rechecked_halving["root"], rechecked_halving["top"]
    runs = sorted(path.relative_to(root / "recheck").as_posix() for path in (root / "recheck").glob("point_*/seed_*"))
    assert runs == sorted(f"point_{point:03d}/seed_{SEED}" for point in top)
    for run in runs:
        history = pd.read_csv(root / "recheck" / run / "history.csv")
        assert list(history["epoch"]) == list(range(HALVING_RUNGS[-1])), f"{run}: not epochs 0 to --max-epochs once"
    trials = [json.loads(path.read_text()) for path in (root / "tuner").glob("trial_*/trial.json")]
    assert len(trials) == 4 + 2 + 1 + 2 and {t["status"] for t in trials} == {"COMPLETED"}
    output = rechecked_halving["output"]
    assert "re-check extended to the top 2 points with 1 more seeds each (was 0 x 0)" in output
    assert "then the top 2 again with 1 more seeds each: 0/2 done" in output
    assert sorted(output.count(f"[recheck {k}/2] point") for k in (1, 2)) == [1, 1], "a run reported twice"


def test_the_leaderboard_statistics_match_an_independent_computation(rechecked_halving):
    root, (first, second) = rechecked_halving["root"], rechecked_halving["top"]
    board = pd.read_csv(root / "leaderboard.csv").set_index("point")
    # the last rung's point trained to --max-epochs with the sweep's seed: that run counts; the pruned one's does not
    full = np.array(
        [
            best_value(root / "points" / f"point_{first:03d}"),
            best_value(root / f"recheck/point_{first:03d}/seed_{SEED}"),
        ]
    )
    assert board.at[first, "seeds"] == 2 and board.at[first, "mean"] == pytest.approx(full.mean())
    assert board.at[first, "std"] == pytest.approx(full.std(ddof=1))
    assert board.at[second, "status"] == "PRUNED" and board.at[second, "seeds"] == 1
    assert board.at[second, "mean"] == pytest.approx(best_value(root / f"recheck/point_{second:03d}/seed_{SEED}"))
    assert np.isnan(board.at[second, "std"])
    ranked = pd.read_csv(root / "leaderboard.csv")
    assert set(ranked["point"][:2]) == {first, second} and ranked["mean"][0] >= ranked["mean"][1], "best mean first"
    assert ranked["mean"][2:].isna().all()


def test_the_winner_by_mean_is_evaluated_from_a_run_trained_to_the_end(rechecked_halving):
    root = rechecked_halving["root"]
    winner = pd.read_csv(root / "leaderboard.csv").iloc[0]
    metrics = json.loads((root / "test_metrics.json").read_text())
    name = f"point {winner['point']}" + ("" if winner["status"] == "COMPLETED" else f" (seed {SEED})")
    assert f"best {name}: test accuracy {metrics['accuracy']:.4f}" in rechecked_halving["output"]
    text = write_report(Workdir(root.parent), root.parent / "report.md").read_text()
    assert f"Winner by mean: **point {winner['point']}**" in text
    assert "#### Re-check: the top 2 again with 1 more seeds" in text


def test_a_restart_ranks_the_same_top_from_disk_and_hands_out_only_the_run_left(rechecked_halving, tmp_path):
    from experiments.options import parse_sweep
    from experiments.training.resumable_fit import TrainingRecipe
    from experiments.training.run_layout import RunLayout
    from experiments.tuning.halving.tuner import halving_oracle
    from experiments.tuning.plan_oracle import settled
    from experiments.tuning.recheck.plan import RECHECK_POINT, RECHECK_SEED, recheck_plan
    from experiments.tuning.role import ClusterRole
    from experiments.tuning.space_files import load_space
    from experiments.tuning.sweep_plan import SweepPlan

    shutil.copytree(rechecked_halving["root"], tmp_path / "cnn")
    options = parse_sweep("cnn", [*rechecked_halving["args"], *RECHECK])
    recipe = TrainingRecipe(max_epochs=options.max_epochs, patience=options.patience, monitor=options.objective)
    layout = RunLayout(tmp_path / "cnn")
    plan = SweepPlan(load_space(options.space, "cnn"), recipe, options, layout, ClusterRole(), recheck_plan(options))
    plan = settled(plan)  # halving's first rung, as the sweep settles it
    oracle = halving_oracle(plan)
    assert oracle.finished_on_disk(layout.tuner_dir)
    assert oracle.final_ranking()[:2] == rechecked_halving["top"]
    last = max(layout.tuner_dir.glob("trial_*"))  # the second re-check run, as if it had never been handed out
    values = json.loads((last / "trial.json").read_text())["hyperparameters"]["values"]
    shutil.rmtree(last)
    oracle = halving_oracle(plan)
    assert not oracle.finished_on_disk(layout.tuner_dir)
    due = oracle.populate_space("")
    assert due["status"] == "RUNNING" and (due["values"][RECHECK_POINT], due["values"][RECHECK_SEED]) == (
        values[RECHECK_POINT],
        values[RECHECK_SEED],
    )
