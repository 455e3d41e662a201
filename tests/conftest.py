"""Shared fixtures, built once per session: tiny synthetic datasets, a prepared workdir, a killed halving sweep."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import signal  # noqa: E402

# A test run started in the background of a script ignores SIGINT (POSIX), and so would every command it starts: the
# Ctrl-C tests would then test nothing. A Python handler here is reset to the default in each command started.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import random  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from data_pipeline.config import FeatureConfig, SplitConfig  # noqa: E402
from data_pipeline.demo.generate import make_demo  # noqa: E402
from data_pipeline.eda import write_eda_figures  # noqa: E402
from data_pipeline.prepare import prepare  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402
from tests.support import HALVING_ARGS, Run, point_epoch, wait_for  # noqa: E402

pytest_plugins = ("tests.units",)  # the units of work of two test processes

TINY_CLASSES = "flute,Drum_set,Bass_Guitar,Shakers"
TINY_PER_CLASS = 16


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory) -> Path:
    """4 classes x 16 synthetic clips in the Kaggle layout."""
    out = tmp_path_factory.mktemp("data") / "tiny"
    make_demo(out, TINY_PER_CLASS, TINY_CLASSES, seed=7, synthetic=True)
    return out


@pytest.fixture(scope="session")
def musicnn_weights() -> Path:
    """musicnn's converted weights, set up once (set-up fetches them; without them this fetches them now)."""
    from data_pipeline.musicnn.config import MusicnnFeatures
    from data_pipeline.musicnn.weights import set_up

    return set_up(MusicnnFeatures())


@pytest.fixture(scope="session")
def prepared(tiny_dataset, tmp_path_factory) -> Workdir:
    """A workdir prepared from the tiny dataset (threshold 5 clips)."""
    workdir = Workdir(tmp_path_factory.mktemp("work"))
    prepare(tiny_dataset, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lambda _: None)
    return workdir


@pytest.fixture(scope="session")
def sweep_data(tmp_path_factory) -> Path:
    """4 classes x 30 synthetic clips: epochs long enough to be killed in the middle."""
    out = tmp_path_factory.mktemp("sweepdata") / "clips"
    make_demo(out, 30, "flute,Drum_set,Bass_Guitar,Shakers", seed=3, synthetic=True)
    return out


@pytest.fixture(scope="session")
def eda_figures(sweep_data, tmp_path_factory) -> list[Path]:
    """The EDA figures of the sweep dataset, written once (the EDA test and the report's image links)."""
    return write_eda_figures(sweep_data, tmp_path_factory.mktemp("eda") / "eda", FeatureConfig())


@pytest.fixture(scope="session")
def killed_halving(sweep_data, tmp_path_factory):
    """Killed mid-first-rung, around the first promotion and in the last rung (random delays), then finished."""
    root = tmp_path_factory.mktemp("halving")
    workdir = root / "work"
    args = ["--data-dir", str(sweep_data), "--workdir", str(workdir), "--tb-logs", str(root / "tb"), *HALVING_ARGS]
    moments = random.Random(11)
    milestones = [
        ("point 1 trained an epoch", lambda: point_epoch(workdir, 1) >= 1),
        ("the first rung done", lambda: sum(point_epoch(workdir, p) >= 1 for p in range(4)) == 4),
        ("a point past the second rung", lambda: any(point_epoch(workdir, p) >= 3 for p in range(4))),
    ]
    runs = []
    for what, reached in milestones:
        runs.append(Run("search_cnn.py", *args, log=root / f"run{len(runs)}.log"))
        wait_for(reached, what=what, run=runs[-1])
        time.sleep(moments.uniform(0.0, 2.0))
        runs[-1].kill(signal.SIGKILL)
    runs.append(Run("search_cnn.py", *args, log=root / f"run{len(runs)}.log"))
    assert runs[-1].wait() == 0, runs[-1].output
    return {"workdir": workdir, "args": args, "outputs": [r.output for r in runs]}


@pytest.fixture(scope="session")
def trained_model(killed_halving) -> Path:
    """A sweep's saved best model (quick CNN, 4 classes), its card inside it and beside it."""
    return killed_halving["workdir"] / "cnn" / "best_model.keras"
