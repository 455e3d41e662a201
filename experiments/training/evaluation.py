"""Evaluation on the untouched test split (seed Figures 40-41): metrics, report, confusion matrix."""

from pathlib import Path

import keras
import numpy as np
import pandas as pd
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    confusion_matrix,
    precision_recall_fscore_support,
)

from data_pipeline.datasets import SplitData, make_dataset
from experiments.training.run_layout import RunLayout
from plumbing.atomic import atomic_write, write_csv_atomic, write_json_atomic, write_text_atomic
from plumbing.plotting import plt


def predict_labels(model: keras.Model, data: SplitData, batch_size: int = 64) -> np.ndarray:
    """Predicted class index of every clip, in split order."""
    probabilities = model.predict(make_dataset(data, batch_size), verbose=0)
    return probabilities.argmax(axis=1)


def compute_test_metrics(y_true: np.ndarray, y_pred: np.ndarray, names: list[str]) -> dict:
    """Accuracy, macro and weighted P/R/F1 (over the classes present), per-class P/R/F1/support, confusion matrix.

    The split's test set holds every class; an outside set may hold some, and a class it lacks would
    only add a zero to the macro average.
    """
    labels = list(range(len(names)))
    present = sorted(set(np.asarray(y_true).tolist()))
    metrics = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "test_clips": int(len(y_true)),
        "classes": names,
    }
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=present, average=average, zero_division=0)
        metrics[average] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    metrics["per_class"] = {
        name: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, name in enumerate(names)
    }
    metrics["confusion_matrix"] = confusion_matrix(y_true, y_pred, labels=labels).tolist()
    return metrics


def plot_confusion(matrix: np.ndarray, names: list[str], title: str, path: Path, normalize: bool = False) -> None:
    """Counts (or row-normalised rates) with readable class labels (seed Figure 40)."""
    values = matrix.astype(float)
    if normalize:
        values = values / np.maximum(values.sum(axis=1, keepdims=True), 1)
    size = max(6.0, 0.55 * len(names) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    ConfusionMatrixDisplay(values if normalize else matrix, display_labels=names).plot(
        ax=ax, cmap="Blues", colorbar=False, values_format=".2f" if normalize else "d", xticks_rotation=45
    )
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    ax.set_title(title)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=90, format="png"))
    plt.close(fig)


def evaluate_on_test(model: keras.Model, test: SplitData, names: list[str], layout: RunLayout, title: str) -> dict:
    """Predict the test split, then write its results (see `write_evaluation`)."""
    return write_evaluation(test.labels, predict_labels(model, test), test.paths, names, layout, title)


def write_evaluation(
    y_true: np.ndarray, y_pred: np.ndarray, paths, names: list[str], layout: RunLayout, title: str
) -> dict:
    """Write test_predictions.csv, test_metrics.json, classification_report.txt, confusion_matrix.png."""
    metrics = compute_test_metrics(y_true, y_pred, names)
    predictions = pd.DataFrame(
        {"path": list(paths), "true": np.array(names)[y_true], "predicted": np.array(names)[y_pred]}
    )
    write_csv_atomic(layout.test_predictions, predictions)
    report = classification_report(
        y_true, y_pred, labels=list(range(len(names))), target_names=names, digits=3, zero_division=0
    )
    write_text_atomic(layout.classification_report, f"{title}: test accuracy {metrics['accuracy']:.4f}\n\n{report}")
    plot_confusion(np.array(metrics["confusion_matrix"]), names, f"{title}: confusion matrix", layout.confusion_matrix)
    write_json_atomic(layout.test_metrics, metrics)
    return metrics
