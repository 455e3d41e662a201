"""musicnn embeddings in the feature cache: one row per clip, computed once in a folder of their own, kill-safe."""

import numpy as np

from data_pipeline.audio import load_clip
from data_pipeline.cache import FeatureCache
from data_pipeline.config import FeatureConfig, SplitConfig
from data_pipeline.datasets import load_split
from data_pipeline.musicnn.config import EMBEDDING_WIDTH, MusicnnFeatures
from data_pipeline.prepare import prepare
from tests.support import prepared_copy

CONFIG = MusicnnFeatures()


def run_prepare(data, workdir) -> list[str]:
    lines = []
    prepare(data, workdir, SplitConfig(min_clips=5), CONFIG, echo=lines.append)
    return [line for line in lines if line.startswith("features ")]


def test_rows_are_each_clips_embedding_beside_the_log_mel_cache(tiny_dataset, tmp_path, musicnn_weights):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    split_before = workdir.split.read_bytes()
    first = run_prepare(data, workdir)
    assert all(" 0 reused" in line and " 0 failed" in line for line in first), first
    assert workdir.feature_dir(CONFIG) != workdir.feature_dir(FeatureConfig())
    assert workdir.split.read_bytes() == split_before  # the split is the workdir's, whatever the features
    val = load_split(workdir, CONFIG, "val")
    assert val.features.shape == (len(val), EMBEDDING_WIDTH)
    clips = np.stack([load_clip(data / path, CONFIG) for path in val.paths[:4]])
    np.testing.assert_allclose(val.features[:4], CONFIG.extractor()(clips), atol=1e-5)
    assert all(" 0 computed" in line for line in run_prepare(data, workdir))  # computed once


def test_a_killed_extraction_keeps_its_finished_rows(tiny_dataset, tmp_path, musicnn_weights):
    data, workdir = prepared_copy(tiny_dataset, tmp_path)
    run_prepare(data, workdir)
    cache = FeatureCache(workdir.feature_dir(CONFIG), CONFIG)
    whole = np.array(cache.open("train"))
    index = cache.read_index("train")
    index.loc[5:, "status"] = "pending"  # as a kill after the first committed batch leaves it
    index.to_csv(cache.index_path("train"), index=False)
    rows = np.load(cache.array_path("train"), mmap_mode="r+")
    rows[5:] = np.nan  # what the kill left unwritten
    rows.flush()
    del rows
    assert run_prepare(data, workdir)[0].startswith(f"features train: {len(index) - 5} computed, 5 reused")
    np.testing.assert_allclose(cache.open("train"), whole, atol=1e-5)  # batches of other clips: round-off only
