"""Markdown sections of the comparison report, one function per section."""

import numpy as np
import pandas as pd

from data_pipeline.split import split_table
from reports.seed_results import SeedResults
from reports.workdir_reader import Experiment

TITLES = {
    "cnn-baseline": "Baseline CNN", "cnn-enhanced": "Enhanced CNN", "cnn": "Tuned CNN (grid search)",
    "rnn-baseline": "Baseline BiGRU", "rnn-enhanced": "Enhanced BiGRU", "rnn": "Tuned BiGRU (grid search)",
}  # fmt: skip
RESULT_COLUMNS = ["val_accuracy", "val_loss", "best_epoch", "epochs_run", "seconds"]


def table(frame: pd.DataFrame, index: bool = False) -> str:
    return frame.to_markdown(index=index, floatfmt=".5g", missingval="")


def image(path: str, alt: str) -> str:
    return f"![{alt}]({path})"


def dataset_section(info: dict | None, split: pd.DataFrame | None, figures: dict[str, str]) -> str:
    """Class counts, threshold, dropped classes, clip summary, split table, unreadable files, EDA."""
    if info is None:
        return "## 1. Dataset\n\n> Not prepared: `dataset.json` is missing. Run `python -m data_pipeline prepare`.\n"
    counts = pd.DataFrame(info["class_counts"])
    dropped = counts.loc[~counts["kept"], "class"].tolist()
    parts = [
        "## 1. Dataset", f"Data dir: `{info['data_dir']}`.",
        f"{len(counts)} classes, {int(counts['clips'].sum())} readable clips; classes kept: more than "
        f"{info['min_clips']} clips ({int(counts['kept'].sum())} kept); dropped: {', '.join(dropped) or 'none'}.",
        table(counts), image(figures["class_balance"], "class balance"),
        "### Clip summary (readable clips)", table(pd.DataFrame(info["clip_summary"]), index=True),
    ]  # fmt: skip
    if split is not None:
        parts += [
            f"### Split (stratified 70/15/15, seed {info['seed']}; seed Figure 35)",
            table(split_table(split), True),
        ]
    bad = pd.DataFrame(info.get("unreadable", []))
    parts += ["### Unreadable files", table(bad) if len(bad) else "None."]
    if figures.get("eda"):
        parts += ["### Exploration figures", *[image(p, name) for name, p in figures["eda"]]]
    return "\n\n".join(parts) + "\n"


def sweep_status(experiment: Experiment) -> list[str]:
    """Grid size, trials done and left, total and median trial time; the top-10 and best point."""
    board, size = experiment.leaderboard, experiment.grid_size
    if board is None:
        return ["> No leaderboard yet: the sweep has not finished a trial."]
    done = board[board["status"].isin(["COMPLETED", "FAILED"])]
    lines = [f"Grid of {size} points: {len(done)} done, {size - len(done)} left"
             + (" (**sweep still running or interrupted**)." if len(done) < size else ".")]  # fmt: skip
    if len(done):
        lines.append(f"Trial time: total {done['seconds'].sum():.0f} s, median {done['seconds'].median():.0f} s.")
    lines += ["#### Top 10 trials by validation accuracy", table(board.head(10))]
    hp_names = [c for c in board.columns if c not in ("trial_id", "status", *RESULT_COLUMNS)]
    if experiment.best_trial is not None:
        best = board.iloc[0]
        lines += ["#### Best hyperparameters", table(pd.DataFrame([best[hp_names]]))]
    return lines


def metrics_lines(metrics: dict, figures: dict[str, str]) -> list[str]:
    """Confusion matrices, per-class table, accuracy and averages."""
    per_class = pd.DataFrame(metrics["per_class"]).T.reset_index(names="class")
    overall = pd.DataFrame(
        [{"average": "accuracy", "precision": None, "recall": None, "f1": metrics["accuracy"]},
         {"average": "macro", **metrics["macro"]}, {"average": "weighted", **metrics["weighted"]}]
    )  # fmt: skip
    return [
        f"#### Test results ({metrics['test_clips']} clips)",
        f"Accuracy **{metrics['accuracy']:.4f}**, macro F1 {metrics['macro']['f1']:.4f}, "
        f"weighted F1 {metrics['weighted']['f1']:.4f}.",
        table(overall),
        table(per_class.astype({"support": int})),
        image(figures["confusion"], "confusion matrix"),
        image(figures["confusion_normalised"], "normalised"),
    ]


