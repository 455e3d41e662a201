"""`--class-weight` and the `class_weight` space key: the sweep's training loss weighs clips as the training split's
counts say, a resume with another weighting is refused, and bad values are one line."""

import json

import keras
import keras_tuner as kt
import numpy as np
import pandas as pd
import pytest

from data_pipeline.config import FeatureConfig
from data_pipeline.datasets import load_split
from data_pipeline.demo.generate import make_demo
from data_pipeline.workdir import Workdir
from experiments.tuning.space_files import load_space
from hypermodels.bigru import BiGRUHyperModel
from tests.support import sweep_args, sweep_output

pytestmark = pytest.mark.slow

CLIPS = {"flute": 24, "Drum_set": 12, "Bass_Guitar": 8, "Shakers": 8}
ONE_STEP = ("--max-epochs", "1", "--patience", "1", "--batch-size", "1000")  # the whole split in one step


@pytest.fixture(scope="module")
def imbalanced(tmp_path_factory):
    """A synthetic dataset of 24, 12, 8 and 8 clips, and a BiGRU space without dropout (training loss = inference
    loss) that searches class_weight."""
    root = tmp_path_factory.mktemp("imbalanced")
    make_demo(root / "clips", CLIPS, ",".join(CLIPS), seed=4, synthetic=True)
    space = root / "weights.json"
    space.write_text(json.dumps({"gru_units": ["4-4"], "class_weight": ["none", "balanced"]}))
    return root / "clips", space


def first_losses(workdir, family="rnn") -> dict[str, float]:
    """Each trial's training loss of its one epoch, by its class_weight (`flag` when the space has none)."""
    board = pd.read_csv(workdir / family / "leaderboard.csv")
    weighting = board["class_weight"] if "class_weight" in board else ["flag"] * len(board)
    return {
        w: pd.read_csv(workdir / family / "tuner" / f"trial_{t}" / "history.csv")["loss"].iloc[0]
        for w, t in zip(weighting, board["trial_id"], strict=True)
    }


def initial_losses(workdir, space) -> np.ndarray:
    """Each training clip's cross-entropy under the weights every trial starts from (seed 42)."""
    train = load_split(Workdir(workdir), FeatureConfig(), "train")
    keras.backend.clear_session()
    keras.utils.set_random_seed(42)
    model = BiGRUHyperModel(num_classes=len(CLIPS), space=load_space(str(space), "rnn")).build(kt.HyperParameters())
    probs = model.predict(np.asarray(train.features), verbose=0)
    return keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(train.labels, probs)), train.labels


def test_balanced_weights_from_the_training_split_reach_the_loss_of_every_trial(imbalanced, tmp_path, capsys):
    data, space = imbalanced
    code, _, err = sweep_output(
        "rnn", sweep_args(data, tmp_path / "w", tmp_path / "tb", "--space", space, *ONE_STEP), capsys
    )
    assert code == 0, err
    per_clip, labels = initial_losses(tmp_path / "w", space)
    counts = np.bincount(labels)
    assert list(counts) == [6, 8, 6, 16]  # Bass_Guitar, Drum_set, Shakers, flute: 70% of 8, 12, 8, 24
    weight = len(labels) / (len(counts) * counts)  # n / (k * n_c), independently of scikit-learn
    searched = first_losses(tmp_path / "w")
    assert searched["none"] == pytest.approx(per_clip.mean(), rel=1e-4)
    assert searched["balanced"] == pytest.approx((weight[labels] * per_clip).mean(), rel=1e-4)

    plain = space.with_name("plain.json")
    plain.write_text(json.dumps({"gru_units": ["4-4"]}))
    args = sweep_args(data, tmp_path / "weighted", tmp_path / "tb", "--space", plain, "--class-weight", "balanced")
    code, _, err = sweep_output("rnn", [*args, *ONE_STEP], capsys)
    assert code == 0, err
    assert first_losses(tmp_path / "weighted")["flag"] == pytest.approx(searched["balanced"], rel=1e-5)
    assert json.loads((tmp_path / "weighted" / "rnn" / "experiment.json").read_text())["class_weight"] == "balanced"


@pytest.mark.parametrize("flag", [["--class-weight", "balanced"], []])
def test_a_resume_with_another_weighting_than_recorded_is_one_line(flag, imbalanced, tmp_path, capsys):
    data, space = imbalanced
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"gru_units": ["4-4"]}))
    recorded = ["--class-weight", "balanced"] if not flag else []
    args = sweep_args(data, tmp_path / "w", tmp_path / "tb", "--space", plain, *ONE_STEP)
    code, _, err = sweep_output("rnn", [*args, *recorded, "--evaluate-only"], capsys)  # records, trains nothing
    assert code == 2 and "no finished trial" in err, err
    code, _, err = sweep_output("rnn", [*args, *flag], capsys)
    assert code == 2 and err.strip() == (
        f"error: {tmp_path / 'w' / 'rnn'} holds a sweep with other class_weight{' (recorded: balanced)' * (not flag)}: "
        "pass the same options to resume, "
        "--overwrite to start again, or another --workdir"
    )
    assert not list((tmp_path / "w" / "rnn").glob("tuner/trial_*/history.csv"))


def test_the_flag_beside_a_space_that_searches_it_is_one_line_and_trains_nothing(imbalanced, tmp_path, capsys):
    data, space = imbalanced
    args = sweep_args(data, tmp_path / "w", tmp_path / "tb", "--space", space, "--class-weight", "none", *ONE_STEP)
    code, out, err = sweep_output("rnn", args, capsys)
    assert code == 2 and err.strip() == (
        f"error: --class-weight none: --space {space} searches class_weight itself; "
        "drop --class-weight, or the key from the space"
    )
    assert not (tmp_path / "w").exists()


def test_a_space_with_an_unknown_weighting_is_one_line(imbalanced, tmp_path, capsys):
    data, space = imbalanced
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"class_weight": ["none", "inverse"]}))
    code, _, err = sweep_output("cnn", sweep_args(data, tmp_path / "w", tmp_path / "tb", "--space", bad), capsys)
    assert code == 2 and err.strip() == f"error: --space {bad}: class_weight ['inverse'] is not one of none, balanced"
