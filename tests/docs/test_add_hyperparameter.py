"""The "Add a hyperparameter" guide followed literally in a copy of the repository: its edits made, its commands
run; each trained model has the BatchNormalization momentum its grid point asked for, and a bad value is refused as
the page says."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from keras import layers

from hypermodels.saved import load_saved_model
from tests.support import REPO

pytestmark = pytest.mark.slow
PAGE = REPO / "docs" / "guides" / "add-hyperparameter.md"
BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)\n```$', re.MULTILINE | re.DOTALL)
COPIED = ("data_pipeline", "experiments", "hypermodels", "plumbing", "reports", "scripts", "docs")


def page_blocks() -> list[tuple[str, str]]:
    """The page's titled code blocks, in order: (title, text)."""
    return BLOCK.findall(PAGE.read_text(encoding="utf-8"))


def titled(title: str) -> str:
    texts = [text for name, text in page_blocks() if name == title]
    assert len(texts) == 1, f"the page has {len(texts)} blocks titled {title!r}"
    return texts[0]


def make_edits(root: Path) -> list[str]:
    """Each `FILE (find)` block replaced by the `FILE (replace with)` block after it; the files edited."""
    blocks, edited = page_blocks(), []
    for (find_title, old), (new_title, new) in zip(blocks, blocks[1:], strict=False):
        if not find_title.endswith(" (find)"):
            continue
        name = find_title.removesuffix(" (find)")
        assert new_title == f"{name} (replace with)", new_title
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old + "\n") == 1, f"{name}: the page's find block is not in the file exactly once"
        path.write_text(text.replace(old + "\n", new + "\n"), encoding="utf-8")
        edited.append(name)
    return edited


def shell(root: Path, command: str) -> subprocess.CompletedProcess:
    """A command of the page as a user types it: `python` is the project's, in the copy's root."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PYTHONPATH": str(root)}
    return subprocess.run(
        ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """A copy of the repository with the page's edits made and its commands run, on a small demo dataset."""
    root = tmp_path_factory.mktemp("repo")
    for name in COPIED:
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    edited = make_edits(root)
    regenerated = shell(root, titled("regenerate the reference"))
    demo = f"{sys.executable} -m data_pipeline demo --synthetic --per-class 42 --out data/demo"  # above the demo's 40
    assert shell(root, demo).returncode == 0
    (root / "bn.yaml").write_text(titled("bn.yaml") + "\n")
    swept = shell(root, titled("sweep"))
    return {"root": root, "edited": edited, "regenerated": regenerated, "swept": swept}


def test_the_edits_are_the_four_places_the_page_names(followed):
    assert sorted(set(followed["edited"])) == [
        "hypermodels/cnn.py",
        "hypermodels/space_meanings.py",
        "hypermodels/space_rules.py",
    ]
    assert followed["regenerated"].returncode == 0, followed["regenerated"].stderr
    reference = (followed["root"] / "docs" / "reference" / "search-spaces.md").read_text()
    assert "| `bn_momentum` | `0.99` | a number in [0, 1) |" in reference


def test_each_point_trains_with_its_own_momentum_and_the_winner_keeps_it(followed):
    swept, root = followed["swept"], followed["root"]
    assert swept.returncode == 0, swept.stdout[-2000:] + swept.stderr[-2000:]
    board = pd.read_csv(root / "runs-bn" / "cnn" / "leaderboard.csv")
    assert sorted(board["bn_momentum"]) == [0.9, 0.99] and set(board["status"]) == {"COMPLETED"}, board
    for row in board.itertuples():
        kept = sorted((root / "runs-bn" / "cnn" / "tuner" / f"trial_{row.trial_id}").glob("epoch_*.keras"))[-1]
        norms = [lay for lay in load_saved_model(kept).layers if isinstance(lay, layers.BatchNormalization)]
        assert len(norms) == 3 and {lay.momentum for lay in norms} == {row.bn_momentum}, kept
    best = load_saved_model(root / "runs-bn" / "cnn" / "best_model.keras")
    winner = board.iloc[0]["bn_momentum"]
    assert {lay.momentum for lay in best.layers if isinstance(lay, layers.BatchNormalization)} == {winner}


def test_a_value_outside_the_rule_is_refused_as_the_page_says(followed):
    root = followed["root"]
    (root / "bad.yaml").write_text(titled("bn.yaml").replace("0.9,", "1.5,") + "\n")
    refused = shell(root, titled("sweep").replace("bn.yaml", "bad.yaml").replace("runs-bn", "runs-bad"))
    said = re.search(r"```text\n(error: .*)\n```", PAGE.read_text()).group(1).replace("bn.yaml", "bad.yaml")
    assert refused.returncode == 2 and refused.stderr.strip() == said, refused.stderr
    assert not (root / "runs-bad").exists()
