"""Markdown sections of the comparison report, one function per section."""

import numpy as np
import pandas as pd
from tabulate import tabulate

from data_pipeline.split import split_table
from reports.halving_summary import epochs_spent, halving_progress, rung_table, winner_line
from reports.seed_results import SeedResults
from reports.significance import f1_difference_intervals, mcnemar, wilson_interval
from reports.workdir_reader import Experiment

TITLES = {
    "cnn-baseline": "Baseline CNN", "cnn-enhanced": "Enhanced CNN", "cnn": "Tuned CNN (grid search)",
    "rnn-baseline": "Baseline BiGRU", "rnn-enhanced": "Enhanced BiGRU", "rnn": "Tuned BiGRU (grid search)",
}  # fmt: skip
RESULT_COLUMNS = ["val_accuracy", "val_loss", "best_epoch", "epochs_run", "seconds"]


def experiment_title(experiment: Experiment) -> str:
    """The experiment's title; a tuned model found by successive halving says so."""
    title = TITLES.get(experiment.name, experiment.name)
    return title.replace("(grid search)", "(successive halving)") if experiment.plan is not None else title


def cell_value(value):
    """A table cell: None for a missing number (pandas' NaN included), yes / no for a boolean."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    return None if pd.isna(value) else value


def table(frame: pd.DataFrame, index: bool = False) -> str:
    """Markdown table; missing numbers are blank cells, never `nan`; booleans read yes / no."""
    rows = [[cell_value(v) for v in row] for row in frame.astype(object).itertuples(index=index)]
    headers = [frame.index.name or ""] * index + [str(c) for c in frame.columns]
    return tabulate(rows, headers=headers, tablefmt="pipe", floatfmt=".5g", missingval="")


def recipe_text(info: dict) -> str:
    """A fixed model's recipe in words (seed Figures 46 and 58)."""
    if info.get("patience") is None:
        stopping = f"{info['max_epochs']} epochs with no early stopping (the last epoch's weights are kept)"
    else:
        stopping = (f"up to {info['max_epochs']} epochs with early stopping on validation accuracy (patience "
                    f"{info['patience']}, the best epoch's weights restored)")  # fmt: skip
    schedule = "a constant learning rate"
    if info.get("reduce_lr"):
        factor, patience = info["reduce_lr"]
        schedule = f"the learning rate times {factor:g} after {patience} epochs without a lower validation loss"
    return f"Fixed recipe: {stopping}, {schedule}, batch {info['batch_size']}."


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
        parts.append("### Exploration figures (one sample clip per class)")
        parts += [f"{image(path, caption)}\n\n*{caption}*" for caption, path in figures["eda"]]
    return "\n\n".join(parts) + "\n"


def sweep_status(experiment: Experiment) -> list[str]:
    """Progress (grid, or halving rungs and epochs), total and median time; the top-10 and best point."""
    board, size, plan = experiment.leaderboard, experiment.grid_size, experiment.plan
    if board is None:
        return ["> No leaderboard yet: the sweep has not finished a trial."]
    if plan is not None:
        lines = [halving_progress(board, plan, size), table(rung_table(board, plan)), epochs_spent(board, plan, size)]
        heading = "#### Top 10 points (highest rung, then validation accuracy)"
    else:
        done = board[board["status"].isin(["COMPLETED", "FAILED"])]
        lines = [f"Grid of {size} points: {len(done)} done, {size - len(done)} left"
                 + (" (**sweep still running or interrupted**)." if len(done) < size else "."),
                 f"Trial time: total {done['seconds'].sum():.0f} s, median {done['seconds'].median():.0f} s."
                 if len(done) else ""]  # fmt: skip
        heading = "#### Top 10 trials by validation accuracy"
    lines += [cluster_line(experiment.cluster), heading, table(board.head(10))]
    hp_names = [c for c in board.columns if c not in ("trial_id", "point", "status", "rung", *RESULT_COLUMNS)]
    best = experiment.best_row
    if best is not None:
        lines += ["#### Best hyperparameters", table(pd.DataFrame([best[hp_names]]))]
        if plan is not None:
            lines.append(winner_line(best))
    return [line for line in lines if line]


