"""A saved model that is truncated, not a model, or carded for another model is one error line, exit 2; the
model file alone (no card beside it) is enough to predict."""

import json
import shutil
import zipfile

import pytest

from data_pipeline.model_card import CARD_MEMBER, card_path
from experiments.deployment.predict_command import parse, run_predict
from plumbing.errors import run_command


def predicted(model, clip, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run_command(lambda: run_predict(parse(["--model", str(model), str(clip), "--format", "json"])))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def without_card_inside(model) -> None:
    """Rewrite the `.keras` zip without its card, as models were saved before cards travelled inside."""
    with zipfile.ZipFile(model) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name != CARD_MEMBER}
    with zipfile.ZipFile(model, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture
def copied(trained_model, sweep_data, tmp_path):
    model = tmp_path / "model.keras"
    shutil.copy(trained_model, model)
    shutil.copy(card_path(trained_model), card_path(model))
    return model, next(sweep_data.rglob("*.wav"))


def test_the_model_file_alone_predicts_as_with_its_card_beside(copied, tmp_path, capsys):
    model, clip = copied
    code, beside, _ = predicted(model, clip, capsys)
    alone = tmp_path / "alone" / "model.keras"
    alone.parent.mkdir()
    shutil.copy(model, alone)
    assert not card_path(alone).exists()
    code_alone, out, err = predicted(alone, clip, capsys)
    assert (code, code_alone, err) == (0, 0, "")
    assert json.loads(out)[0]["predictions"] == json.loads(beside)[0]["predictions"]


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda m: m.write_bytes(m.read_bytes()[:4000]), "not a .keras model (truncated"),
        (lambda m: m.write_text("hello"), "not a .keras model"),
        (lambda m: (without_card_inside(m), card_path(m).write_text('{"classes": [')),
         "model.json: damaged model card"),
        (lambda m: (without_card_inside(m), card_path(m).unlink()), "model.keras carries no model card"),
        (lambda m: (without_card_inside(m), card_path(m).write_text(
            json.dumps({**json.loads(card_path(m).read_text()), "classes": ["a"]}))),
         "names 1 classes but the model outputs 4"),
    ],
)  # fmt: skip
def test_a_damaged_model_or_card_is_one_line_naming_the_file(copied, capsys, damage, said):
    model, clip = copied
    damage(model)
    code, _, err = predicted(model, clip, capsys)
    assert code == 2 and said in err and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
