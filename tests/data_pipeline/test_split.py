"""The seed's two-stage stratified split, stored once per workdir and reused."""

import shutil

import pandas as pd
import pytest

from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.datasets import class_names, load_split
from data_pipeline.demo.generate import make_demo
from data_pipeline.prepare import prepare
from data_pipeline.split import check_splittable, clips_needed_per_class, split_table, stratified_split
from data_pipeline.workdir import Workdir
from plumbing.errors import DataError, UsageError
from tests.support import prepared_copy

SEED_COUNTS = {  # seed Figure 7: the 14 classes with more than 1,000 clips
    "flute": 3719,
    "Acoustic_Guitar": 3654,
    "Drum_set": 3648,
    "Bass_Guitar": 3613,
    "Accordion": 3581,
    "Banjo": 2998,
    "Trombone": 2965,
    "Mandolin": 2458,
    "Keyboard": 2041,
    "Organ": 1442,
    "Shakers": 1357,
    "Electro_Guitar": 1316,
    "Harmonium": 1314,
    "Horn": 1258,
}
FIGURE_35 = {  # class: (train, val, test)
    "Accordion": (2507, 537, 537),
    "Acoustic_Guitar": (2558, 548, 548),
    "Banjo": (2098, 450, 450),
    "Bass_Guitar": (2529, 542, 542),
    "Drum_set": (2554, 547, 547),
    "Electro_Guitar": (922, 197, 197),
    "Harmonium": (920, 197, 197),
    "Horn": (880, 189, 189),
    "Keyboard": (1429, 306, 306),
    "Mandolin": (1720, 369, 369),
    "Organ": (1010, 216, 216),
    "Shakers": (949, 204, 204),
    "Trombone": (2075, 445, 445),
    "flute": (2603, 558, 558),
    "Total": (24754, 5305, 5305),
}


def test_split_reproduces_seed_figure_35():
    clips = pd.DataFrame(
        [(f"{name}/{i}.wav", name) for name, n in SEED_COUNTS.items() for i in range(n)],
        columns=["path", "class"],
    )
    table = split_table(stratified_split(clips, SplitConfig()))
    for name, counts in FIGURE_35.items():
        assert tuple(table.loc[name, ["Train", "Val", "Test"]]) == counts, name
    assert table.loc["Total", "Total"] == 35364


def test_split_is_stored_once_and_reused(tiny_dataset, prepared):
    before = prepared.split.read_bytes()
    prepare(tiny_dataset, prepared, SplitConfig(min_clips=5, seed=123), FeatureConfig(), echo=lambda _: None)
    assert prepared.split.read_bytes() == before


def test_changed_data_dir_requires_resplit(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    config, quiet = SplitConfig(min_clips=5), (lambda _: None)
    (data / "flute" / "0.wav").unlink()
    with pytest.raises(DataError, match="--resplit"):
        prepare(data, workdir, config, FeatureConfig(), echo=quiet)
    split = prepare(data, workdir, config, FeatureConfig(), resplit=True, echo=quiet)
    assert "flute/0.wav" not in set(split["path"])


def test_clips_needed_per_class_is_seven_for_70_15_15():
    assert clips_needed_per_class(SplitConfig()) == 7


@pytest.mark.parametrize("per_class", [7, 8, 12])
def test_classes_with_enough_clips_split_with_every_class_in_every_split(per_class):
    names = [f"class_{i:02d}" for i in range(28)]
    clips = pd.DataFrame([(f"{n}/{i}.wav", n) for n in names for i in range(per_class)], columns=["path", "class"])
    table = split_table(stratified_split(clips, SplitConfig()))
    assert (table.loc[names, ["Train", "Val", "Test"]] >= 1).all().all()


def test_too_few_clips_per_class_names_the_smallest_and_the_need():
    counts = pd.Series({"Banjo": 6, "Dobro": 5, "flute": 40, "Horn": 6})
    with pytest.raises(DataError) as error:
        check_splittable(counts, SplitConfig())
    message = str(error.value)
    assert "at least 7" in message and "Dobro 5, Banjo 6, Horn 6" in message and "--min-clips 6" in message
    assert "flute" not in message


def test_one_class_is_refused():
    with pytest.raises(DataError, match="only one class is kept \\(flute\\)"):
        check_splittable(pd.Series({"flute": 500}), SplitConfig())


def test_a_split_that_models_trained_on_never_changes(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    config, quiet = SplitConfig(min_clips=5), (lambda _: None)
    (workdir.root / "cnn").mkdir()
    (workdir.root / "cnn" / "experiment.json").write_text('{"kind": "sweep"}')  # a sweep trained on this split
    before = workdir.split.read_bytes()
    (data / "flute" / "0.wav").unlink()
    with pytest.raises(DataError, match=r"new --workdir"):
        prepare(data, workdir, config, FeatureConfig(), echo=quiet)
    with pytest.raises(UsageError, match=r"--resplit: .* holds models trained on its split \(cnn\)"):
        prepare(data, workdir, config, FeatureConfig(), resplit=True, echo=quiet)
    assert workdir.split.read_bytes() == before


def test_a_workdir_refuses_another_data_dir(tiny_dataset, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(tiny_dataset, other)
    workdir = Workdir(tmp_path / "work")
    config, quiet = SplitConfig(min_clips=5), (lambda _: None)
    prepare(tiny_dataset, workdir, config, FeatureConfig(), echo=quiet)
    before = workdir.split.read_bytes()
    with pytest.raises(UsageError, match=r"--data-dir .*other: .* was prepared from .*: pass that, or a new --workdir"):
        prepare(other, workdir, config, FeatureConfig(), echo=quiet)
    assert workdir.split.read_bytes() == before


def test_class_folders_named_like_missing_values_stay_class_names(tmp_path):
    data = tmp_path / "data"
    make_demo(data, 8, "flute,Drum_set,Bass_Guitar", seed=1, synthetic=True)
    for old, new in (("flute", "NA"), ("Drum_set", "null")):
        (data / old).rename(data / new)
    workdir = Workdir(tmp_path / "work")
    prepare(data, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lambda _: None)
    assert class_names(workdir) == ["Bass_Guitar", "NA", "null"]
    train = load_split(workdir, FeatureConfig(), "train")
    assert sorted(set(train.labels)) == [0, 1, 2]