def experiment_section(number: str, experiment: Experiment, summary, figures: dict[str, str]) -> str:
    """Everything about one experiment; what is missing is said, not skipped silently."""
    title = TITLES.get(experiment.name, experiment.name)
    parts = [f"### {number} {title} (`{experiment.name}/`)"]
    if experiment.is_sweep:
        parts += sweep_status(experiment)
    else:
        info = experiment.info
        parts.append(f"Fixed recipe: up to {info['max_epochs']} epochs, early stopping patience "
                     f"{info['patience']}, LR plateau {info['reduce_lr']}, batch {info['batch_size']}.")  # fmt: skip
    if summary is not None:
        layers, totals = summary
        parts += ["#### Model summary", table(layers),
                  f"Total params: {totals['total']:,}; trainable: {totals['trainable']:,}; "
                  f"non-trainable: {totals['non_trainable']:,}."]  # fmt: skip
    if "curves" in figures:
        parts.append(image(figures["curves"], "training curves"))
    if experiment.metrics is not None:
        parts += metrics_lines(experiment.metrics, figures)
    if experiment.missing:
        parts.append(f"> Not available yet: {', '.join(experiment.missing)}.")
    return "\n\n".join(parts) + "\n"


def progression_table(experiments: dict[str, Experiment], params: dict[str, dict], seed: SeedResults) -> str:
    """Baseline -> enhanced -> tuned per family, ours beside the seed's."""
    rows = []
    for name in ("cnn-baseline", "cnn-enhanced", "cnn", "rnn-baseline", "rnn-enhanced", "rnn"):
        ours = experiments.get(name)
        metrics = ours.metrics if ours else None
        published = seed.models[name]
        rows.append({
            "model": TITLES[name], "params": params.get(name, {}).get("total"),
            "accuracy": metrics["accuracy"] if metrics else None,
            "macro F1": metrics["macro"]["f1"] if metrics else None,
            "weighted F1": metrics["weighted"]["f1"] if metrics else None,
            "seed's params": published.params, "seed's accuracy": published.accuracy,
            "seed's macro F1": published.macro[2],
        })  # fmt: skip
    return table(pd.DataFrame(rows))


def prf(block: dict) -> str:
    return f"{block['precision']:.3f} / {block['recall']:.3f} / {block['f1']:.3f}"


