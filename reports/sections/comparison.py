"""Section 3 of the report: the comparison (training budget, progression, seed Tables 2 and 3, significance)."""

from itertools import combinations

import numpy as np
import pandas as pd

from hypermodels.families import FAMILIES
from hypermodels.names import STAGES, experiment_name, family_stages
from reports.compared_families import family_labels
from reports.markdown_tables import table
from reports.seed_results import SeedModel, SeedResults
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
    tuned = comparable_models(experiments, params)
    if len(tuned) < 2:
        folders = ", ".join(f"`{family}/`" for family in family_labels())
        parts.append(
            f"> Tables 2 and 3 need at least two tuned models evaluated (looked for {folders}, each with a readable "
            "leaderboard.csv and test_metrics.json)."
        )
        return "\n\n".join(parts) + "\n"
    parts += [
        f"### Tuned {' against tuned '.join(map(label, tuned.values()))} (seed Table 2)",
        table2(tuned, params, seed),
    ]
    pairs = list(combinations(tuned.values(), 2))
    for first, second in pairs:
        parts += pair_parts(first, second, seed, several=len(pairs) > 1)
    return "\n\n".join(parts) + "\n"


def label(experiment: Experiment) -> str:
    """The label of the family whose tuned model `experiment` is: `CNN`."""
    return family_labels()[experiment.name]


def tuned_models(experiments: dict[str, Experiment]) -> dict[str, Experiment]:
    """Family -> its tuned model, for every family with an evaluated tuned model, in the report's order."""
    found = {family: experiments.get(family) for family in family_labels()}
    return {family: e for family, e in found.items() if e is not None and e.metrics}


def comparable_models(experiments: dict[str, Experiment], params: dict[str, dict]) -> dict[str, Experiment]:
    """The evaluated tuned models that Table 2 can describe: a kept best trial and a readable model file."""
    return {f: e for f, e in tuned_models(experiments).items() if e.best_row is not None and e.name in params}


def pair_parts(first: Experiment, second: Experiment, seed: SeedResults, several: bool) -> list[str]:
    """Seed Table 3 and the paired tests of two tuned models; the headings name the pair where there are `several`."""
    per_class_text, per_class = table3(first, second, seed)
    pair = f": {label(first)} against {label(second)}" if several else ""
    return [
        f"### Per class{pair} (seed Table 3)",
        per_class_text,
        f"### Summary{pair}",
        comparison_summary(first, second, per_class),
    ]


def progression_table(experiments: dict[str, Experiment], params: dict[str, dict], seed: SeedResults) -> str:
    """Baseline -> enhanced -> tuned per family, ours beside the seed's (blank for a model the seed did not train); a
    family that neither this workdir nor the seed trained is left out."""
    rows = []
    for family, family_label in family_labels().items():
        names = [experiment_name(family, stage) for stage in family_stages(family)]
        if not any(name in experiments or name in seed.models for name in names):
            continue
        for stage, name in zip(family_stages(family), names, strict=True):
            ours = experiments.get(name)
            title = ours.title if ours else f"{stage.capitalize()} {family_label}"
            rows.append(progression_row(title, ours, params.get(name, {}), seed.models.get(name)))
    return table(pd.DataFrame(rows))


def progression_row(title: str, ours: Experiment | None, counts: dict, published: SeedModel | None) -> dict:
    """One model's row of the progression table."""
    metrics = ours.metrics if ours else None
    return {
        "model": title,
        "params": counts.get("total"),
        "accuracy": metrics["accuracy"] if metrics else None,
        "95% CI": accuracy_interval(metrics) if metrics else None,
        "macro F1": metrics["macro"]["f1"] if metrics else None,
        "weighted F1": metrics["weighted"]["f1"] if metrics else None,
        "seed's params": published.params if published else None,
        "seed's accuracy": published.accuracy if published else None,
        "seed's macro F1": published.macro[2] if published else None,
    }


