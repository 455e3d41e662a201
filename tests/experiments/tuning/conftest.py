"""Fixtures of the sweep tests: a small BiGRU space file."""

import json

import pytest


@pytest.fixture(scope="session")
def two_points(tmp_path_factory):
    """A BiGRU space of two points."""
    space = tmp_path_factory.mktemp("space") / "two.json"
    space.write_text(json.dumps({"gru_units": ["4-4", "8-8"], "learning_rate": [0.003]}))
    return space