def cluster_line(cluster: dict | None) -> str:
    """How many workers shared a distributed sweep, and which trials moved after a worker fell silent."""
    if cluster is None:
        return ""
    workers, moves = cluster["workers"], cluster["re_leases"]
    plural = "s" if len(workers) != 1 else ""
    line = f"Ran distributed: a chief and {len(workers)} worker{plural} ({', '.join(workers)})."
    if moves:
        line += " Re-leased after a silent worker: " + ", ".join(
            f"trial {m['trial_id']} ({m['from']} → {m['to']})" for m in moves) + "."  # fmt: skip
    else:
        line += " No trial was re-leased."
    return line


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


def experiment_section(number: str, experiment: Experiment, summary, figures: dict[str, str],
                       outside: list[str] = ()) -> str:  # fmt: skip
    """Everything about one experiment; what is missing is said, not skipped silently."""
    title = experiment_title(experiment)
    parts = [f"### {number} {title} (`{experiment.name}/`)"]
    if experiment.is_sweep:
        parts += sweep_status(experiment)
    else:
        parts.append(recipe_text(experiment.info))
    if summary is not None:
        layers, totals = summary
        parts += ["#### Model summary", table(layers),
                  f"Total params: {totals['total']:,}; trainable: {totals['trainable']:,}; "
                  f"non-trainable: {totals['non_trainable']:,}."]  # fmt: skip
    if "curves" in figures:
        parts.append(image(figures["curves"], "training curves"))
    if experiment.metrics is not None:
        parts += metrics_lines(experiment.metrics, figures)
    parts += outside
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
            "95% CI": accuracy_interval(metrics) if metrics else None,
            "macro F1": metrics["macro"]["f1"] if metrics else None,
            "weighted F1": metrics["weighted"]["f1"] if metrics else None,
            "seed's params": published.params, "seed's accuracy": published.accuracy,
            "seed's macro F1": published.macro[2],
        })  # fmt: skip
    return table(pd.DataFrame(rows))


FAMILIES = {"CNN": ("cnn-baseline", "cnn-enhanced", "cnn"), "BiGRU": ("rnn-baseline", "rnn-enhanced", "rnn")}
STAGES = ("baseline", "enhanced", "tuned")


def progression_reading(experiments: dict[str, Experiment], budgets: dict) -> str:
    """Per family: does baseline < enhanced < tuned hold here, and if not, is it noise or an unfinished run?"""
    lines = []
    for family, names in FAMILIES.items():
        found = [experiments.get(name) for name in names]
        if any(e is None or e.metrics is None for e in found):
            continue
        accuracy = [e.metrics["accuracy"] for e in found]
        intervals = [accuracy_bounds(e.metrics) for e in found]
        text = f"**{family}**: " + " -> ".join(f"{stage} {a:.3f}" for stage, a in zip(STAGES, accuracy, strict=True))
        notes = []
        for i in (1, 2):
            overlap = intervals[i][1] >= intervals[i - 1][0] and intervals[i - 1][1] >= intervals[i][0]
            if accuracy[i] > accuracy[i - 1] and not overlap:
                continue
            if accuracy[i] > accuracy[i - 1]:
                step = f"{STAGES[i]} is above {STAGES[i - 1]} only within noise (the 95% intervals overlap)"
            else:
                step = f"{STAGES[i]} is not above {STAGES[i - 1]}" + (" (within noise: the 95% intervals overlap)"
                                                                      if overlap else "")  # fmt: skip
            unfinished = [STAGES[j] for j in (i - 1, i) if names[j] in budgets and budgets[names[j]].still_improving]
            if unfinished:
                were = "models were" if len(unfinished) > 1 else "model was"
                step += (
                    f"; the {' and '.join(unfinished)} {were} still improving at the last epoch, so this "
                    "workdir's training budget, not the recipe, decides the order"
                )
            notes.append(step)
        text += ": the seed's order holds beyond noise." if not notes else ": " + "; ".join(notes) + "."
        lines.append(text)
    return "\n\n".join(lines)


