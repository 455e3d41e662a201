"""Section 3 of the report: the comparison (training budget, progression, seed Tables 2 and 3, significance)."""

import pandas as pd

from hypermodels.families import FAMILIES, STAGES, experiments_in_order, title
from reports.markdown_tables import table
from reports.seed_results import SeedResults
from reports.significance import f1_difference_intervals, mcnemar, wilson_interval
from reports.training_budget import Budget, budget_table, budgets_of
from reports.workdir_reader import Experiment


def titles_of(experiments: dict[str, Experiment]) -> dict[str, str]:
    return {name: experiment.title for name, experiment in experiments.items()}


def budget_section(
    experiments: dict[str, Experiment], budgets: dict[str, Budget], train_clips: int, seed: SeedResults
) -> list[str]:
    """Epochs and optimizer steps against the seed's, flagging models still improving when training ended."""
    if not budgets:
        return []
    parts = [
        "### Training budget against the seed's",
        f"The seed trained on {seed.train_clips:,} clips in batches of {seed.batch_size} "
        f"({seed.steps_per_epoch} optimizer steps per epoch) for up to "
        f"{seed.max_epochs} epochs; this workdir has {train_clips:,} training clips.",
        table(budget_table(budgets, experiments, titles_of(experiments), seed)),
    ]
    improving = [experiments[name].title for name, budget in budgets.items() if budget.still_improving]
    if improving:
        parts.append(
            f"> **Still improving at the last epoch:** {', '.join(improving)}. The validation objective was "
            "best at the final epoch, so training stopped before the model converged: its test numbers "
            "are a lower bound of what its recipe reaches, not evidence that the recipe is worse. Train "
            "with more epochs or more data (`--max-epochs`, a larger `--per-class` demo) to compare."
        )
    return parts


def comparison_section(experiments: dict[str, Experiment], params: dict[str, dict], train_clips: int | None) -> str:
    seed = SeedResults()
    budgets = budgets_of(experiments, train_clips) if train_clips else {}
    parts = [
        "## 3. Comparison",
        "The seed's numbers come from its own data (Kaggle set, 14 classes, 5,305 test clips); ours from this "
        "workdir's data, so they are shown side by side, not as a match. Accuracy intervals are Wilson 95% "
        "intervals over the test clips.",
        *budget_section(experiments, budgets, train_clips, seed),
        "### Progression: baseline -> enhanced -> tuned",
        progression_table(experiments, params, seed),
        progression_reading(experiments, budgets),
    ]
    cnn, rnn = experiments.get("cnn"), experiments.get("rnn")
    ready = [
        e for e in (cnn, rnn) if e is not None and e.metrics is not None and e.best_row is not None and e.name in params
    ]
    if len(ready) < 2:
        parts.append(
            "> Tables 2 and 3 need both tuned models evaluated (`cnn/`, `rnn/` with a readable leaderboard.csv and "
            "test_metrics.json)."
        )
        return "\n\n".join(parts) + "\n"
    per_class_text, per_class = table3(cnn, rnn, seed)
    parts += [
        "### Tuned CNN against tuned BiGRU (seed Table 2)",
        table2(cnn, rnn, params, seed),
        "### Per class (seed Table 3)",
        per_class_text,
        "### Summary",
        comparison_summary(cnn, rnn, per_class),
    ]
    return "\n\n".join(parts) + "\n"


def progression_table(experiments: dict[str, Experiment], params: dict[str, dict], seed: SeedResults) -> str:
    """Baseline -> enhanced -> tuned per family, ours beside the seed's."""
    rows = []
    for name in experiments_in_order():
        ours = experiments.get(name)
        metrics = ours.metrics if ours else None
        published = seed.models[name]
        rows.append(
            {
                "model": experiments[name].title if name in experiments else title(name),
                "params": params.get(name, {}).get("total"),
                "accuracy": metrics["accuracy"] if metrics else None,
                "95% CI": accuracy_interval(metrics) if metrics else None,
                "macro F1": metrics["macro"]["f1"] if metrics else None,
                "weighted F1": metrics["weighted"]["f1"] if metrics else None,
                "seed's params": published.params,
                "seed's accuracy": published.accuracy,
                "seed's macro F1": published.macro[2],
            }
        )
    return table(pd.DataFrame(rows))


