"""Scanning real files on disk: every bad file is reported with a reason, none is fatal."""

import os
import shutil
import struct

import numpy as np
import pytest
import soundfile as sf

from data_pipeline.catalog import class_counts, scan_dataset
from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.datasets import load_split
from data_pipeline.prepare import prepare
from data_pipeline.split import SPLITS
from data_pipeline.workdir import Workdir
from plumbing.csv_files import read_csv
from plumbing.file_names import file_at


def write_tone(path, rate=22050, seconds=3.0, channels=1, subtype="PCM_16"):
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    sf.write(path, np.stack([tone] * channels, axis=1), rate, subtype=subtype)


def unknown_codec_wav(path):
    """A well-formed RIFF/WAVE whose format tag (0x1234) no decoder supports."""
    data = b"\x00" * 400
    fmt = struct.pack("<HHIIHH", 0x1234, 1, 22050, 44100, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


@pytest.fixture
def messy_dataset(tmp_path):
    """Two classes of good clips plus one of every kind of bad file."""
    root = tmp_path / "data"
    for name in ("Banjo", "Organ"):
        (root / name).mkdir(parents=True)
        for i in range(8):
            write_tone(root / name / f"{i}.wav")
    bad = root / "Banjo"
    (bad / "empty.wav").write_bytes(b"")
    write_tone(bad / "cut.wav")
    (bad / "cut.wav").write_bytes((bad / "cut.wav").read_bytes()[:5000])
    (bad / "noise.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk" + os.urandom(300))
    (bad / "notes.wav").write_text("this is a text file, not audio\n")
    (bad / "folder.wav").mkdir()
    (bad / "link.wav").symlink_to(tmp_path / "missing.wav")
    unknown_codec_wav(bad / "codec.wav")
    write_tone(bad / "LOUD.WAV")
    (bad / "readme.txt").write_text("not a clip")
    return root


EXPECTED_REASONS = {
    "Banjo/empty.wav": "empty file",
    "Banjo/cut.wav": "truncated",
    "Banjo/noise.wav": "not decodable",
    "Banjo/notes.wav": "not decodable",
    "Banjo/folder.wav": "is a folder",
    "Banjo/link.wav": "not decodable",
    "Banjo/codec.wav": "not decodable",
}


def test_each_bad_file_is_listed_with_its_reason(messy_dataset):
    catalog = scan_dataset(messy_dataset).set_index("path")
    for path, reason in EXPECTED_REASONS.items():
        assert catalog.at[path, "status"] == "unreadable", path
        assert reason in catalog.at[path, "reason"], (path, catalog.at[path, "reason"])
    assert "Banjo/readme.txt" not in catalog.index
    assert catalog.at["Banjo/LOUD.WAV", "status"] == "ok"
    assert (catalog.drop(index=list(EXPECTED_REASONS))["status"] == "ok").all()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_permissions_are_reported(messy_dataset):
    locked = messy_dataset / "Organ" / "locked.wav"
    write_tone(locked)
    locked.chmod(0)
    catalog = scan_dataset(messy_dataset).set_index("path")
    assert catalog.at["Organ/locked.wav", "reason"] == "permission denied"


def test_prepare_survives_bad_files_and_excludes_them(messy_dataset, tmp_path):
    workdir = Workdir(tmp_path / "work")
    lines = []
    split = prepare(messy_dataset, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lines.append)
    assert len(split) == 17  # 8 + 8 good clips and LOUD.WAV
    assert not set(EXPECTED_REASONS) & set(split["path"])
    printed = "\n".join(lines)
    for path in EXPECTED_REASONS:
        assert f"unreadable: {path}" in printed


def test_class_counts_keep_only_classes_strictly_above_threshold(messy_dataset):
    counts = class_counts(scan_dataset(messy_dataset), min_clips=8).set_index("class")
    assert counts.at["Banjo", "clips"] == 9 and counts.at["Banjo", "kept"]
    assert counts.at["Organ", "clips"] == 8 and not counts.at["Organ", "kept"]
    assert counts.at["Banjo", "unreadable"] == len(EXPECTED_REASONS)


def test_a_file_name_that_is_not_utf8_is_a_clip_stored_escaped_that_maps_back_to_its_file(tiny_dataset, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(tiny_dataset, data)
    odd = data / "flute" / os.fsdecode(b"clip\xff.wav")
    odd.write_bytes((data / "flute" / "0.wav").read_bytes())  # the same audio as flute/0.wav
    workdir = Workdir(tmp_path / "work")
    lines = []
    prepare(data, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lines.append)
    assert not [line for line in lines if line.startswith("unreadable:")]
    split = read_csv(workdir.split)
    assert "flute/clip\\xff.wav" in set(split["path"])
    assert file_at(data, "flute/clip\\xff.wav") == odd and odd.exists()
    features = {}
    for name in SPLITS:
        rows = load_split(workdir, FeatureConfig(), name)
        features.update(zip(rows.paths, rows.features, strict=True))
    np.testing.assert_array_equal(features["flute/clip\\xff.wav"], features["flute/0.wav"])
