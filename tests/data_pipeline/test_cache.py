"""Features are computed once, reused, and recomputed only for what changed."""

import os
import shutil

import numpy as np
import pandas as pd
import soundfile as sf

from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.datasets import TrainingBatches, class_names, load_split
from data_pipeline.prepare import prepare
from data_pipeline.workdir import Workdir
from tests.support import prepared_copy

QUIET = lambda _: None  # noqa: E731


def run_prepare(data, workdir, config=FeatureConfig()):
    lines = []
    prepare(data, workdir, SplitConfig(min_clips=5), config, echo=lines.append)
    return [line for line in lines if line.startswith("features ")]


def test_rerun_reuses_every_row(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    lines = run_prepare(data, workdir)
    assert all(" 0 computed" in line for line in lines), lines


def test_changed_file_is_recomputed_alone(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    split = pd.read_csv(workdir.split)
    victim = split[split["split"] == "train"]["path"].iloc[3]
    cache = FeatureCache(workdir.feature_dir(FeatureConfig()), FeatureConfig())
    before = np.array(cache.open("train"))
    shutil.copy(data / split[split["split"] == "train"]["path"].iloc[0], data / victim)
    lines = run_prepare(data, workdir)
    assert lines[0].startswith("features train: 1 computed")
    after = np.array(cache.open("train"))
    changed = [i for i in range(len(after)) if not np.array_equal(before[i], after[i])]
    assert changed == [3]
    np.testing.assert_array_equal(after[3], after[0])


def test_touched_file_is_recomputed(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    path = data / pd.read_csv(workdir.split).query("split == 'val'")["path"].iloc[0]
    os.utime(path, ns=(1, 1))
    assert run_prepare(data, workdir)[1].startswith("features val: 1 computed")


def test_feature_constant_change_uses_a_new_cache(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    other = FeatureConfig(num_mels=32)
    lines = run_prepare(data, workdir, other)
    assert " 0 reused" in lines[0]
    assert FeatureCache(workdir.feature_dir(other), other).open("train").shape[1:] == (32, 255, 1)
    assert run_prepare(data, workdir)[0].endswith("0 failed") and " 0 computed" in run_prepare(data, workdir)[0]


def test_interrupted_cache_keeps_finished_rows(tiny_dataset, tmp_path):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    cache = FeatureCache(workdir.feature_dir(FeatureConfig()), FeatureConfig())
    index = cache.read_index("train")
    index.loc[5:, "status"] = "pending"  # as a kill after the first committed batch leaves it
    index.to_csv(cache.index_path("train"), index=False)
    assert run_prepare(data, workdir)[0].startswith(f"features train: {len(index) - 5} computed")


def test_dataset_batches_come_from_the_cache(prepared):
    config = FeatureConfig()
    train = load_split(prepared, config, "train")
    split = pd.read_csv(prepared.split).query("split == 'train'")
    names = class_names(prepared)
    assert list(train.labels) == [names.index(c) for c in split["class"]]
    seen = []
    for x, y in TrainingBatches(train, batch_size=8).epoch(0):
        assert x.shape[1:] == (64, 255, 1) and x.dtype == "float32"
        for features, label in zip(x, y, strict=True):
            row = int(np.flatnonzero((train.features == features).all(axis=(1, 2, 3)))[0])
            assert train.labels[row] == label
            seen.append(row)
    assert sorted(seen) == list(range(len(train)))


def test_training_order_is_a_function_of_seed_and_epoch_alone(prepared):
    train = load_split(prepared, FeatureConfig(), "train")

    def labels_of(batches, epoch: int) -> list[int]:
        return [int(v) for _, y in batches.epoch(epoch) for v in y]

    batches = TrainingBatches(train, batch_size=4, seed=42)
    first, second, first_again = labels_of(batches, 0), labels_of(batches, 1), labels_of(batches, 0)
    assert sorted(first) == sorted(second) and first != second  # reshuffled every epoch
    assert first_again == first  # whatever was read before
    assert labels_of(TrainingBatches(train, batch_size=4, seed=42), 1) == second  # a new process, the same order
    assert labels_of(TrainingBatches(train, batch_size=4, seed=7), 1) != second


def test_a_clip_with_nan_or_inf_samples_is_skipped_with_its_reason_and_never_cached(tiny_dataset, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(tiny_dataset, data)
    for name, bad in (("nan.wav", np.nan), ("inf.wav", np.inf)):
        samples = np.full(22050, 0.1, np.float32)
        samples[100] = bad
        sf.write(data / "flute" / name, samples, 22050, subtype="FLOAT")
    workdir = Workdir(tmp_path / "work")
    lines = []
    prepare(data, workdir, SplitConfig(min_clips=5), FeatureConfig(), echo=lines.append)
    config = FeatureConfig()
    cache = FeatureCache(workdir.feature_dir(config), config)
    index = pd.concat([cache.read_index(split) for split in ("train", "val", "test")])
    failed = index[index["path"].str.endswith(("nan.wav", "inf.wav"))]
    assert len(failed) == 2 and set(failed["status"]) == {"failed"}
    assert failed["reason"].str.contains("non-finite samples").all()
    for split in ("train", "val", "test"):
        loaded = load_split(workdir, config, split)
        assert np.isfinite(loaded.features).all()
        assert not any(path.endswith(("nan.wav", "inf.wav")) for path in loaded.paths)