def table2(cnn: Experiment, rnn: Experiment, params: dict[str, dict], seed: SeedResults) -> str:
    """Seed Table 2: the two tuned models aspect by aspect, with the seed's values."""
    best = {e.name: e.leaderboard.iloc[0] for e in (cnn, rnn)}
    c, r = best["cnn"], best["rnn"]
    head = "Dense 32" if str(r.get("use_dense_head")).lower() == "true" else "no dense head"
    rows = [
        ("Input representation", "Log-Mel (64, T, 1)", "Log-Mel (64, T, 1) as T frames of 64"),
        ("Key configuration", f"Conv filters {c.get('conv_filters')}, Dense {c.get('dense_units')}, dropout "
         f"{c.get('dropout_block3')} / {c.get('dropout_head')}", f"GRU units {r.get('gru_units')}, {head}, "
         f"dropout {r.get('dropout')}"),
        ("Optimizer / LR", f"Adam, {c['learning_rate']:g}", f"Adam, {r['learning_rate']:g}"),
        ("Total parameters", f"{params['cnn']['total']:,}", f"{params['rnn']['total']:,}"),
        ("Trainable / non-trainable", f"{params['cnn']['trainable']:,} / {params['cnn']['non_trainable']:,}",
         f"{params['rnn']['trainable']:,} / {params['rnn']['non_trainable']:,}"),
        ("Regularization", f"BatchNorm + Dropout, L2 {c.get('l2_strength', 0)}",
         f"GRU dropout {r.get('dropout')}" if float(r.get("dropout", 0)) else "None"),
        ("Test accuracy", f"{cnn.metrics['accuracy']:.3f}", f"{rnn.metrics['accuracy']:.3f}"),
        ("Macro avg (P / R / F1)", prf(cnn.metrics["macro"]), prf(rnn.metrics["macro"])),
        ("Weighted avg (P / R / F1)", prf(cnn.metrics["weighted"]), prf(rnn.metrics["weighted"])),
    ]  # fmt: skip
    s_cnn, s_rnn = seed.models["cnn"], seed.models["rnn"]
    seed_cols = {
        "Input representation": seed.aspects["Input representation"],
        "Key configuration": seed.aspects["Key configuration"],
        "Optimizer / LR": seed.aspects["Optimizer / LR"],
        "Total parameters": (f"{s_cnn.params:,}", f"{s_rnn.params:,}"),
        "Trainable / non-trainable": (f"{s_cnn.trainable:,} / {s_cnn.params - s_cnn.trainable:,}",
                                      f"{s_rnn.trainable:,} / {s_rnn.params - s_rnn.trainable:,}"),
        "Regularization": seed.aspects["Regularization"],
        "Test accuracy": (f"{s_cnn.accuracy:.3f}", f"{s_rnn.accuracy:.3f}"),
        "Macro avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.macro) for m in (s_cnn, s_rnn)),
        "Weighted avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.weighted) for m in (s_cnn, s_rnn)),
    }  # fmt: skip
    frame = pd.DataFrame(
        [{"aspect": a, "tuned CNN": x, "tuned BiGRU": y, "seed's CNN": seed_cols[a][0], "seed's BiGRU": seed_cols[a][1]}
         for a, x, y in rows]
    )  # fmt: skip
    return table(frame)


def table3(cnn: Experiment, rnn: Experiment, seed: SeedResults) -> tuple[str, pd.DataFrame]:
    """Seed Table 3: per-class P/R/F1 of both tuned models and the F1 difference."""
    rows = []
    for name in cnn.metrics["classes"]:
        a, b = cnn.metrics["per_class"][name], rnn.metrics["per_class"].get(name)
        published = seed.per_class.get(name)
        rows.append({
            "class": name, "CNN (P/R/F1)": prf(a), "BiGRU (P/R/F1)": prf(b) if b else None,
            "F1 difference (CNN - BiGRU)": round(a["f1"] - b["f1"], 3) if b else None,
            "seed's F1 difference": round(published[0][2] - published[1][2], 3) if published else None,
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    return table(frame), frame


def comparison_summary(cnn: Experiment, rnn: Experiment, per_class: pd.DataFrame) -> str:
    """A short generated reading of which family wins where."""
    acc = {"CNN": cnn.metrics["accuracy"], "BiGRU": rnn.metrics["accuracy"]}
    winner = max(acc, key=acc.get) if not np.isclose(acc["CNN"], acc["BiGRU"]) else None
    diff = per_class.set_index("class")["F1 difference (CNN - BiGRU)"].dropna()
    cnn_wins, rnn_wins = diff[diff > 0].index.tolist(), diff[diff < 0].index.tolist()
    head = f"Both tuned models reach {acc['CNN']:.4f} accuracy."
    if winner:
        head = f"The tuned {winner} is more accurate ({acc['CNN']:.4f} CNN against {acc['BiGRU']:.4f} BiGRU)."
    ties = len(diff) - len(cnn_wins) - len(rnn_wins)
    return (f"{head} Macro F1: CNN {cnn.metrics['macro']['f1']:.4f}, BiGRU {rnn.metrics['macro']['f1']:.4f}. "
            f"The CNN has the higher F1 on {len(cnn_wins)} classes ({', '.join(cnn_wins) or 'none'}), "
            f"the BiGRU on {len(rnn_wins)} ({', '.join(rnn_wins) or 'none'}); {ties} tie.")  # fmt: skip
