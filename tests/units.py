"""Two test processes side by side (pytest-xdist, `scripts/test.sh`): the units of work they are handed. Each module
is a unit, merged with the modules that share a session sweep, so that each sweep runs once; slow units go first."""

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

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
