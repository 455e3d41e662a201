"""Demo datasets: the Kaggle layout and format, every clip different, deterministic for a seed."""

import hashlib
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from data_pipeline.demo.generate import make_demo
from data_pipeline.demo.instruments import INSTRUMENTS, SEED_CLASSES, select_instruments

HAS_FLUIDSYNTH = shutil.which("fluidsynth") is not None


def check_layout(root, classes, per_class):
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted(classes)
    digests = set()
    for name in classes:
        files = sorted((root / name).iterdir(), key=lambda p: int(p.stem))
        assert [p.name for p in files] == [f"{i}.wav" for i in range(per_class)]
        for path in files:
            info = sf.info(path)
            assert (info.samplerate, info.channels, info.frames, info.subtype) == (22050, 1, 66150, "PCM_16")
            audio, _ = sf.read(path)
            assert np.sqrt(np.mean(audio**2)) > 0.005, f"{path} is silent"
            digests.add(hashlib.sha256(audio.tobytes()).hexdigest())
    assert len(digests) == len(classes) * per_class, "two clips are identical"


def tree_digest(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.wav"))}


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_soundfont_demo_has_the_kaggle_format_for_all_28_classes(tmp_path):
    names = make_demo(tmp_path / "demo", 3, "28", seed=1)
    assert len(names) == 28
    check_layout(tmp_path / "demo", names, 3)


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_soundfont_demo_is_deterministic_for_a_seed(tmp_path):
    make_demo(tmp_path / "a", 2, "Banjo,Drum_set,Dobro", seed=5)
    make_demo(tmp_path / "b", 2, "Banjo,Drum_set,Dobro", seed=5)
    make_demo(tmp_path / "c", 2, "Banjo,Drum_set,Dobro", seed=6)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


def test_synthetic_demo_has_the_kaggle_format(tmp_path):
    make_demo(tmp_path / "s", 4, "14", seed=3, synthetic=True)
    check_layout(tmp_path / "s", SEED_CLASSES, 4)


def test_class_selection_uses_the_seed_names():
    assert len(INSTRUMENTS) == 28 and len(SEED_CLASSES) == 14
    assert [i.name for i in select_instruments("Ukulele,flute")] == ["Ukulele", "flute"]


def test_missing_fluidsynth_is_one_line_naming_the_package(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "demo", "--out", str(tmp_path / "d"), "--per-class", "1"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "fluidsynth" in lines[0] and "--synthetic" in lines[0]


def test_demo_refuses_to_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "demo", "--out", str(tmp_path / "mine"), "--synthetic"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "--out" in done.stderr
    assert (tmp_path / "mine" / "thesis.txt").exists()