def accuracy_bounds(metrics: dict) -> tuple[float, float]:
    """Wilson 95% interval of a test accuracy."""
    return wilson_interval(round(metrics["accuracy"] * metrics["test_clips"]), metrics["test_clips"])


def accuracy_interval(metrics: dict) -> str:
    """Wilson 95% interval of a test accuracy, as text."""
    low, high = accuracy_bounds(metrics)
    return f"{low:.3f}-{high:.3f}"


def prf(block: dict) -> str:
    return f"{block['precision']:.3f} / {block['recall']:.3f} / {block['f1']:.3f}"


def table2(cnn: Experiment, rnn: Experiment, params: dict[str, dict], seed: SeedResults) -> str:
    """Seed Table 2: the two tuned models aspect by aspect, with the seed's values."""
    best = {e.name: e.leaderboard.iloc[0] for e in (cnn, rnn)}
    c, r = best["cnn"], best["rnn"]
    head = "Dense 32" if str(r.get("use_dense_head")).lower() == "true" else "no dense head"
    rows = [
        ("Input representation", "Log-Mel (64, T, 1)", "Log-Mel (64, T, 1) as T frames of 64"),
        ("Key configuration", f"Conv filters {c.get('conv_filters')}, Dense {c.get('dense_units')}"
         f"{' per frame, pooled over time' if c.get('head_pooling') == 'time' else ''}, dropout "
         f"{c.get('dropout_block3')} / {c.get('dropout_head')}", f"GRU units {r.get('gru_units')}, {head}, "
         "no dropout" if not float(r.get("dropout", 0) or 0) else f"dropout {float(r['dropout']):g}"),
        ("Optimizer / LR", f"Adam, {c['learning_rate']:g}", f"Adam, {r['learning_rate']:g}"),
        ("Total parameters", f"{params['cnn']['total']:,}", f"{params['rnn']['total']:,}"),
        ("Trainable / non-trainable", f"{params['cnn']['trainable']:,} / {params['cnn']['non_trainable']:,}",
         f"{params['rnn']['trainable']:,} / {params['rnn']['non_trainable']:,}"),
        ("Regularization", "BatchNorm + Dropout" + (f", L2 {float(c['l2_strength']):g}" if float(
            c.get("l2_strength", 0) or 0) else ", no L2"),
         f"GRU dropout {r.get('dropout')}" if float(r.get("dropout", 0)) else "None"),
        ("Test accuracy (95% CI)", f"{cnn.metrics['accuracy']:.3f} ({accuracy_interval(cnn.metrics)})",
         f"{rnn.metrics['accuracy']:.3f} ({accuracy_interval(rnn.metrics)})"),
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
        "Test accuracy (95% CI)": tuple(
            f"{m.accuracy:.3f} ({accuracy_interval({'accuracy': m.accuracy, 'test_clips': seed.test_clips})})"
            for m in (s_cnn, s_rnn)
        ),
        "Macro avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.macro) for m in (s_cnn, s_rnn)),
        "Weighted avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.weighted) for m in (s_cnn, s_rnn)),
    }  # fmt: skip
    frame = pd.DataFrame(
        [{"aspect": a, "tuned CNN": x, "tuned BiGRU": y, "seed's CNN": seed_cols[a][0], "seed's BiGRU": seed_cols[a][1]}
         for a, x, y in rows]
    )  # fmt: skip
    return table(frame)


def paired_predictions(cnn: Experiment, rnn: Experiment) -> pd.DataFrame | None:
    """Both tuned models' predictions on the same test clips (None for workdirs without predictions)."""
    if cnn.predictions is None or rnn.predictions is None:
        return None
    paired = cnn.predictions.merge(rnn.predictions, on=["path", "true"], suffixes=("_cnn", "_rnn"))
    return paired if len(paired) == len(cnn.predictions) == len(rnn.predictions) else None


