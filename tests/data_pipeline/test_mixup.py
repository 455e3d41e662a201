"""Mixup of training batches: clips mixed in power with their labels, the same draws on a resumed epoch."""

import numpy as np

from data_pipeline.datasets import SplitData, TrainingBatches
from data_pipeline.mixup import mix_batch


def test_each_clip_is_mixed_in_power_with_one_partner_and_its_label_alike():
    levels = np.arange(8, dtype=np.float32)  # clip i is a flat log-power of i, label i
    features = np.broadcast_to(levels[:, None, None, None], (8, 4, 5, 1)).copy()
    mixed, soft = mix_batch(features, np.arange(8), np.random.default_rng(0), 0.4, 8)
    assert mixed.shape == features.shape and soft.shape == (8, 8)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-6)
    mixed_with_another = 0
    for i in range(8):
        others = [j for j in np.flatnonzero(soft[i] > 0) if j != i]
        weight = soft[i, i]
        partner = others[0] if others else i
        expected = np.log(weight * np.exp(levels[i]) + (1 - weight) * np.exp(levels[partner]))
        np.testing.assert_allclose(mixed[i], expected, rtol=1e-5)
        mixed_with_another += bool(others) and 0.05 < weight < 0.95
    assert mixed_with_another >= 2


def batches_of(batches: TrainingBatches, first: int, stop: int) -> list[tuple[np.ndarray, np.ndarray]]:
    return [batch for epoch in range(first, stop) for batch in batches.epoch(epoch)]


def test_mixed_batches_depend_on_seed_epoch_and_batch_alone():
    rng = np.random.default_rng(1)
    data = SplitData(
        rng.normal(-4, 2, (20, 6, 7, 1)).astype("float32"), (np.arange(20) % 4).astype("int32"), np.array([""] * 20)
    )
    plain = TrainingBatches(data, batch_size=8, seed=42)
    mixed = plain.with_mixup(0.3, 4)
    unbroken = batches_of(mixed, 0, 3)
    resumed = batches_of(mixed, 2, 3)  # a trial resumed at epoch 2
    assert len(unbroken) == 3 * mixed.steps_per_epoch
    for (x, y), (x2, y2) in zip(unbroken[-mixed.steps_per_epoch :], resumed, strict=True):
        np.testing.assert_array_equal(x, x2)
        np.testing.assert_array_equal(y, y2)
    assert unbroken[0][1].shape == (8, 4) and batches_of(plain, 0, 1)[0][1].shape == (8,)
    assert not np.array_equal(unbroken[0][0], batches_of(plain, 0, 1)[0][0])
