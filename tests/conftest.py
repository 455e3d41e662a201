"""Shared fixtures, built once per session: tiny synthetic datasets, a prepared workdir, a killed halving sweep."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import signal  # noqa: E402

# A test run started in the background of a script ignores SIGINT (POSIX), and so would every command it starts: the
# Ctrl-C tests would then test nothing. A Python handler here is reset to the default in each command started.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import functools  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from data_pipeline.config import FeatureConfig, SplitConfig  # noqa: E402
from data_pipeline.demo.generate import make_demo  # noqa: E402
from data_pipeline.eda import write_eda_figures  # noqa: E402
from data_pipeline.prepare import prepare  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402
from tests.support import HALVING_ARGS, Run, point_epoch, wait_for  # noqa: E402

TINY_CLASSES = "flute,Drum_set,Bass_Guitar,Shakers"
TINY_PER_CLASS = 16
# Session fixtures that run real sweeps. With two test processes (`scripts/test.sh`, pytest-xdist), the modules using
# one of them are one unit of work, so that each sweep runs once.
SHARED_RUNS = ("killed_halving", "finished_sweep", "eda_figures")
UNITS_FILE = "INSTRUMENT_TUNER_TEST_UNITS"  # environment: where the test processes tell the scheduler the units


def pytest_configure(config) -> None:
    """The first process (under pytest-xdist it hands out work) names a file for the units its test processes write."""
    if not hasattr(config, "workerinput"):
        os.environ[UNITS_FILE] = str(Path(tempfile.mkdtemp(prefix="test-units-")) / "units.json")


def pytest_unconfigure(config) -> None:
    if not hasattr(config, "workerinput") and UNITS_FILE in os.environ:
        shutil.rmtree(Path(os.environ.pop(UNITS_FILE)).parent, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """In a test process: each module is a unit, merged with the modules that share a run of `SHARED_RUNS`, written for
    the scheduler; the units holding slow tests go first, so that quick ones fill the end and both processes finish
    together."""
    if not hasattr(config, "workerinput"):
        return
    unit = {str(item.path): str(item.path) for item in items}

    def root(path: str) -> str:
        while unit[path] != path:
            path = unit[path]
        return path

    first_user: dict[str, str] = {}
    for item in items:
        for fixture in set(item.fixturenames) & set(SHARED_RUNS):
            unit[root(str(item.path))] = root(first_user.setdefault(fixture, str(item.path)))
    module_units = {item.nodeid.split("::")[0]: root(str(item.path)) for item in items}
    written = Path(os.environ[UNITS_FILE])
    partial = written.with_suffix(f".{config.workerinput['workerid']}")
    partial.write_text(json.dumps(module_units))
    partial.replace(written)  # both processes write the same units
    slow = {root(str(item.path)) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: root(str(item.path)) not in slow)  # stable: the order within a unit is kept


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist hands out whole units (modules, merged where they share a run) in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class SharedRunScheduling(LoadScopeScheduling):
        @functools.cached_property
        def units(self) -> dict[str, str]:
            return json.loads(Path(os.environ[UNITS_FILE]).read_text())

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return self.units.get(module, module)

    return SharedRunScheduling(config, log)


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory) -> Path:
    """4 classes x 16 synthetic clips in the Kaggle layout."""
    out = tmp_path_factory.mktemp("data") / "tiny"
    make_demo(out, TINY_PER_CLASS, TINY_CLASSES, seed=7, synthetic=True)
    return out


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
    """A sweep's saved best model (quick CNN, 4 classes) with its card beside it."""
    return killed_halving["workdir"] / "cnn" / "best_model.keras"
