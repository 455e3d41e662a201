"""`--objective val_macro_f1`: a sweep keeps each trial's best macro-F1 epoch and ranks by it; the objective is
recorded, and a resume with another one is refused in one line."""

import json

import pandas as pd
import pytest

from tests.support import sweep_args, sweep_output

pytestmark = pytest.mark.slow

TWO_EPOCHS = ("--max-epochs", "2", "--patience", "2")


def test_a_macro_f1_sweep_keeps_and_ranks_by_the_best_macro_f1_epoch(tiny_dataset, two_points, tmp_path, capsys):
    args = sweep_args(tiny_dataset, tmp_path / "w", tmp_path / "tb", "--space", two_points, *TWO_EPOCHS)
    code, out, err = sweep_output("rnn", [*args, "--objective", "val_macro_f1"], capsys)
    assert code == 0, err
    root = tmp_path / "w" / "rnn"
    assert json.loads((root / "experiment.json").read_text())["objective"] == "val_macro_f1"
    board = pd.read_csv(root / "leaderboard.csv", dtype={"trial_id": str})
    assert "val_accuracy" not in board and len(board) == 2
    assert list(board["val_macro_f1"]) == sorted(board["val_macro_f1"], reverse=True)
    for row in board.itertuples():
        trial = root / "tuner" / f"trial_{row.trial_id}"
        history, state = pd.read_csv(trial / "history.csv"), json.loads((trial / "state.json").read_text())
        best = int(history["val_macro_f1"].idxmax())
        assert (state["monitor"], row.best_epoch) == ("val_macro_f1", best + 1)
        assert row.val_macro_f1 == pytest.approx(history.at[best, "val_macro_f1"])
        assert f"val_macro_f1={row.val_macro_f1:.4f}" in out


def test_a_resume_with_another_objective_is_one_line_and_an_old_record_means_accuracy(
    tiny_dataset, two_points, tmp_path, capsys
):
    args = sweep_args(tiny_dataset, tmp_path / "w", tmp_path / "tb", "--space", two_points, *TWO_EPOCHS)
    code, _, err = sweep_output("rnn", [*args, "--evaluate-only"], capsys)  # records the sweep, trains nothing
    assert code == 2 and "no finished trial" in err, err
    refused = (
        f"error: {tmp_path / 'w' / 'rnn'} holds a sweep with other objective (recorded: val_accuracy): pass the same "
        "options to resume, "
        "--overwrite to start again, or another --workdir"
    )
    code, _, err = sweep_output("rnn", [*args, "--objective", "val_macro_f1"], capsys)
    assert code == 2 and err.strip() == refused
    info = tmp_path / "w" / "rnn" / "experiment.json"
    recorded = json.loads(info.read_text())
    info.write_text(json.dumps({k: v for k, v in recorded.items() if k != "objective"}))  # from before --objective
    code, _, err = sweep_output("rnn", [*args, "--objective", "val_macro_f1"], capsys)
    assert code == 2 and err.strip() == refused
    code, _, err = sweep_output("rnn", [*args, "--evaluate-only"], capsys)
    assert code == 2 and "no finished trial" in err, err
    assert not list((tmp_path / "w" / "rnn").glob("tuner/trial_*/history.csv"))
