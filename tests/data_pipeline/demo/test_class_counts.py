"""`demo --counts kaggle --scale S`: the Kaggle set's imbalance, scaled down, rendered; bad flags are one line."""

import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from data_pipeline.cli import main
from data_pipeline.config import SplitConfig
from data_pipeline.demo.class_counts import KAGGLE, MIN_SCALED_CLIPS
from data_pipeline.demo.generate import CLIPS_LIST
from data_pipeline.demo.instruments import INSTRUMENTS
from data_pipeline.split import stratified_split
from tests.support import REPO

SEED_STUDY = REPO.parent / "shared" / "seed" / "000_d53ed674f6111fea.txt"


def test_the_kaggle_counts_are_the_seeds_figure_5_in_the_demos_class_order():
    assert [name for name, _ in KAGGLE.counts] == [inst.name for inst in INSTRUMENTS]
    assert sum(count for _, count in KAGGLE.counts) == 42_311


@pytest.mark.skipif(not SEED_STUDY.exists(), reason="the seed study is not beside the repository")
def test_the_kaggle_counts_match_the_seed_studys_table():
    table = SEED_STUDY.read_text().split("display(df_counts)")[1].split("Figure 5")[0]
    rows = re.findall(r"^\d+\t(\S+)\t(\d+)$", table, re.MULTILINE)
    assert [(name, int(count)) for name, count in rows] == list(KAGGLE.counts)


def test_scaled_counts_round_half_up_and_keep_a_clip_for_every_split():
    counts = KAGGLE.scaled(0.05, [name for name, _ in KAGGLE.counts])
    assert counts["flute"] == 186 and counts["Cymbals"] == 10 and counts["Harmonica"] == 7  # 185.95, 10.4, 6.55
    assert KAGGLE.scaled(0.5, ["Harmonica", "Cymbals"]) == {"Harmonica": 66, "Cymbals": 104}  # 65.5 rounds up
    tiny = KAGGLE.scaled(1e-6, ["flute", "Harmonica"])
    assert tiny == {"flute": MIN_SCALED_CLIPS, "Harmonica": MIN_SCALED_CLIPS}
    clips = pd.DataFrame(
        [{"path": f"{name}/{i}.wav", "class": name} for name, count in tiny.items() for i in range(count)]
    )
    split = stratified_split(clips, SplitConfig(min_clips=0))
    assert (pd.crosstab(split["class"], split["split"]) > 0).all().all()


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_the_demo_renders_each_class_with_its_scaled_kaggle_count(tmp_path):
    out = tmp_path / "imbalanced"
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "demo", "--out", str(out), "--counts", "kaggle", "--scale", "0.003"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = {name: max(MIN_SCALED_CLIPS, round(count * 0.003)) for name, count in KAGGLE.counts}
    assert expected["flute"] == 11 and expected["Banjo"] == 9 and expected["Harmonica"] == 7
    assert done.stdout.strip() == f"demo dataset: 28 classes of kaggle counts, {sum(expected.values())} clips in {out}"
    found = {
        folder.name: sorted(int(p.stem) for p in folder.glob("*.wav")) for folder in out.iterdir() if folder.is_dir()
    }
    assert found == {name: list(range(count)) for name, count in expected.items()}
    for path in (out / "flute" / "10.wav", out / "Harmonica" / "6.wav"):
        audio, rate = sf.read(path)
        assert rate == 22050 and len(audio) == 66150 and np.sqrt(np.mean(audio**2)) > 0.005
    assert pd.read_csv(out / CLIPS_LIST)["class"].value_counts().to_dict() == expected


def one_error_line(capsys, *args: str) -> str:
    code = main(["demo", *args])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
    return lines[0]


def test_counts_with_per_class_or_scale_without_counts_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = str(tmp_path / "d")
    both = one_error_line(capsys, "--out", out, "--synthetic", "--counts", "kaggle", "--per-class", "3")
    assert both == "error: --counts and --per-class: each sets how many clips a class gets; pass one"
    alone = one_error_line(capsys, "--out", out, "--synthetic", "--scale", "0.1")
    assert alone.startswith("error: --scale scales the counts of --counts")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("scale", ["0", "-0.05", "nan", "1.5", "inf", "a lot"])
def test_a_scale_outside_0_to_1_is_refused_naming_scale(scale, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--out", str(tmp_path / "d"), "--synthetic", "--counts", "kaggle", "--scale", scale])
    assert stopped.value.code == 2
    assert re.search(r"error: argument --scale: .* (is not in \(0, 1\]|is not a number)$", capsys.readouterr().err)
    assert not (tmp_path / "d").exists()
