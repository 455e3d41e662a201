"""The Markdown report generated from a workdir made by tiny real sweeps and a fixed model."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline.workdir import Workdir
from plumbing.errors import run_command
from reports.command import generate, parse
from reports.report import write_report
from tests.support import REPO, Run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def finished_workdir(sweep_data, tmp_path_factory):
    """Quick CNN sweep, a two-point BiGRU sweep and the baseline CNN, all evaluated."""
    root = tmp_path_factory.mktemp("report")
    common = [
        "--data-dir",
        str(sweep_data),
        "--workdir",
        str(root / "w"),
        "--min-clips",
        "5",
        "--max-epochs",
        "2",
        "--tb-logs",
        str(root / "tb"),
    ]
    (root / "rnn.yaml").write_text("gru_units: [[8, 8], [16, 8]]\nlearning_rate: [0.003]\n")
    first = Run("search_cnn.py", *common, "--space", "quick", log=root / "cnn.log")  # prepares the workdir
    assert first.wait() == 0, first.output
    others = [
        Run("search_rnn.py", *common, "--space", str(root / "rnn.yaml"), log=root / "rnn.log"),
        Run("train.py", *common, "--model", "cnn-baseline", log=root / "baseline.log"),
    ]
    for run in others:  # two experiments of one workdir at once, as a user may run them
        assert run.wait() == 0, run.output
    return Workdir(root / "w")


def sections(text: str) -> dict[str, str]:
    """Report text split by `###` headings."""
    parts = re.split(r"^### ", text, flags=re.M)
    return {part.splitlines()[0]: part for part in parts[1:]}


def table_rows(text: str, first_header: str) -> list[list[str]]:
    """Cells of the Markdown table whose header row starts with `first_header`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"\|\s*{first_header}\s*\|", line))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_tables_carry_the_numbers_of_the_workdir(finished_workdir, tmp_path):
    out = write_report(finished_workdir, tmp_path / "report.md")
    text = out.read_text()
    by_title = sections(text)
    for title, folder in (("2.1 Baseline CNN", "cnn-baseline"), ("2.2 Tuned CNN", "cnn"), ("2.3 Tuned BiGRU", "rnn")):
        section = next(body for heading, body in by_title.items() if heading.startswith(title))
        metrics = json.loads((finished_workdir.root / folder / "test_metrics.json").read_text())
        assert f"Accuracy **{metrics['accuracy']:.4f}**" in section
        for name, row in zip(metrics["classes"], table_rows(section, "class"), strict=True):
            assert row[0] == name and float(row[3]) == pytest.approx(metrics["per_class"][name]["f1"], abs=1e-4)
            assert int(row[4]) == metrics["per_class"][name]["support"]
    cnn_section = next(body for heading, body in by_title.items() if heading.startswith("2.2 Tuned CNN"))
    board = pd.read_csv(finished_workdir.root / "cnn" / "leaderboard.csv")
    rows = table_rows(cnn_section, "trial_id")
    assert [int(r[0]) for r in rows] == list(board["trial_id"])
    assert [float(r[7]) for r in rows] == pytest.approx(list(board["val_accuracy"]), abs=1e-4)
    assert "Grid of 4 points: 4 done, 0 left." in cnn_section
    assert "seed Table 2" in text and "seed Table 3" in text and "seed's accuracy" in text
    table3 = table_rows(text.split("(seed Table 3)")[1], "class")
    cnn_metrics = json.loads((finished_workdir.root / "cnn" / "test_metrics.json").read_text())
    rnn_metrics = json.loads((finished_workdir.root / "rnn" / "test_metrics.json").read_text())
    for row in table3:
        expected = cnn_metrics["per_class"][row[0]]["f1"] - rnn_metrics["per_class"][row[0]]["f1"]
        assert float(row[3]) == pytest.approx(expected, abs=1e-3)


def test_the_report_opens_with_a_summary_of_runs_winners_comparison_and_flags(finished_workdir, tmp_path):
    text = write_report(finished_workdir, tmp_path / "r.md").read_text()
    summary = text[text.index("## Summary") : text.index("## 1. Dataset")]
    split = pd.read_csv(finished_workdir.split)["split"].value_counts()
    assert f"4 classes; {split['train']} training, {split['val']} validation and {split['test']} test clips" in summary
    assert "**Ran** Tuned CNN (grid search): 4-point sweep, best trial 2 of 2 epochs" in summary
    assert "**Ran** Baseline CNN: 2 of 2 epochs" in summary
    cnn = json.loads((finished_workdir.root / "cnn" / "test_metrics.json").read_text())
    best_cnn = max(
        (finished_workdir.root / n / "test_metrics.json" for n in ("cnn", "cnn-baseline")),
        key=lambda p: json.loads(p.read_text())["accuracy"],
    )
    assert (
        "**Best CNN**: " in summary and f"{json.loads(best_cnn.read_text())['accuracy']:.3f} test accuracy" in summary
    )
    assert f"McNemar, {cnn['test_clips']} paired test clips): p = " in summary
    assert "**Still improving at the last epoch**" in summary or "Still improving" not in text
    assert text.index("## Summary") < text.index("## 1. Dataset")


