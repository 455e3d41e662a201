"""A saved model that is truncated, not a model, or carded for another model is one error line, exit 2."""

import json
import shutil

import pytest

from data_pipeline.model_card import card_path
from experiments.deployment.predict_command import parse, run_predict
from plumbing.errors import run_command


def predicted(model, clip, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = run_command(lambda: run_predict(parse(["--model", str(model), str(clip)])))
    return code, capsys.readouterr().err


@pytest.fixture
def copied(trained_model, sweep_data, tmp_path):
    model = tmp_path / "model.keras"
    shutil.copy(trained_model, model)
    shutil.copy(card_path(trained_model), card_path(model))
    return model, next(sweep_data.rglob("*.wav"))


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda m: m.write_bytes(m.read_bytes()[:4000]), "not a .keras model (truncated"),
        (lambda m: m.write_text("hello"), "not a .keras model"),
        (lambda m: card_path(m).write_text('{"classes": ['), "model.json: damaged model card"),
        (lambda m: card_path(m).write_text(json.dumps({**json.loads(card_path(m).read_text()), "classes": ["a"]})),
         "model.json names 1 classes but"),
    ],
)  # fmt: skip
def test_a_damaged_model_or_card_is_one_line_naming_the_file(copied, capsys, damage, said):
    model, clip = copied
    damage(model)
    code, err = predicted(model, clip, capsys)
    assert code == 2 and said in err and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
