"""Section 2 of the report: one experiment (grid or halving progress, cluster line, model, curves, test results)."""

import pandas as pd

from experiments.training.objectives import OBJECTIVES, recorded_objective
from experiments.tuning.halving.rungs import HalvingPlan
from experiments.tuning.leaderboard import RESULT_NAMES
from experiments.tuning.rung_scores import RUNG_SCORES
from experiments.tuning.samplers import searched
from experiments.tuning.statuses import DONE, ENDED, PRUNED
from reports.markdown_tables import image, table
from reports.sections.recheck import recheck_lines
from reports.workdir_reader import Experiment


def points_of(search: str, size: int) -> str:
    """`a grid of 96 points`, `a random search of 16 points`."""
    return f"a {searched(search)} of {size} points"


def halving_progress(board: pd.DataFrame, plan: HalvingPlan, grid_size: int, search: str = "grid") -> str:
    done = int(board["status"].isin(DONE).sum())
    rungs = ", ".join(str(r) for r in plan.rungs)
    ranked_by = RUNG_SCORES.get(str(plan.rung_score), plan.rung_score)
    return (
        f"Successive halving over {points_of(search, grid_size)}: rungs at {rungs} epochs, the best 1/{plan.eta} "
        f"of each rung go on, ranked by {ranked_by}. {done} of {grid_size} points done"
        + (" (**sweep still running or interrupted**)." if done < grid_size else ".")
    )


def rung_table(board: pd.DataFrame, plan: HalvingPlan) -> pd.DataFrame:
    """Per rung: its epochs, how many points trained toward it, and how many of them went on."""
    points = [int((board["rung"] >= number).sum()) for number in range(1, len(plan.rungs) + 1)]
    return pd.DataFrame(
        {"rung": range(1, len(plan.rungs) + 1), "epochs": plan.rungs, "points": points, "promoted": [*points[1:], None]}
    )


def epochs_spent(board: pd.DataFrame, plan: HalvingPlan, grid_size: int) -> str:
    """Epochs trained against the full grid's worst case (every point to --max-epochs)."""
    spent, full = int(board["epochs_run"].sum()), grid_size * plan.max_epochs
    return (
        f"Epochs trained: {spent:,} of the full grid's {full:,} ({spent / full:.0%}; every point to "
        f"{plan.max_epochs} epochs with no early stop). Halving's own worst case: "
        f"{plan.worst_case_epochs(grid_size):,}."
    )


def winner_line(row: pd.Series, objective: str) -> str:
    """Halving's winner; a point cut short at a rung wins only by its re-check mean, and is evaluated from a re-run."""
    if row["status"] == PRUNED:
        return (
            f"Winner by re-check mean: point {row['point']}, cut short at rung {row['rung']} by halving "
            f"({row['epochs_run']} epochs, {OBJECTIVES[objective].title} {row[objective]:.4f}); the model evaluated "
            "on the test split is its first re-check run, trained to the sweep's epochs."
        )
    return (
        f"Winner: point {row['point']}, promoted to rung {row['rung']}, {row['epochs_run']} epochs "
        f"(best at epoch {row['best_epoch']}), {OBJECTIVES[objective].title} {row[objective]:.4f}."
    )


def recipe_text(info: dict) -> str:
    """A fixed model's recipe in words (seed Figures 46 and 58)."""
    if info.get("patience") is None:
        stopping = f"{info['max_epochs']} epochs with no early stopping (the last epoch's weights are kept)"
    else:
        stopping = (
            f"up to {info['max_epochs']} epochs with early stopping on "
            f"{OBJECTIVES[recorded_objective(info)].title} (patience "
            f"{info['patience']}, the best epoch's weights restored)"
        )
    schedule = "a constant learning rate"
    if info.get("reduce_lr"):
        factor, patience = info["reduce_lr"]
        schedule = f"the learning rate times {factor:g} after {patience} epochs without a lower validation loss"
    return f"Fixed recipe: {stopping}, {schedule}, batch {info['batch_size']}."