def header(text: str, first_header: str) -> list[str]:
    """The header cells of the Markdown table whose header row starts with `first_header`."""
    line = next(line for line in text.splitlines() if re.match(rf"\|\s*{first_header}\s*\|", line))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_third_tuned_family_gets_its_column_and_its_pairs_and_no_seed_numbers(finished_workdir, tmp_path):
    """musicnn beside the seed's two; musicnn_ft, not trained here, has neither a column nor a row."""
    work = tmp_path / "w"
    shutil.copytree(finished_workdir.root, work)
    shutil.copytree(work / "cnn", work / "musicnn")  # its sweep, evaluated on the same test clips
    metrics = json.loads((work / "musicnn" / "test_metrics.json").read_text())
    (work / "musicnn" / "test_metrics.json").write_text(json.dumps({**metrics, "accuracy": 0.125}))
    text = write_report(Workdir(work), work / "report.md").read_text()
    by_title = sections(text)
    table2 = by_title["Tuned CNN against tuned BiGRU against tuned musicnn (seed Table 2)"]
    assert header(table2, "aspect") == [
        "aspect",
        "tuned CNN",
        "tuned BiGRU",
        "tuned musicnn",
        "seed's CNN",
        "seed's BiGRU",
    ]
    accuracy = next(row for row in table_rows(table2, "aspect") if row[0] == "Test accuracy (95% CI)")
    assert accuracy[3].startswith("0.125 (0.")
    summary = text[text.index("## Summary") : text.index("## 1. Dataset")]
    for first, second in (("CNN", "BiGRU"), ("CNN", "musicnn"), ("BiGRU", "musicnn")):
        per_class = by_title[f"Per class: {first} against {second} (seed Table 3)"]
        columns = header(per_class, "class")
        assert columns[1:4] == [f"{first} (P/R/F1)", f"{second} (P/R/F1)", f"F1 difference ({first} - {second})"]
        assert ("seed's F1 difference" in columns) == (second == "BiGRU"), "the seed compared the CNN and the BiGRU"
        assert f"the tuned {first} reaches" in by_title[f"Summary: {first} against {second}"]
        assert f"**{first} against {second}** (McNemar, {metrics['test_clips']} paired test clips)" in summary
    progression = table_rows(by_title["Progression: baseline -> enhanced -> tuned"], "model")
    musicnn_rows = [row for row in progression if "musicnn" in row[0]]
    assert len(musicnn_rows) == 3 and all(row[-3:] == ["", "", ""] for row in musicnn_rows)
    budget = table_rows(by_title["Training budget against the seed's"], "model")
    assert [row[5:7] for row in budget if "musicnn" in row[0]] == [["", ""]]
    ran = next(line for line in summary.splitlines() if line.startswith("- **Ran** Tuned musicnn"))
    assert "optimizer steps." in ran and "of the seed's" not in ran, ran  # no share of a budget the seed never had


def test_every_image_link_is_an_existing_png(finished_workdir, eda_figures, sweep_data, tmp_path):
    shutil.copytree(finished_workdir.root, tmp_path / "w")
    assert Path(json.loads((tmp_path / "w" / "dataset.json").read_text())["data_dir"]) == sweep_data
    shutil.copytree(eda_figures[0].parent, tmp_path / "w" / "eda")  # the figures of this workdir's data
    out = write_report(Workdir(tmp_path / "w"), tmp_path / "w" / "report.md")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", out.read_text())
    # curves and 2 matrices per experiment, a best-so-far curve per sweep, class balance once, the other EDA
    assert len(links) == 3 * 3 + 2 + 1 + 9
    assert sum(link.endswith("_best_so_far.png") for link in links) == 2
    for link in links:
        assert not link.startswith("/"), "links must be relative"
        assert (out.parent / link).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", link


def test_generating_twice_gives_the_same_file(finished_workdir, tmp_path):
    first = write_report(finished_workdir, tmp_path / "a.md").read_text()
    second = write_report(finished_workdir, tmp_path / "a.md").read_text()
    assert first == second


