"""The report's opening summary: what ran, each family's winner with its interval, the paired comparison,
the flags a reader must see before any table, and where to look next."""

from itertools import combinations

import pandas as pd

from hypermodels.names import STAGES, experiment_name
from reports.compared_families import family_labels, search_scripts
from reports.sections.comparison import accuracy_bounds, label, paired_predictions, right_answers, tuned_models
from reports.seed_results import SeedResults
from reports.significance import mcnemar
from reports.training_budget import Budget
from reports.workdir_reader import Experiment


def summary_section(
    info: dict | None, split: pd.DataFrame | None, experiments: dict[str, Experiment], budgets: dict[str, Budget]
) -> str:
    """`## Summary`: a few lines a researcher reads first; the numbered sections follow."""
    lines = [data_line(info, split), *ran_lines(experiments, budgets), *winner_lines(experiments)]
    lines += comparison_lines(experiments)
    lines += flag_lines(experiments, budgets, len(info["class_counts"]) if info else None)
    lines.append(
        "Where to look next: section 2 for each run's curves, confusion matrices and per-class table; section 3 for "
        "the budget against the seed's and seed Tables 2 and 3; section 4 for outside test sets."
    )
    return "## Summary\n\n" + "\n".join(f"- {line}" for line in lines if line) + "\n"


def data_line(info: dict | None, split: pd.DataFrame | None) -> str:
    if info is None or split is None:
        return "**Data**: not prepared yet (`python -m data_pipeline prepare`)."
    counts = split["split"].value_counts()
    kept = sum(1 for row in info["class_counts"] if row["kept"])
    return (
        f"**Data**: `{info['data_dir']}`, {kept} classes; {counts.get('train', 0):,} training, "
        f"{counts.get('val', 0):,} validation and {counts.get('test', 0):,} test clips (split seed {info['seed']})."
    )


def ran_lines(experiments: dict[str, Experiment], budgets: dict[str, Budget]) -> list[str]:
    """One line per experiment: its strategy, and the budget its kept model trained with."""
    seed = SeedResults()
    lines = []
    for name, experiment in experiments.items():
        budget = budgets.get(name)
        share = budget.steps / (seed.steps_per_epoch * seed.max_epochs) if budget else 0.0
        of_seed = f" ({share * 100:.2g}% of the seed's {seed.max_epochs} epochs on its data)"
        of_seed = of_seed if name in seed.models else ""  # the seed trained no such model
        trained = (
            f"{budget.epochs} of {budget.max_epochs} epochs, {budget.steps:,} optimizer steps{of_seed}"
            if budget
            else "not trained yet"
        )
        what = f"{experiment.grid_size}-point sweep, best trial " if experiment.is_sweep else ""
        lines.append(f"**Ran** {experiment.title}: {what}{trained}.")
    return lines or [f"**Ran**: nothing yet ({search_scripts()}, `train.py`)."]


def accuracy_text(experiment: Experiment) -> str:
    low, high = accuracy_bounds(experiment.metrics)
    metrics = experiment.metrics
    return (
        f"{metrics['accuracy']:.3f} test accuracy (95% CI {low:.3f}-{high:.3f}), macro F1 {metrics['macro']['f1']:.3f}"
    )


def winner_lines(experiments: dict[str, Experiment]) -> list[str]:
    """Per family, its best evaluated model: the tuned one where it is evaluated, else the best stage."""
    lines = []
    for family, family_label in family_labels().items():
        evaluated = [experiments[n] for n in (experiment_name(family, s) for s in STAGES) if n in experiments]
        evaluated = [e for e in evaluated if e.metrics is not None]
        if evaluated:
            best = max(evaluated, key=lambda e: e.metrics["accuracy"])
            lines.append(f"**Best {family_label}**: {best.title}, {accuracy_text(best)}.")
    return lines


def comparison_lines(experiments: dict[str, Experiment]) -> list[str]:
    """The paired test of each two evaluated tuned models."""
    tuned = tuned_models(experiments)
    if len(tuned) < 2:
        return ["**Families compared**: needs at least two tuned models evaluated on the same test clips."]
    return [comparison_line(first, second) for first, second in combinations(tuned.values(), 2)]


def comparison_line(first: Experiment, second: Experiment) -> str:
    """The paired test of two evaluated tuned models on the same test clips."""
    pair = f"**{label(first)} against {label(second)}**"
    paired = paired_predictions(first, second)
    if paired is None:
        return f"{pair}: needs both tuned models evaluated on the same test clips."
    right_first, right_second = right_answers(paired, first), right_answers(paired, second)
    test = mcnemar(right_first, right_second)
    better = label(first) if right_first.sum() > right_second.sum() else label(second)
    verdict = "neither is better beyond noise" if test.p_value >= 0.05 else f"the {better} is better beyond noise"
    return f"{pair} (McNemar, {len(paired)} paired test clips): p = {test.p_value:.3g}, {verdict}."


def flag_lines(experiments: dict[str, Experiment], budgets: dict[str, Budget], classes: int | None) -> list[str]:
    """Runs still improving when they stopped, runs not above chance, runs not evaluated yet."""
    improving = [experiments[n].title for n, b in budgets.items() if b.still_improving]
    chance = 1 / classes if classes else None
    at_chance = [
        e.title for e in experiments.values() if e.metrics and chance and accuracy_bounds(e.metrics)[0] <= chance
    ]
    pending = [e.title for e in experiments.values() if e.metrics is None]
    lines = [undertrained_line(experiments, budgets)]
    if improving:
        lines.append(
            f"**Still improving at the last epoch** (undertrained: a lower bound, not a verdict on the recipe): "
            f"{', '.join(improving)}."
        )
    if at_chance:
        lines.append(f"**Not above chance** ({chance:.3f}) beyond noise: {', '.join(at_chance)}.")
    if pending:
        lines.append(f"**Not evaluated yet**: {', '.join(pending)}.")
    return lines


def undertrained_line(experiments: dict[str, Experiment], budgets: dict[str, Budget]) -> str:
    """Models whose whole 95% interval lies below the seed's accuracy after fewer optimizer steps than the seed's."""
    seed = SeedResults()
    short = []
    for name, experiment in experiments.items():
        budget, published = budgets.get(name), seed.models.get(name)
        if experiment.metrics is None or budget is None or published is None:
            continue
        seed_steps = seed.steps_trained(name)
        if accuracy_bounds(experiment.metrics)[1] < published.accuracy and budget.steps < seed_steps:
            short.append(
                f"{experiment.title} {experiment.metrics['accuracy']:.3f} (seed {published.accuracy:.3f}) on "
                f"{budget.steps / seed_steps:.1%} of its optimizer steps ({budget.steps:,} of {seed_steps:,})"
            )
    if not short:
        return ""
    return (
        "**Below the seed's test accuracy on a fraction of its budget** (undertrained here, not a verdict on the "
        f"recipe: more epochs, `--max-epochs`, or more clips would tell): {'; '.join(short)}."
    )
