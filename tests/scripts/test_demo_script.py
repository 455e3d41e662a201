"""`scripts/demo.sh`, the README's main job, at a tiny size in a copy of the repository: a Ctrl-C while both training
chains run stops both (no process left behind) and says how to resume; the rerun finishes the job (the musicnn family
after them) and the report of the three families."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.support import REPO, wait_for

pytestmark = pytest.mark.slow
TINY = {
    "PER_CLASS": "8", "MIN_CLIPS": "5", "CNN_EPOCHS": "2", "RNN_EPOCHS": "2", "HALVING_MIN_EPOCHS": "1",
    "FIXED_EPOCHS": "1", "MUSICNN_EPOCHS": "2",
}  # fmt: skip
CHAINS = ("cnn", "rnn")
PACKAGES = ("data_pipeline", "experiments", "hypermodels", "plumbing", "reports", ".venv")


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """The scripts copied, the packages and the virtual environment linked: data/, runs/ and tb_logs/ land here."""
    if shutil.which("fluidsynth") is None:
        pytest.skip("fluidsynth is not installed (scripts/setup.sh installs it)")
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "scripts", root / "scripts")
    for name in PACKAGES:
        (root / name).symlink_to(REPO / name)
    return root


def start_demo(root, log):
    env = {**os.environ, **TINY, "BASELINE_CNN_EPOCHS": "1", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        return subprocess.Popen(["bash", "scripts/demo.sh"], cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)


def left_behind(root) -> list[str]:
    """Processes still running in this copy (their working directory is in it)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")).is_relative_to(root):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # gone, or not ours to read
            continue
    return found


def test_a_ctrl_c_stops_both_chains_and_the_rerun_finishes_the_job(repo_copy, tmp_path):
    log = tmp_path / "first.log"
    demo = start_demo(repo_copy, log)
    began = [f"[{chain}] {chain} sweep: successive halving over a grid of 2 points" for chain in CHAINS]
    both_training = lambda: all(line in log.read_text() for line in began)  # noqa: E731
    wait_for(both_training, timeout=300, what="both chains training")
    time.sleep(2)  # into their first trials
    demo.send_signal(signal.SIGINT)  # what a Ctrl-C in the terminal delivers to the script
    assert demo.wait(timeout=120) != 0
    output = log.read_text()
    assert "a training chain stopped" in output and "rerun scripts/demo.sh to resume" in output
    time.sleep(1)
    assert left_behind(repo_copy) == [], "a training kept running after the Ctrl-C"
    assert not (repo_copy / "runs" / "report.md").exists()

    rerun = start_demo(repo_copy, tmp_path / "rerun.log")
    assert rerun.wait(timeout=900) == 0, (tmp_path / "rerun.log").read_text()[-3000:]
    assert (repo_copy / "runs" / "report.md").read_text().startswith("# Instrument classification report")
    for family in ("cnn", "rnn"):
        board = pd.read_csv(repo_copy / "runs" / family / "leaderboard.csv")
        assert len(board) == 2 and sorted(board["status"]) == ["COMPLETED", "PRUNED"], board  # one goes on
        points = sorted((repo_copy / "runs" / family / "points").glob("point_*"))
        epochs = [pd.read_csv(point / "history.csv")["epoch"].tolist() for point in points]
        assert all(e == list(range(len(e))) for e in epochs), (
            f"{epochs}: an epoch trained twice or lost over the Ctrl-C"
        )
        assert sorted(map(len, epochs)) == [1, 2], epochs  # the first rung's epoch, then the winner to the end
    board = pd.read_csv(repo_copy / "runs" / "musicnn" / "leaderboard.csv")
    assert len(board) == 4 and set(board["status"]) == {"COMPLETED"}, board
    for family in ("cnn", "rnn", "musicnn"):
        for model in (f"{family}-baseline", f"{family}-enhanced"):
            assert (repo_copy / "runs" / model / "test_metrics.json").exists(), model
    assert "tuned musicnn" in (repo_copy / "runs" / "report.md").read_text()