def test_partial_workdir_renders_with_clear_notes(finished_workdir, tmp_path):
    work = tmp_path / "w"
    shutil.copytree(finished_workdir.root, work, ignore=shutil.ignore_patterns("rnn", "cnn-baseline"))
    (work / "cnn" / "test_metrics.json").unlink()
    (work / "cnn" / "best_model.keras").unlink()
    board = pd.read_csv(work / "cnn" / "leaderboard.csv")
    board.iloc[:2].to_csv(work / "cnn" / "leaderboard.csv", index=False)
    (work / "dataset.json").unlink()  # as a workdir of an older version
    text = write_report(Workdir(work), work / "report.md").read_text()
    assert "Grid of 4 points: 2 done, 2 left (**sweep still running or interrupted**)." in text
    assert "Not available yet: test_metrics.json" in text
    assert "Not prepared: `dataset.json` is missing" in text
    assert "Tables 2 and 3 need at least two tuned models evaluated (looked for `cnn/`, `rnn/`" in text


def test_damaged_files_are_named_and_the_rest_of_the_report_is_written(finished_workdir, tmp_path):
    work = tmp_path / "w"
    shutil.copytree(finished_workdir.root, work)
    (work / "cnn" / "test_metrics.json").write_text('{"accuracy": 0.9')
    (work / "rnn" / "leaderboard.csv").write_bytes(b"\xff\xfe\x00garbage")
    (work / "dataset.json").write_text("[]")
    text = write_report(Workdir(work), work / "report.md").read_text()
    assert "test_metrics.json (damaged: " in text and "leaderboard.csv (damaged: " in text
    assert "Not prepared: `dataset.json` is missing or damaged" in text
    assert "### 2." in text and "Baseline CNN" in text  # the other experiments are still reported


def test_a_csv_that_parses_but_lacks_its_columns_is_named_as_damaged(finished_workdir, tmp_path):
    work = tmp_path / "w"
    shutil.copytree(finished_workdir.root, work)
    (work / "rnn" / "leaderboard.csv").write_text("trial_id,colour\n0,blue\n")
    text = write_report(Workdir(work), work / "report.md").read_text()
    assert "leaderboard.csv (damaged: no column status, val_accuracy)" in text
    assert "### 2." in text and "Baseline CNN" in text


def test_command_line_prints_the_report_path(finished_workdir, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "reports/generate.py",
            "--workdir",
            str(finished_workdir.root),
            "--out",
            str(tmp_path / "r.md"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "only our own lines: no TensorFlow start-up messages, no warnings"
    assert done.stdout.strip().splitlines()[-1] == str(tmp_path / "r.md")
    missing = subprocess.run(
        [sys.executable, "reports/generate.py", "--workdir", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert missing.returncode == 2 and "--workdir" in missing.stderr.strip().splitlines()[-1]


def test_out_never_overwrites_a_file_that_is_not_a_report(finished_workdir, tmp_path, capsys):
    model = tmp_path / "best_model.keras"
    shutil.copy(finished_workdir.root / "cnn" / "best_model.keras", model)
    before = model.read_bytes()
    for out in (model, tmp_path):
        capsys.readouterr()
        assert (
            run_command(lambda o=out: generate(parse(["--workdir", str(finished_workdir.root), "--out", str(o)]))) == 2
        )
        assert capsys.readouterr().err.startswith(f"error: --out {out}")
    assert model.read_bytes() == before
    report = tmp_path / "report.md"
    for _ in range(2):  # a report is replaced by the next one
        assert (
            run_command(lambda: generate(parse(["--workdir", str(finished_workdir.root), "--out", str(report)]))) == 0
        )


def test_a_halving_sweep_shows_its_rungs_epochs_and_winner(killed_halving, tmp_path):
    text = write_report(Workdir(killed_halving["workdir"]), tmp_path / "report.md").read_text()
    section = next(body for heading, body in sections(text).items() if "Tuned CNN (successive halving)" in heading)
    assert (
        "Successive halving over a grid of 4 points: rungs at 1, 2, 4 epochs, the best 1/2 of each rung go on, "
        "ranked by the lowest validation loss up to the rung. 4 of 4 points done." in section
    )
    assert table_rows(section, "rung") == [["1", "1", "4", "2"], ["2", "2", "2", "1"], ["3", "4", "1", ""]]
    assert "Epochs trained: 8 of the full grid's 16 (50%; every point to 4 epochs with no early stop)" in section
    winner = pd.read_csv(killed_halving["workdir"] / "cnn" / "leaderboard.csv").iloc[0]
    assert f"Winner: point {winner['point']}, promoted to rung 3, 4 epochs" in section
    metrics = json.loads((killed_halving["workdir"] / "cnn" / "test_metrics.json").read_text())
    assert f"Accuracy **{metrics['accuracy']:.4f}**" in section
