"""The musicnn family through what knows no family: a sampled search with halving, a chief with workers, JAX."""

import json
import os

import pandas as pd
import pytest

from tests.support import LEASE_ARGS, free_port, run_checked, run_listing_modules

pytestmark = pytest.mark.slow


def test_the_sweep_on_jax_without_tensorflow(tiny_dataset, musicnn_weights, tmp_path):
    args = ["--data-dir", tiny_dataset, "--workdir", tmp_path / "jax", "--tb-logs", tmp_path / "tb", "--min-clips", 5]
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONUNBUFFERED": "1"}
    done, loaded = run_listing_modules(
        "experiments/search_musicnn.py", *args, "--space", "quick", "--max-epochs", "2", env=env
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "jax" in loaded and "tensorflow" not in loaded
    assert (tmp_path / "jax" / "musicnn" / "test_metrics.json").is_file()


def test_a_sampled_search_with_halving_and_a_chief_with_workers(tiny_dataset, musicnn_weights, tmp_path):
    """The family through the other searches, the scheduler and the cluster: nothing in them knows the family."""
    space = tmp_path / "ranges.json"
    space.write_text(json.dumps({"embedding": ["pooled", "penultimate"], "learning_rate": {"min": 1e-4, "max": 1e-2}}))
    common = ["--data-dir", tiny_dataset, "--min-clips", 5, "--tb-logs", tmp_path / "tb", "--batch-size", 8]
    sampled = [*common, "--workdir", tmp_path / "tpe", "--space", space, "--search", "tpe", "--max-trials", 4]
    run_checked("experiments/search_musicnn.py", *sampled, "--scheduler", "halving", "--eta", 2, "--max-epochs", 4)
    board = pd.read_csv(tmp_path / "tpe" / "musicnn" / "leaderboard.csv")
    assert len(board) == 4 and "COMPLETED" in set(board["status"]) and "PRUNED" in set(board["status"]), board
    cluster = [*common, "--workdir", tmp_path / "cluster", "--space", "quick", "--max-epochs", 2, *LEASE_ARGS]
    done = run_checked("experiments/launch.py", "musicnn", "--workers", 2, "--port", free_port(), *cluster)
    board = pd.read_csv(tmp_path / "cluster" / "musicnn" / "leaderboard.csv")
    assert len(board) == 2 and set(board["status"]) == {"COMPLETED"}, done.stdout[-2000:]
    assert (tmp_path / "cluster" / "musicnn" / "test_metrics.json").is_file()