def progression_reading(experiments: dict[str, Experiment], budgets: dict) -> str:
    """Per family: does baseline < enhanced < tuned hold here, and if not, is it noise or an unfinished run?"""
    lines = []
    for family in FAMILIES.values():
        names = [family.experiment(stage) for stage in STAGES]
        found = [experiments.get(name) for name in names]
        if any(e is None or e.metrics is None for e in found):
            continue
        accuracy = [e.metrics["accuracy"] for e in found]
        intervals = [accuracy_bounds(e.metrics) for e in found]
        text = f"**{family.label}**: " + " -> ".join(
            f"{stage} {a:.3f}" for stage, a in zip(STAGES, accuracy, strict=True)
        )
        notes = []
        for i in (1, 2):
            overlap = intervals[i][1] >= intervals[i - 1][0] and intervals[i - 1][1] >= intervals[i][0]
            if accuracy[i] > accuracy[i - 1] and not overlap:
                continue
            if accuracy[i] > accuracy[i - 1]:
                step = f"{STAGES[i]} is above {STAGES[i - 1]} only within noise (the 95% intervals overlap)"
            else:
                step = f"{STAGES[i]} is not above {STAGES[i - 1]}" + (
                    " (within noise: the 95% intervals overlap)" if overlap else ""
                )
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
    best = {e.name: e.best_row for e in (cnn, rnn)}
    c, r = best["cnn"], best["rnn"]
    head = "Dense 32" if str(r.get("use_dense_head")).lower() == "true" else "no dense head"
    rows = [
        ("Input representation", "Log-Mel (64, T, 1)", "Log-Mel (64, T, 1) as T frames of 64"),
        (
            "Key configuration",
            f"Conv filters {c.get('conv_filters')}, Dense {c.get('dense_units')}"
            f"{' per frame, pooled over time' if c.get('head_pooling') == 'time' else ''}, dropout "
            f"{c.get('dropout_block3')} / {c.get('dropout_head')}",
            f"GRU units {r.get('gru_units')}, {head}, no dropout"
            if not float(r.get("dropout", 0) or 0)
            else f"dropout {float(r['dropout']):g}",
        ),
        ("Optimizer / LR", f"Adam, {c['learning_rate']:g}", f"Adam, {r['learning_rate']:g}"),
        ("Total parameters", f"{params['cnn']['total']:,}", f"{params['rnn']['total']:,}"),
        (
            "Trainable / non-trainable",
            f"{params['cnn']['trainable']:,} / {params['cnn']['non_trainable']:,}",
            f"{params['rnn']['trainable']:,} / {params['rnn']['non_trainable']:,}",
        ),
        (
            "Regularization",
            "BatchNorm + Dropout"
            + (f", L2 {float(c['l2_strength']):g}" if float(c.get("l2_strength", 0) or 0) else ", no L2"),
            f"GRU dropout {r.get('dropout')}" if float(r.get("dropout", 0)) else "None",
        ),
        (
            "Test accuracy (95% CI)",
            f"{cnn.metrics['accuracy']:.3f} ({accuracy_interval(cnn.metrics)})",
            f"{rnn.metrics['accuracy']:.3f} ({accuracy_interval(rnn.metrics)})",
        ),
        ("Macro avg (P / R / F1)", prf(cnn.metrics["macro"]), prf(rnn.metrics["macro"])),
        ("Weighted avg (P / R / F1)", prf(cnn.metrics["weighted"]), prf(rnn.metrics["weighted"])),
    ]
    s_cnn, s_rnn = seed.models["cnn"], seed.models["rnn"]
    seed_cols = {
        "Input representation": seed.aspects["Input representation"],
        "Key configuration": seed.aspects["Key configuration"],
        "Optimizer / LR": seed.aspects["Optimizer / LR"],
        "Total parameters": (f"{s_cnn.params:,}", f"{s_rnn.params:,}"),
        "Trainable / non-trainable": (
            f"{s_cnn.trainable:,} / {s_cnn.params - s_cnn.trainable:,}",
            f"{s_rnn.trainable:,} / {s_rnn.params - s_rnn.trainable:,}",
        ),
        "Regularization": seed.aspects["Regularization"],
        "Test accuracy (95% CI)": tuple(
            f"{m.accuracy:.3f} ({accuracy_interval({'accuracy': m.accuracy, 'test_clips': seed.test_clips})})"
            for m in (s_cnn, s_rnn)
        ),
        "Macro avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.macro) for m in (s_cnn, s_rnn)),
        "Weighted avg (P / R / F1)": tuple(" / ".join(f"{v:.3f}" for v in m.weighted) for m in (s_cnn, s_rnn)),
    }
    frame = pd.DataFrame(
        [
            {
                "aspect": a,
                "tuned CNN": x,
                "tuned BiGRU": y,
                "seed's CNN": seed_cols[a][0],
                "seed's BiGRU": seed_cols[a][1],
            }
            for a, x, y in rows
        ]
    )
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
            "class": name,
            "CNN (P/R/F1)": prf(a),
            "BiGRU (P/R/F1)": prf(b) if b else None,
            "F1 difference (CNN - BiGRU)": round(a["f1"] - b["f1"], 3) if b else None,
        }
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
    lines = [
        f"On the same {clips} test clips the tuned CNN reaches {acc['CNN']:.4f} accuracy (95% CI "
        f"{accuracy_interval(cnn.metrics)}) and the tuned BiGRU {acc['BiGRU']:.4f} "
        f"({accuracy_interval(rnn.metrics)}); macro F1 {cnn.metrics['macro']['f1']:.4f} against "
        f"{rnn.metrics['macro']['f1']:.4f}."
    ]
    paired = paired_predictions(cnn, rnn)
    if paired is None:
        lines.append(
            "This workdir has no per-clip test predictions (`test_predictions.csv`; evaluate again with "
            "`--evaluate-only`), so no paired test is shown and per-class differences are not qualified."
        )
        return " ".join(lines)
    test = mcnemar(
        (paired["predicted_cnn"] == paired["true"]).to_numpy(), (paired["predicted_rnn"] == paired["true"]).to_numpy()
    )
    verdict = (
        "a significant difference at the 5% level"
        if test.p_value < 0.05
        else ("no significant difference at the 5% level: on this test set neither family is shown to be better")
    )
    lines.append(
        f"McNemar's exact test on the clips where only one model is right (CNN alone "
        f"{test.only_first_right}, BiGRU alone {test.only_second_right}): p = {test.p_value:.3g}, "
        f"{verdict}."
    )
    readings = per_class.set_index("class")["reading"]
    cnn_wins = readings[readings == "CNN better"].index.tolist()
    rnn_wins = readings[readings == "BiGRU better"].index.tolist()
    support = min(block["support"] for block in cnn.metrics["per_class"].values())
    lines.append(
        f"Per class, the paired-bootstrap 95% interval of the F1 difference excludes zero for "
        f"{len(cnn_wins) + len(rnn_wins)} of {len(readings)} classes (CNN better: "
        f"{', '.join(cnn_wins) or 'none'}; BiGRU better: {', '.join(rnn_wins) or 'none'}); the other "
        f"differences are within noise (with {support} test clips in the smallest class, one clip moves "
        f"its F1 by about {1 / max(support, 1):.2f})."
    )
    return " ".join(lines)
