"""Shared fixtures: a tiny synthetic dataset and a prepared workdir, built once per session."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from data_pipeline.config import FeatureConfig, SplitConfig  # noqa: E402
from data_pipeline.demo.generate import make_demo  # noqa: E402
from data_pipeline.prepare import prepare  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402

TINY_CLASSES = "flute,Drum_set,Bass_Guitar,Shakers"
TINY_PER_CLASS = 16


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
