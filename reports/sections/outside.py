"""The report's outside test sets: each model's accuracy on audio that did not come from its split."""

import pandas as pd

from reports.markdown_tables import table
from reports.significance import wilson_interval
from reports.workdir_reader import Experiment, OutsideSet


def evaluated_model(outside: OutsideSet, experiments: dict[str, Experiment]) -> str | None:
    """The experiment whose saved model was evaluated, or None for a model from elsewhere."""
    for experiment in experiments.values():
        if str(experiment.layout.best_model.resolve()) == outside.info["model"]:
            return experiment.name
    return None


def accuracy_text(metrics: dict) -> str:
    low, high = wilson_interval(round(metrics["accuracy"] * metrics["test_clips"]), metrics["test_clips"])
    return f"{metrics['accuracy']:.3f} ({low:.3f}-{high:.3f})"


def outside_lines(
    experiment: Experiment, outside_sets: list[OutsideSet], experiments: dict[str, Experiment]
) -> list[str]:
    """Under a model's split results: its accuracy on each outside set."""
    mine = [o for o in outside_sets if evaluated_model(o, experiments) == experiment.name]
    return [
        f"Outside test set **{o.name}** ({o.metrics['test_clips']} clips): accuracy {accuracy_text(o.metrics)}, "
        f"macro F1 {o.metrics['macro']['f1']:.3f}; see section 4."
        for o in mine
    ]


def outside_table(outside_sets: list[OutsideSet], experiments: dict[str, Experiment]) -> pd.DataFrame:
    rows = []
    for o in outside_sets:
        name = evaluated_model(o, experiments)
        split = experiments[name].metrics if name and experiments[name].metrics else None
        rows.append(
            {
                "test set": o.name,
                "model": name or o.info["model"],
                "clips": o.metrics["test_clips"],
                "accuracy (95% CI)": accuracy_text(o.metrics),
                "macro F1": round(o.metrics["macro"]["f1"], 3),
                "split test accuracy": accuracy_text(split) if split else None,
                "classes skipped": ", ".join(o.info["skipped_classes"]) or "none",
                "unreadable files": len(o.info["unreadable"]),
            }
        )
    return pd.DataFrame(rows)


def outside_section(outside_sets: list[OutsideSet], experiments: dict[str, Experiment], figures: dict[str, str]) -> str:
    """Section 4: every outside test set beside the split's accuracy of the same model, with its confusion matrix."""
    parts = [
        "## 4. Outside test sets",
        "The split's test clips come from the same recordings as the training clips, so they overstate "
        "accuracy under a change of recording conditions; an outside set (`experiments/evaluate.py`) "
        "measures that. Accuracy intervals are Wilson 95% intervals; macro averages are over the classes "
        "the set holds.",
    ]
    if not outside_sets:
        parts.append(
            "> None evaluated: `python experiments/evaluate.py --model W/cnn/best_model.keras --data-dir "
            "DIR --workdir W --name NAME`."
        )
        return "\n\n".join(parts) + "\n"
    parts.append(table(outside_table(outside_sets, experiments)))
    for o in outside_sets:
        parts.append(f"![{o.name}: confusion matrix (row-normalised)]({figures[o.name]})")
    return "\n\n".join(parts) + "\n"
