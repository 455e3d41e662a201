"""A disk that fills during a sweep or a prepare, on a real small filesystem (a size-limited tmpfs in a private mount
namespace): one `error:` line naming where, exit 2, no traceback or crash, every committed file intact; once space
is freed the same command resumes and ends as a run that never stopped."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.support import REPO

pytestmark = pytest.mark.slow
SPACE = {"conv_filters": [[4, 8, 8], [8, 8, 8]], "learning_rate": [0.001]}
SWEEP = ["--max-epochs", "3", "--batch-size", "4", "--min-clips", "5"]

# Inside its own mount namespace: a tmpfs of $SIZE at $DISK, the prepared workdir copied in, the disk filled to
# leave $FREE bytes, the command run (its output and exit code kept), the workdir copied out; then the filler
# removed, the command run again, the workdir copied out.
SCENARIO = r"""
set -u
mount -t tmpfs -o size=20m tmpfs "$DISK"
[ -n "$PREPARED" ] && cp -a "$PREPARED" "$DISK/work"
"$PYTHON" -c "
import os, sys
st = os.statvfs(sys.argv[1]); free = st.f_bavail * st.f_frsize
fd = os.open(sys.argv[1] + '/filler', os.O_CREAT | os.O_WRONLY)
os.posix_fallocate(fd, 0, max(1, free - int(sys.argv[2])))
" "$DISK" "$FREE"
cd "$REPO"
"$PYTHON" $COMMAND > "$OUT/full.out" 2> "$OUT/full.err"; echo $? > "$OUT/full.rc"
cp -a "$DISK/work" "$OUT/after_full" 2>/dev/null
rm "$DISK/filler"
"$PYTHON" $COMMAND > "$OUT/again.out" 2> "$OUT/again.err"; echo $? > "$OUT/again.rc"
cp -a "$DISK/work" "$OUT/final"
"""


def can_mount() -> bool:
    done = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return shutil.which("unshare") is not None and done.returncode == 0


def scenario(tmp_path, command: str, free: int, prepared=None) -> dict:
    """The command on a disk with `free` bytes left, then again with space: outputs, exit codes, workdir copies."""
    if not can_mount():
        pytest.skip("needs root and unshare (a private mount namespace) for a small real filesystem")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    env = {
        **os.environ, "DISK": str(disk), "OUT": str(out), "FREE": str(free), "PYTHON": sys.executable,
        "PREPARED": str(prepared or ""), "REPO": str(REPO), "COMMAND": command.format(disk=disk),
        "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", SCENARIO], env=env, timeout=900, check=True
    )
    read = lambda name: (out / name).read_text()  # noqa: E731
    return {
        "full": (int(read("full.rc")), read("full.out"), read("full.err")),
        "again": (int(read("again.rc")), read("again.out"), read("again.err")),
        "after_full": out / "after_full",
        "final": out / "final",
    }


def digests(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def prepared(sweep_data, tmp_path_factory):
    """A prepared workdir (3 classes x 30 clips would do; the session's 4 x 30), and the space file."""
    root = tmp_path_factory.mktemp("full_disk")
    (root / "two.json").write_text(json.dumps(SPACE))
    command = ["-m", "data_pipeline", "prepare", "--data-dir", sweep_data, "--workdir", root / "work", "--min-clips", 5]
    subprocess.run([sys.executable, *map(str, command)], cwd=REPO, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def unbroken(prepared, tmp_path_factory):
    """The sweep run without a full disk: the leaderboard a resumed one must end with."""
    work = tmp_path_factory.mktemp("unbroken") / "work"
    shutil.copytree(prepared / "work", work)
    args = ["--space", prepared / "two.json", *SWEEP, "--workdir", work, "--tb-logs", work.parent / "tb"]
    done = subprocess.run([sys.executable, "experiments/search_cnn.py", *map(str, args)], cwd=REPO, capture_output=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return pd.read_csv(work / "cnn" / "leaderboard.csv")


def sweep_command(prepared) -> str:
    args = ["--space", prepared / "two.json", *SWEEP, "--workdir", "{disk}/work", "--tb-logs", "{disk}/tb"]
    return " ".join(["experiments/search_cnn.py", *map(str, args)])


@pytest.mark.parametrize(
    ("free", "where"),
    [(20_000, "tuner/trial_0"), (40_000, "tuner/trial_0"), (240_000, "tuner/trial_0")],
    ids=["kerastuner-state", "best-weights", "second-checkpoint"],
)
def test_a_sweep_stops_in_one_line_keeps_its_epochs_and_resumes_exactly(prepared, unbroken, tmp_path, free, where):
    ran = scenario(tmp_path, sweep_command(prepared), free, prepared / "work")
    code, out, err = ran["full"]
    disk = tmp_path / "disk"
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, err
    assert err.startswith(f"error: no space left on the disk of {disk}/work/cnn/{where}: free space and run")
    assert digests(ran["after_full"]).items() >= digests(prepared / "work").items(), "prepare's files are kept"
    for trial in (ran["after_full"] / "cnn" / "tuner").glob("trial_*"):
        if (trial / "state.json").exists():  # what was committed reads back: its checkpoint and history rows
            epoch = json.loads((trial / "state.json").read_text())["epoch"]
            assert (trial / f"epoch_{epoch:04d}.keras").exists()
            assert list(pd.read_csv(trial / "history.csv")["epoch"])[:epoch] == list(range(epoch))
    code, out, err = ran["again"]
    assert code == 0, err[-2000:]
    board = pd.read_csv(ran["final"] / "cnn" / "leaderboard.csv")
    for trial in (ran["final"] / "cnn" / "tuner").glob("trial_*"):
        assert list(pd.read_csv(trial / "history.csv")["epoch"]) == [0, 1, 2], trial.name
    columns = ["trial_id", "val_accuracy", "val_loss", "best_epoch"]
    pd.testing.assert_frame_equal(board[columns], unbroken[columns], atol=1e-5)


def test_prepare_stops_in_one_line_when_the_feature_cache_does_not_fit_and_finishes_with_space(sweep_data, tmp_path):
    command = f"-m data_pipeline prepare --data-dir {sweep_data} --workdir {{disk}}/work --min-clips 5"
    ran = scenario(tmp_path, command, 1_500_000)  # the catalog and split fit; the 4 x 30 clips' features do not
    code, out, err = ran["full"]
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, err
    assert err.startswith(f"error: no space left on the disk of {tmp_path / 'disk'}/work/features/")
    split = (ran["after_full"] / "split.csv").read_bytes()
    code, out, err = ran["again"]
    assert code == 0 and "features train: " in out, err
    assert (ran["final"] / "split.csv").read_bytes() == split, "the split is made once"