def progression_reading(experiments: dict[str, Experiment], budgets: dict) -> str:
    """Per family: does baseline < enhanced < tuned hold here, and if not, is it noise or an unfinished run?"""
    lines = []
    for family, family_label in family_labels().items():
        names = [experiment_name(family, stage) for stage in STAGES]
        found = [experiments.get(name) for name in names]
        if any(e is None or e.metrics is None for e in found):
            continue
        accuracy = [e.metrics["accuracy"] for e in found]
        intervals = [accuracy_bounds(e.metrics) for e in found]
        text = f"**{family_label}**: " + " -> ".join(
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


ASPECTS = (
    "Input representation",
    "Key configuration",
    "Optimizer / LR",
    "Total parameters",
    "Trainable / non-trainable",
    "Regularization",
    "Test accuracy (95% CI)",
    "Macro avg (P / R / F1)",
    "Weighted avg (P / R / F1)",
)  # the rows of seed Table 2


def cnn_configuration(experiment: Experiment) -> dict[str, str]:
    """The tuned CNN's input, key configuration and regularization, from its best trial."""
    row = experiment.best_row
    pooled = " per frame, pooled over time" if row.get("head_pooling") == "time" else ""
    l2 = float(row.get("l2_strength", 0) or 0)
    return {
        "Input representation": "Log-Mel (64, T, 1)",
        "Key configuration": f"Conv filters {row.get('conv_filters')}, Dense {row.get('dense_units')}{pooled}, "
        f"dropout {row.get('dropout_block3')} / {row.get('dropout_head')}",
        "Regularization": "BatchNorm + Dropout" + (f", L2 {l2:g}" if l2 else ", no L2"),
    }


def rnn_configuration(experiment: Experiment) -> dict[str, str]:
    """The tuned BiGRU's input, key configuration and regularization, from its best trial."""
    row = experiment.best_row
    dropout = float(row.get("dropout", 0) or 0)
    head = "Dense 32" if str(row.get("use_dense_head")).lower() == "true" else "no dense head"
    return {
        "Input representation": "Log-Mel (64, T, 1) as T frames of 64",
        "Key configuration": f"GRU units {row.get('gru_units')}, {head}, "
        + (f"dropout {dropout:g}" if dropout else "no dropout"),
        "Regularization": f"GRU dropout {row.get('dropout')}" if dropout else "None",
    }


def musicnn_configuration(experiment: Experiment) -> dict[str, str]:
    """The tuned musicnn head's input, key configuration and regularization, from its best trial."""
    row = experiment.best_row
    units = int(float(row.get("head_units", 0) or 0))
    dropout, l2 = float(row.get("dropout_head", 0) or 0), float(row.get("l2_strength", 0) or 0)
    return {
        "Input representation": "MTT_musicnn's pooled embedding, its back end fine-tuned"
        if row.get("embedding") == "penultimate_tuned"
        else f"MTT_musicnn's {row.get('embedding', 'pooled')} embedding (frozen, pretrained)",
        "Key configuration": f"Dense {units} ReLU head" if units else "linear probe",
        "Regularization": "BatchNorm"
        + (f" + Dropout {dropout:g}" if dropout else "")
        + (f", L2 {l2:g}" if l2 else ", no L2"),
    }


def musicnn_ft_configuration(experiment: Experiment) -> dict[str, str]:
    """The tuned musicnn_ft model's input, key configuration and regularization, from its best trial (a key the
    sweep did not search has the family's default)."""
    row, known = experiment.best_row, FAMILIES["musicnn_ft"]
    features = known.features

    def value(name: str) -> float:
        return float(row.get(name, known.defaults[name]))

    units, masks = int(value("head_units")), {name: int(value(name)) for name in ("time_mask", "freq_mask")}
    dropout, l2, mixup = value("dropout_head"), value("l2_strength"), value("mixup_alpha")
    return {
        "Input representation": f"MTT_musicnn's log-Mel patch ({features.num_mels} x {features.patch_frames}, "
        f"{features.sample_rate / 1000:g} kHz)",
        "Key configuration": f"MTT_musicnn, its last {int(value('unfrozen_blocks'))} block(s) fine-tuned, "
        + (f"Dense {units} ReLU head" if units else "linear head"),
        "Regularization": "BatchNorm"
        + (f" + Dropout {dropout:g}" if dropout else "")
        + (f", SpecAugment ({', '.join(f'{k} {v}' for k, v in masks.items())})" if any(masks.values()) else "")
        + (f", mixup {mixup:g}" if mixup else "")
        + (f", L2 {l2:g}" if l2 else ", no L2"),
    }


def swept_configuration(experiment: Experiment) -> dict[str, str | None]:
    """A family the report has no words for: the best trial's swept hyperparameters but the learning rate."""
    row = experiment.best_row
    swept = [name for name, _ in experiment.info.get("space", []) if name != "learning_rate" and name in row.index]
    return {"Key configuration": ", ".join(f"{name} {row[name]}" for name in swept) or None}


# family -> its words; a family without: its swept hyperparameters
CONFIGURATIONS = {
    "cnn": cnn_configuration,
    "rnn": rnn_configuration,
    "musicnn": musicnn_configuration,
    "musicnn_ft": musicnn_ft_configuration,
}


def tuned_column(experiment: Experiment, counts: dict) -> dict[str, str | None]:
    """One tuned model's Table 2 column: its configuration, parameter counts and test results (95% CI)."""
    metrics, rate = experiment.metrics, experiment.best_row.get("learning_rate")
    return {
        **CONFIGURATIONS.get(experiment.name, swept_configuration)(experiment),
        "Optimizer / LR": None if rate is None else f"Adam, {float(rate):g}",
        "Total parameters": f"{counts['total']:,}",
        "Trainable / non-trainable": f"{counts['trainable']:,} / {counts['non_trainable']:,}",
        "Test accuracy (95% CI)": f"{metrics['accuracy']:.3f} ({accuracy_interval(metrics)})",
        "Macro avg (P / R / F1)": prf(metrics["macro"]),
        "Weighted avg (P / R / F1)": prf(metrics["weighted"]),
    }


def seed_column(seed: SeedResults, family: str) -> dict[str, str]:
    """The seed's tuned model of `family` as a Table 2 column."""
    model = seed.models[family]
    accuracy = {"accuracy": model.accuracy, "test_clips": seed.test_clips}
    return {
        **seed.aspects[family],
        "Total parameters": f"{model.params:,}",
        "Trainable / non-trainable": f"{model.trainable:,} / {model.params - model.trainable:,}",
        "Test accuracy (95% CI)": f"{model.accuracy:.3f} ({accuracy_interval(accuracy)})",
        "Macro avg (P / R / F1)": " / ".join(f"{v:.3f}" for v in model.macro),
        "Weighted avg (P / R / F1)": " / ".join(f"{v:.3f}" for v in model.weighted),
    }


def table2(tuned: dict[str, Experiment], params: dict[str, dict], seed: SeedResults) -> str:
    """Seed Table 2: the tuned models aspect by aspect, then the seed's of the families it tuned."""
    labels = family_labels()
    columns = {f"tuned {labels[family]}": tuned_column(e, params[family]) for family, e in tuned.items()}
    columns |= {f"seed's {labels[family]}": seed_column(seed, family) for family in tuned if family in seed.aspects}
    rows = [{"aspect": aspect, **{name: column.get(aspect) for name, column in columns.items()}} for aspect in ASPECTS]
    return table(pd.DataFrame(rows))


def paired_predictions(first: Experiment, second: Experiment) -> pd.DataFrame | None:
    """Both tuned models' predictions on the same test clips, `predicted_<name>` each (None for workdirs without
    predictions)."""
    if first.predictions is None or second.predictions is None:
        return None
    paired = first.predictions.merge(
        second.predictions, on=["path", "true"], suffixes=(f"_{first.name}", f"_{second.name}")
    )
    return paired if len(paired) == len(first.predictions) == len(second.predictions) else None


def right_answers(paired: pd.DataFrame, experiment: Experiment) -> np.ndarray:
    """Per paired clip, whether `experiment` predicted its class."""
    return (paired[f"predicted_{experiment.name}"] == paired["true"]).to_numpy()


def f1_intervals(first: Experiment, second: Experiment) -> pd.DataFrame | None:
    """Per class: paired-bootstrap 95% interval of the F1 difference (first - second)."""
    paired = paired_predictions(first, second)
    if paired is None:
        return None
    names = first.metrics["classes"]
    code = {name: i for i, name in enumerate(names)}
    columns = ("true", f"predicted_{first.name}", f"predicted_{second.name}")
    return f1_difference_intervals(*(paired[column].map(code).to_numpy() for column in columns), names).set_index(
        "class"
    )


def reading(low: float, high: float, first: str, second: str) -> str:
    """`<first> better`, `<second> better` or `within noise`, from the interval of first - second."""
    return f"{first} better" if low > 0 else f"{second} better" if high < 0 else "within noise"


def table3(first: Experiment, second: Experiment, seed: SeedResults) -> tuple[str, pd.DataFrame]:
    """Seed Table 3: per-class P/R/F1 of two tuned models, the F1 difference and whether it is noise (and the seed's
    difference where it compared the two families)."""
    a_label, b_label = label(first), label(second)
    intervals = f1_intervals(first, second)
    published = seed.f1_differences(first.name, second.name)
    rows = []
    for name in first.metrics["classes"]:
        a, b = first.metrics["per_class"][name], second.metrics["per_class"].get(name)
        row = {
            "class": name,
            f"{a_label} (P/R/F1)": prf(a),
            f"{b_label} (P/R/F1)": prf(b) if b else None,
            f"F1 difference ({a_label} - {b_label})": round(a["f1"] - b["f1"], 3) if b else None,
        }
        if intervals is not None:
            low, high = intervals.loc[name, ["low", "high"]]
            row.update({"95% CI": f"{low:+.3f} to {high:+.3f}", "reading": reading(low, high, a_label, b_label)})
        if published is not None:
            row["seed's F1 difference"] = published.get(name)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return table(frame), frame


def comparison_summary(first: Experiment, second: Experiment, per_class: pd.DataFrame) -> str:
    """A short generated reading of which of two families wins where, and whether it is more than noise."""
    a, b = first.metrics, second.metrics
    lines = [
        f"On the same {a['test_clips']} test clips the tuned {label(first)} reaches {a['accuracy']:.4f} accuracy "
        f"(95% CI {accuracy_interval(a)}) and the tuned {label(second)} {b['accuracy']:.4f} "
        f"({accuracy_interval(b)}); macro F1 {a['macro']['f1']:.4f} against {b['macro']['f1']:.4f}."
    ]
    paired = paired_predictions(first, second)
    if paired is None:
        lines.append(
            "This workdir has no per-clip test predictions (`test_predictions.csv`; evaluate again with "
            "`--evaluate-only`), so no paired test is shown and per-class differences are not qualified."
        )
        return " ".join(lines)
    lines += [mcnemar_sentence(first, second, paired), per_class_sentence(first, second, per_class)]
    return " ".join(lines)


def mcnemar_sentence(first: Experiment, second: Experiment, paired: pd.DataFrame) -> str:
    """McNemar's exact test of two tuned models on their paired test clips, as a sentence."""
    test = mcnemar(right_answers(paired, first), right_answers(paired, second))
    verdict = (
        "a significant difference at the 5% level"
        if test.p_value < 0.05
        else ("no significant difference at the 5% level: on this test set neither family is shown to be better")
    )
    return (
        f"McNemar's exact test on the clips where only one model is right ({label(first)} alone "
        f"{test.only_first_right}, {label(second)} alone {test.only_second_right}): p = {test.p_value:.3g}, "
        f"{verdict}."
    )


def per_class_sentence(first: Experiment, second: Experiment, per_class: pd.DataFrame) -> str:
    """Which classes' F1 difference is beyond noise, by the paired-bootstrap intervals of Table 3."""
    readings = per_class.set_index("class")["reading"]
    wins = {name: readings[readings == f"{name} better"].index.tolist() for name in (label(first), label(second))}
    support = min(block["support"] for block in first.metrics["per_class"].values())
    better = "; ".join(f"{name} better: {', '.join(classes) or 'none'}" for name, classes in wins.items())
    return (
        f"Per class, the paired-bootstrap 95% interval of the F1 difference excludes zero for "
        f"{sum(map(len, wins.values()))} of {len(readings)} classes ({better}); the other "
        f"differences are within noise (with {support} test clips in the smallest class, one clip moves "
        f"its F1 by about {1 / max(support, 1):.2f})."
    )