def f1_intervals(cnn: Experiment, rnn: Experiment) -> pd.DataFrame | None:
    """Per class: paired-bootstrap 95% interval of the F1 difference (CNN - BiGRU)."""
    paired = paired_predictions(cnn, rnn)
    if paired is None:
        return None
    names = cnn.metrics["classes"]
    label = {name: i for i, name in enumerate(names)}
    codes = [paired[column].map(label).to_numpy() for column in ("true", "predicted_cnn", "predicted_rnn")]
    return f1_difference_intervals(*codes, names).set_index("class")


def reading(low: float, high: float) -> str:
    return "CNN better" if low > 0 else "BiGRU better" if high < 0 else "within noise"


def table3(cnn: Experiment, rnn: Experiment, seed: SeedResults) -> tuple[str, pd.DataFrame]:
    """Seed Table 3: per-class P/R/F1 of both tuned models, the F1 difference and whether it is noise."""
    intervals = f1_intervals(cnn, rnn)
    rows = []
    for name in cnn.metrics["classes"]:
        a, b = cnn.metrics["per_class"][name], rnn.metrics["per_class"].get(name)
        published = seed.per_class.get(name)
        row = {
            "class": name, "CNN (P/R/F1)": prf(a), "BiGRU (P/R/F1)": prf(b) if b else None,
            "F1 difference (CNN - BiGRU)": round(a["f1"] - b["f1"], 3) if b else None,
        }  # fmt: skip
        if intervals is not None:
            low, high = intervals.loc[name, ["low", "high"]]
            row.update({"95% CI": f"{low:+.3f} to {high:+.3f}", "reading": reading(low, high)})
        row["seed's F1 difference"] = round(published[0][2] - published[1][2], 3) if published else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    return table(frame), frame


def comparison_summary(cnn: Experiment, rnn: Experiment, per_class: pd.DataFrame) -> str:
    """A short generated reading of which family wins where, and whether it is more than noise."""
    acc = {"CNN": cnn.metrics["accuracy"], "BiGRU": rnn.metrics["accuracy"]}
    clips = cnn.metrics["test_clips"]
    lines = [f"On the same {clips} test clips the tuned CNN reaches {acc['CNN']:.4f} accuracy (95% CI "
             f"{accuracy_interval(cnn.metrics)}) and the tuned BiGRU {acc['BiGRU']:.4f} "
             f"({accuracy_interval(rnn.metrics)}); macro F1 {cnn.metrics['macro']['f1']:.4f} against "
             f"{rnn.metrics['macro']['f1']:.4f}."]  # fmt: skip
    paired = paired_predictions(cnn, rnn)
    if paired is None:
        lines.append(
            "This workdir has no per-clip test predictions (`test_predictions.csv`; evaluate again with "
            "`--evaluate-only`), so no paired test is shown and per-class differences are not qualified."
        )
        return " ".join(lines)
    test = mcnemar((paired["predicted_cnn"] == paired["true"]).to_numpy(),
                   (paired["predicted_rnn"] == paired["true"]).to_numpy())  # fmt: skip
    verdict = (
        "a significant difference at the 5% level"
        if test.p_value < 0.05
        else ("no significant difference at the 5% level: on this test set neither family is shown to be better")
    )
    lines.append(f"McNemar's exact test on the clips where only one model is right (CNN alone "
                 f"{test.only_first_right}, BiGRU alone {test.only_second_right}): p = {test.p_value:.3g}, "
                 f"{verdict}.")  # fmt: skip
    readings = per_class.set_index("class")["reading"]
    cnn_wins = readings[readings == "CNN better"].index.tolist()
    rnn_wins = readings[readings == "BiGRU better"].index.tolist()
    support = min(block["support"] for block in cnn.metrics["per_class"].values())
    lines.append(f"Per class, the paired-bootstrap 95% interval of the F1 difference excludes zero for "
                 f"{len(cnn_wins) + len(rnn_wins)} of {len(readings)} classes (CNN better: "
                 f"{', '.join(cnn_wins) or 'none'}; BiGRU better: {', '.join(rnn_wins) or 'none'}); the other "
                 f"differences are within noise (with {support} test clips in the smallest class, one clip moves "
                 f"its F1 by about {1 / max(support, 1):.2f}).")  # fmt: skip
    return " ".join(lines)
