"""A saved model on a labelled folder it never saw: the split's metrics, under `W/external/NAME/`.

The split's test set comes from the same recordings as training, so it overstates accuracy when
recording conditions change; an outside set measures that change.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data_pipeline.audio_files import find_audio
from data_pipeline.catalog import list_class_dirs
from data_pipeline.model_card import read_card
from data_pipeline.workdir import Workdir
from experiments.deployment.model_files import load_with_card
from experiments.deployment.prediction import WindowPlan, predict_files
from experiments.training.evaluation import write_evaluation
from experiments.training.run_layout import RunLayout
from plumbing.atomic import write_json_atomic
from plumbing.errors import UsageError
from plumbing.file_names import shown


@dataclass(frozen=True)
class LabelledFiles:
    """The audio files of a class-per-folder set whose class the model knows, and what was left out."""

    files: list[Path]
    labels: list[int]
    unknown_classes: list[str]  # folders whose name is not a class of the model: skipped
    absent_classes: list[str]  # classes of the model with no folder here


def labelled_files(data_dir: Path, classes: tuple[str, ...]) -> LabelledFiles:
    """Match class folders to the model's classes by name (as `shown` writes both)."""
    files, labels, unknown = [], [], []
    folders = list_class_dirs(Path(data_dir))
    for folder in folders:
        if shown(folder.name) not in classes:
            unknown.append(shown(folder.name))
            continue
        found = find_audio([folder])
        files += found
        labels += [classes.index(shown(folder.name))] * len(found)
    absent = [name for name in classes if name not in {shown(f.name) for f in folders}]
    return LabelledFiles(files, labels, unknown, absent)


def check_destination(workdir: Workdir, name: str, model_path: Path, data_dir: Path) -> None:
    """Refuse a workdir that is a file, and a `--name` that holds another model's or data set's results."""
    if workdir.root.exists() and not workdir.root.is_dir():
        raise UsageError(f"--workdir {workdir.root} is a file: pass a folder (it is created if missing)")
    info = RunLayout(workdir.external_dir(name)).info
    try:
        stored = json.loads(info.read_text()) if info.exists() else None
    except (OSError, ValueError):
        stored = None  # a damaged record is replaced by this evaluation
    here = (shown(model_path.resolve()), shown(data_dir.resolve()))
    if stored and (stored.get("model"), stored.get("data_dir")) != here:
        raise UsageError(
            f"--name {name}: {info.parent} holds the evaluation of {stored.get('model')} on {stored.get('data_dir')}: "
            "pass another --name, or delete that folder to replace it"
        )


def evaluate_outside(model_path: Path, data_dir: Path, workdir: Workdir, name: str, plan: WindowPlan) -> dict:
    """Predict every file (windows averaged as `predict.py` does), then write the split's metrics and files."""
    check_destination(workdir, name, Path(model_path), Path(data_dir))
    card = read_card(model_path)
    found = labelled_files(data_dir, card.classes)
    if not found.files:
        raise UsageError(
            f"--data-dir {shown(data_dir)}: no audio in folders named after the model's classes "
            f"({', '.join(card.classes)})"
        )
    model = load_with_card(model_path, card)
    results = predict_files(model, card, found.files, plan)
    read = [i for i, r in enumerate(results) if r.error is None]
    if not read:
        raise UsageError(f"--data-dir {shown(data_dir)}: none of its {len(results)} audio files could be decoded")
    layout = RunLayout(workdir.external_dir(name))
    y_true = np.array([found.labels[i] for i in read])
    y_pred = np.array([results[i].probabilities.argmax() for i in read])
    paths = [shown(found.files[i].relative_to(data_dir)) for i in read]
    metrics = write_evaluation(y_true, y_pred, paths, list(card.classes), layout, f"{name} (outside test set)")
    write_json_atomic(
        layout.info,
        {
            "kind": "outside",
            "name": name,
            "model": shown(Path(model_path).resolve()),
            "data_dir": shown(Path(data_dir).resolve()),
            "clips": len(read),
            "skipped_classes": found.unknown_classes,
            "absent_classes": found.absent_classes,
            "unreadable": [{"path": shown(r.path), "reason": r.error} for r in results if r.error],
        },
    )
    return metrics
