"""musicnn's weights: set up once from the wheel; missing, damaged or unfetchable ones are one line naming a fix."""

import shutil
import subprocess
import sys

import pytest

from data_pipeline.musicnn.config import MusicnnFeatures
from data_pipeline.musicnn.weights import SETUP, fetch_checkpoint, pretrained_network, set_up, weights_file
from plumbing.errors import DataError
from tests.support import REPO

CONFIG = MusicnnFeatures()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTRUMENT_TUNER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "musicnn"


def test_missing_weights_name_the_command_that_sets_them_up(cache):
    with pytest.raises(DataError) as error:
        pretrained_network(CONFIG)
    assert SETUP in str(error.value) and "\n" not in str(error.value)


def test_damaged_weights_are_one_line_naming_the_file(cache, musicnn_weights):
    weights_file(CONFIG).parent.mkdir(parents=True)
    weights_file(CONFIG).write_bytes(musicnn_weights.read_bytes()[:5000])  # a copy cut short
    with pytest.raises(DataError) as error:
        pretrained_network(CONFIG)
    message = str(error.value)
    assert message.startswith(f"{weights_file(CONFIG)}: damaged weights file") and "\n" not in message


def test_a_failed_download_is_one_line_and_leaves_nothing(cache, monkeypatch):
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # pip finds no wheel anywhere
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    with pytest.raises(DataError) as error:
        fetch_checkpoint(CONFIG)
    assert "pip download musicnn==0.1.0 failed" in str(error.value) and "\n" not in str(error.value)
    assert not (cache / CONFIG.weights).exists()


def test_setup_keeps_the_checkpoint_and_licence_only_and_converts_once(cache, musicnn_weights):
    """From a copy of the checkpoint (no second download): the conversion gives the same weights file."""
    shutil.copytree(musicnn_weights.parent / CONFIG.weights, cache / CONFIG.weights)
    (cache / ".download-killed").mkdir()  # a download killed before it cleaned up: no longer there after the next
    converted = set_up(CONFIG)
    assert converted == weights_file(CONFIG) and converted.read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"
    assert not (cache / ".download-killed").exists()
    stamp = converted.stat().st_mtime_ns
    assert set_up(CONFIG) == converted and converted.stat().st_mtime_ns == stamp  # done: nothing again
    network = pretrained_network(CONFIG)
    assert network.get_layer("tags").get_weights()[1].shape == (50,)


def test_the_set_up_folder_holds_the_checkpoint_the_licence_and_the_converted_weights_only(musicnn_weights):
    folder = musicnn_weights.parent
    kept = sorted(p.name for p in folder.iterdir() if p.name != ".lock")
    assert kept == sorted([CONFIG.weights, "LICENSE.md", musicnn_weights.name]), kept
    assert "Permission to use, copy, modify, and/or distribute" in (folder / "LICENSE.md").read_text()  # ISC
    assert sorted(p.name for p in (folder / CONFIG.weights).iterdir()) == [".data-00000-of-00001", ".index", ".meta"]


def test_the_command_line_sets_up_the_weights(musicnn_weights):
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "musicnn-weights"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == f"musicnn weights: {musicnn_weights}", done.stderr


def test_a_cache_folder_that_cannot_be_written_is_one_line_naming_the_variable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("INSTRUMENT_TUNER_CACHE", str(blocker))
    with pytest.raises(DataError) as error:
        set_up(CONFIG)
    message = str(error.value)
    assert message.startswith(f"{blocker / 'musicnn'}: cannot write") and "INSTRUMENT_TUNER_CACHE" in message
    assert "\n" not in message