def sweep_status(experiment: Experiment) -> list[str]:
    """Progress (grid, or halving rungs and epochs), total and median time; the top-10 and best point."""
    board, size, plan = experiment.leaderboard, experiment.grid_size, experiment.plan
    objective = OBJECTIVES[experiment.objective].title
    if board is None:
        return ["> No leaderboard yet: the sweep has not finished a trial."]
    if plan is not None:
        progress = halving_progress(board, plan, size, experiment.search)
        lines = [progress, table(rung_table(board, plan)), epochs_spent(board, plan, size)]
        heading = f"#### Top 10 points (highest rung, then {objective})"
    else:
        done = board[board["status"].isin(ENDED)]
        lines = [
            f"{points_of(experiment.search, size)[2:].capitalize()}: {len(done)} done, {size - len(done)} left"
            + (" (**sweep still running or interrupted**)." if len(done) < size else "."),
            f"Trial time: total {done['seconds'].sum():.0f} s, median {done['seconds'].median():.0f} s."
            if len(done)
            else "",
        ]
        heading = f"#### Top 10 trials by {objective}"
    lines += [cluster_line(experiment.cluster), heading, table(board.head(10))]
    hp_names = [c for c in board.columns if c not in ("trial_id", "point", "status", "rung", *RESULT_NAMES)]
    best = experiment.best_row
    if best is not None:
        lines += ["#### Best hyperparameters", table(pd.DataFrame([best[hp_names]]))]
        if plan is not None:
            lines.append(winner_line(best, experiment.objective))
    lines += recheck_lines(experiment)
    return [line for line in lines if line]


def cluster_line(cluster: dict | None) -> str:
    """How many workers shared a distributed sweep, and which trials moved after a worker fell silent."""
    if cluster is None:
        return ""
    workers, moves = cluster["workers"], cluster["re_leases"]
    plural = "s" if len(workers) != 1 else ""
    line = f"Ran distributed: a chief and {len(workers)} worker{plural} ({', '.join(workers)})."
    if moves:
        line += (
            " Re-leased after a silent worker: "
            + ", ".join(f"trial {m['trial_id']} ({m['from']} → {m['to']})" for m in moves)
            + "."
        )
    else:
        line += " No trial was re-leased."
    return line


def metrics_lines(metrics: dict, figures: dict[str, str]) -> list[str]:
    """Confusion matrices, per-class table, accuracy and averages."""
    per_class = pd.DataFrame(metrics["per_class"]).T.reset_index(names="class")
    overall = pd.DataFrame(
        [
            {"average": "accuracy", "precision": None, "recall": None, "f1": metrics["accuracy"]},
            {"average": "macro", **metrics["macro"]},
            {"average": "weighted", **metrics["weighted"]},
        ]
    )
    return [
        f"#### Test results ({metrics['test_clips']} clips)",
        f"Accuracy **{metrics['accuracy']:.4f}**, macro F1 {metrics['macro']['f1']:.4f}, "
        f"weighted F1 {metrics['weighted']['f1']:.4f}.",
        table(overall),
        table(per_class.astype({"support": int})),
        image(figures["confusion"], "confusion matrix"),
        image(figures["confusion_normalised"], "normalised"),
    ]


def experiment_section(
    number: str, experiment: Experiment, summary, figures: dict[str, str], outside: list[str] = ()
) -> str:
    """Everything about one experiment; what is missing is said, not skipped silently."""
    title = experiment.title
    parts = [f"### {number} {title} (`{experiment.name}/`)"]
    if experiment.is_sweep:
        parts += sweep_status(experiment)
        if "best_so_far" in figures:
            parts.append(image(figures["best_so_far"], "best validation score so far, by points tried and epochs"))
    else:
        parts.append(recipe_text(experiment.info))
    if summary is not None:
        layers, totals = summary
        parts += [
            "#### Model summary",
            table(layers),
            f"Total params: {totals['total']:,}; trainable: {totals['trainable']:,}; "
            f"non-trainable: {totals['non_trainable']:,}.",
        ]
    if "curves" in figures:
        parts.append(image(figures["curves"], "training curves"))
    if experiment.metrics is not None:
        parts += metrics_lines(experiment.metrics, figures)
    parts += outside
    if experiment.missing:
        parts.append(f"> Not available yet: {', '.join(experiment.missing)}.")
    return "\n\n".join(parts) + "\n"
