"""Assemble the Markdown comparison report of a workdir, with its figures beside it."""

import os
from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline.eda import EDA_FIGURES, class_balance_figure
from data_pipeline.workdir import Workdir
from experiments.training.evaluation import plot_confusion
from experiments.training.objectives import OBJECTIVES
from plumbing.atomic import write_text_atomic
from reports.compared_families import search_scripts
from reports.figures import best_so_far, training_curves
from reports.model_summary import model_summary
from reports.sections.comparison import comparison_section
from reports.sections.dataset import dataset_section
from reports.sections.experiment import experiment_section
from reports.sections.outside import outside_lines, outside_section
from reports.sections.summary import summary_section
from reports.training_budget import budgets_of
from reports.workdir_reader import Experiment, OutsideSet, read_dataset, read_experiments, read_outside_sets

EDA_FOLDER = "eda"
REPORT_HEADING = "# Instrument classification report: "  # how a report file begins: only such a file is replaced


def experiment_figures(experiment: Experiment, folder: Path, relative) -> dict[str, str]:
    """Training curves and confusion matrices of one experiment; returns their report links."""
    figures = {}
    title = experiment.title
    if experiment.history is not None and len(experiment.history):
        state = experiment.fit_state or {}
        restored = experiment.info.get("patience") is not None
        figures["curves"] = relative(
            training_curves(
                experiment.history,
                f"{title}: training curves",
                folder / f"{experiment.name}_curves.png",
                state.get("best_epoch"),
                restored,
                OBJECTIVES[experiment.objective].short,
            )
        )
    board = experiment.leaderboard
    drawn = experiment.is_sweep and experiment.plan is None  # under halving a point's score is of its last rung
    if drawn and board is not None and len(board) and board[experiment.objective].notna().any():
        order = "point" if "point" in board.columns else "trial_id"
        path = folder / f"{experiment.name}_best_so_far.png"
        curve = best_so_far(board, order, experiment.objective, f"{title}: best so far", path)
        figures["best_so_far"] = relative(curve)
    if experiment.metrics is not None:
        matrix, names = np.array(experiment.metrics["confusion_matrix"]), experiment.metrics["classes"]
        for key, normalise in (("confusion", False), ("confusion_normalised", True)):
            path = folder / f"{experiment.name}_{key}.png"
            label = "confusion matrix (row-normalised)" if normalise else "confusion matrix (counts)"
            plot_confusion(matrix, names, f"{title}: {label}", path, normalize=normalise)
            figures[key] = relative(path)
    return figures


def outside_figures(outside_sets: list[OutsideSet], folder: Path, relative) -> dict[str, str]:
    """Row-normalised confusion matrix of each outside test set; returns their report links."""
    figures = {}
    for outside in outside_sets:
        path = folder / f"outside_{outside.name}_confusion.png"
        matrix, names = np.array(outside.metrics["confusion_matrix"]), outside.metrics["classes"]
        plot_confusion(matrix, names, f"{outside.name}: confusion matrix (row-normalised)", path, normalize=True)
        figures[outside.name] = relative(path)
    return figures


def write_report(workdir: Workdir, out: Path) -> Path:
    """Write `out` (Markdown) and its PNG figures in `<out stem>_figures/`; returns `out`."""
    folder = out.parent / f"{out.stem}_figures"
    folder.mkdir(parents=True, exist_ok=True)

    def relative(path: Path) -> str:
        return Path(os.path.relpath(path, out.parent)).as_posix()

    info, split = read_dataset(workdir)
    figures: dict = {}
    if info is not None:
        counts = pd.DataFrame(info["class_counts"]).set_index("class")["clips"]
        figures["class_balance"] = relative(class_balance_figure(counts, folder / "class_balance.png"))
    eda = workdir.root / EDA_FOLDER
    figures["eda"] = [
        (caption, relative(eda / f"{name}.png"))
        for name, caption in EDA_FIGURES
        if name != "class_balance" and (eda / f"{name}.png").exists()
    ]  # shown once, from the dataset
    experiments = {e.name: e for e in read_experiments(workdir)}
    outside_sets = read_outside_sets(workdir)
    params, sections = {}, []
    for number, experiment in enumerate(experiments.values(), start=1):
        summary = model_summary(experiment.layout.best_model) if experiment.layout.best_model.exists() else None
        if summary is not None:
            params[experiment.name] = summary[1]
        sections.append(
            experiment_section(
                f"2.{number}",
                experiment,
                summary,
                experiment_figures(experiment, folder, relative),
                outside_lines(experiment, outside_sets, experiments),
            )
        )
    if not experiments:
        sections.append(f"> No experiment found: run {search_scripts()} or `train.py`.\n")
    train_clips = None if split is None else int((split["split"] == "train").sum())
    text = "\n".join(
        [
            f"{REPORT_HEADING}`{workdir.root.name}`\n",
            summary_section(info, split, experiments, budgets_of(experiments, train_clips) if train_clips else {}),
            dataset_section(info, split, figures),
            "## 2. Experiments\n",
            *sections,
            comparison_section(experiments, params, train_clips),
            outside_section(outside_sets, experiments, outside_figures(outside_sets, folder, relative)),
        ]
    )
    write_text_atomic(out, text)
    return out
