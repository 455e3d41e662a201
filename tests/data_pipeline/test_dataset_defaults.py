"""The demo dataset is told by path identity, so its class threshold holds however its path is spelled."""

import pytest

from data_pipeline.cli import prepare_inputs
from data_pipeline.dataset_defaults import DEMO_DIR, DEMO_MIN_CLIPS, SEED_MIN_CLIPS, default_min_clips, is_demo_dir
from data_pipeline.workdir import Workdir
from plumbing.errors import UsageError


@pytest.fixture
def in_project(tmp_path, monkeypatch):
    """A working directory holding the demo's folder and another dataset."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / DEMO_DIR).mkdir(parents=True)
    (tmp_path / "kaggle").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / DEMO_DIR)
    return tmp_path


def test_the_demo_folder_is_the_demo_however_spelled(in_project):
    spellings = [DEMO_DIR, in_project / DEMO_DIR, in_project / "data" / ".." / DEMO_DIR, in_project / "link"]
    assert [is_demo_dir(path) for path in spellings] == [True] * 4
    assert not is_demo_dir(in_project / "kaggle") and not is_demo_dir(in_project / "missing")


def test_prepare_gives_the_demo_its_threshold_and_any_other_folder_the_seeds(in_project):
    workdir = Workdir(in_project / "w")
    _, demo = prepare_inputs(workdir, (in_project / DEMO_DIR).resolve(), None, None)
    _, kaggle = prepare_inputs(workdir, in_project / "kaggle", None, None)
    _, told = prepare_inputs(workdir, in_project / "kaggle", 0, 7)
    assert (demo.min_clips, kaggle.min_clips, told.min_clips, told.seed) == (DEMO_MIN_CLIPS, SEED_MIN_CLIPS, 0, 7)
    assert default_min_clips({"min_clips": 5}, in_project / DEMO_DIR) == 5, "a prepared workdir keeps its own"


def test_prepare_without_data_dir_needs_a_prepared_workdir(in_project):
    with pytest.raises(UsageError, match=r"--data-dir: .*w was never prepared: pass the class-per-folder data dir"):
        prepare_inputs(Workdir(in_project / "w"), None, None, None)
