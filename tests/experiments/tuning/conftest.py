"""Fixtures of the sweep tests: a small BiGRU space file, and a finished sweep of its own process."""

import json

import pytest

from tests.support import run_listing_modules, sweep_args


@pytest.fixture(scope="session")
def two_points(tmp_path_factory):
    """A BiGRU space of two points."""
    space = tmp_path_factory.mktemp("space") / "two.json"
    space.write_text(json.dumps({"gru_units": ["4-4", "8-8"], "learning_rate": [0.003]}))
    return space


@pytest.fixture(scope="session")
def finished_sweep(tiny_dataset, tmp_path_factory) -> dict:
    """A quick CNN sweep of one epoch per point, run to its end and evaluated by `search_cnn.py` in a process of its
    own: its workdir, and the project's modules that process had loaded at its end."""
    root = tmp_path_factory.mktemp("finished")
    args = sweep_args(tiny_dataset, root / "work", root / "tb", "--max-epochs", "1")
    done, loaded = run_listing_modules("experiments/search_cnn.py", *args)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    modules = sorted(m for m in loaded if m.split(".")[0] in {"experiments", "data_pipeline"})
    return {"workdir": root / "work", "modules": modules}
