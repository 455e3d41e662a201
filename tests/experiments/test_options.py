"""The training scripts' command lines: bad values are refused at parse time, naming the flag."""

import subprocess
import sys

from experiments.options import parse_launch
from tests.support import REPO


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
