"""`evaluate.py` on a labelled folder that did not come from the split: metrics, skips, report section."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from data_pipeline.workdir import Workdir
from experiments.deployment.evaluate_command import parse, run_evaluate
from plumbing.errors import run_command
from reports.report import write_report
from tests.support import REPO

pytestmark = pytest.mark.slow


def test_outside_set_gets_the_split_metrics_and_a_report_section(sweep_data, trained_model, tmp_path):
    workdir = tmp_path / "work"
    shutil.copytree(trained_model.parent.parent, workdir)
    outside = tmp_path / "outside"
    for folder in sorted(p for p in sweep_data.iterdir() if p.is_dir()):
        (outside / folder.name).mkdir(parents=True)
        for clip in sorted(folder.glob("*.wav"))[:3]:  # re-recorded: louder, at 44.1 kHz, as FLAC
            samples, rate = sf.read(clip)
            sf.write(outside / folder.name / f"{clip.stem}.flac", np.repeat(samples, 2) * 0.9, rate * 2)
    (outside / "Theremin").mkdir()
    shutil.copy(next(sweep_data.glob("*/*.wav")), outside / "Theremin" / "eerie.wav")
    (outside / "flute" / "cut.wav").write_bytes(b"RIFF....WAVEfmt ")
    model = workdir / "cnn" / "best_model.keras"
    done = subprocess.run(
        [
            sys.executable,
            "experiments/evaluate.py",
            "--model",
            str(model),
            "--data-dir",
            str(outside),
            "--workdir",
            str(workdir),
            "--name",
            "rerecorded",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    results = workdir / "external" / "rerecorded"
    metrics = json.loads((results / "test_metrics.json").read_text())
    split = json.loads((workdir / "cnn" / "test_metrics.json").read_text())
    assert set(metrics) == set(split) and metrics["test_clips"] == 12 and np.sum(metrics["confusion_matrix"]) == 12
    info = json.loads((results / "experiment.json").read_text())
    assert info["skipped_classes"] == ["Theremin"] and [u["path"].rsplit("/", 1)[1] for u in info["unreadable"]] == [
        "cut.wav"
    ]
    assert (results / "confusion_matrix.png").stat().st_size > 10_000
    assert f"rerecorded: 12 clips, accuracy {metrics['accuracy']:.4f}" in done.stdout

    text = write_report(Workdir(workdir), tmp_path / "report.md").read_text()
    outside_part = text.split("## 4. Outside test sets")[1]
    row = next(line for line in outside_part.splitlines() if line.startswith("| rerecorded"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "cnn" and cells[2] == "12" and cells[3].startswith(f"{metrics['accuracy']:.3f} (")
    assert cells[6] == "Theremin" and cells[7] == "1"
    assert "Outside test set **rerecorded** (12 clips)" in text.split("## 3.")[0]


def test_a_name_holding_another_data_sets_results_is_refused_and_kept(sweep_data, trained_model, tmp_path, capsys):
    def evaluate(data_dir, workdir) -> int:
        argv = ["--model", str(trained_model), "--data-dir", str(data_dir), "--workdir", str(workdir), "--name", "set"]
        return run_command(lambda: run_evaluate(parse(argv)))

    workdir = tmp_path / "work"
    assert evaluate(sweep_data, workdir) == 0
    again = evaluate(sweep_data, workdir)  # the same model on the same data: evaluated again
    results = {p.name: p.read_bytes() for p in (workdir / "external" / "set").iterdir()}
    other = tmp_path / "other"
    shutil.copytree(sweep_data / "flute", other / "flute")
    capsys.readouterr()
    assert (again, evaluate(other, workdir)) == (0, 2)
    assert "error: --name set: " in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (workdir / "external" / "set").iterdir()} == results
    (tmp_path / "file").write_text("x")
    assert evaluate(sweep_data, tmp_path / "file") == 2
