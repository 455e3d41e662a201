"""How long each model trained, against the seed's budget, and whether it had stopped improving."""

import math
from dataclasses import dataclass

import pandas as pd

from reports.seed_results import SeedResults
from reports.workdir_reader import Experiment


@dataclass(frozen=True)
class Budget:
    """Epochs and optimizer steps one model (a fixed model, or a sweep's best trial) trained."""

    epochs: int
    max_epochs: int
    best_epoch: int
    early_stopped: bool
    steps_per_epoch: int

    @property
    def steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    @property
    def finished(self) -> bool:
        return self.early_stopped or self.epochs >= self.max_epochs

    @property
    def still_improving(self) -> bool:
        """The validation objective was best at the last epoch of a run that hit its epoch limit."""
        return self.finished and not self.early_stopped and self.best_epoch == self.epochs


def budget_of(experiment: Experiment, train_clips: int) -> Budget | None:
    """The budget of a fixed model or of a sweep's best trial, from its committed training state."""
    state = experiment.fit_state
    if state is None or not state.get("epoch"):
        return None
    info = experiment.info
    return Budget(
        epochs=int(state["epoch"]),
        max_epochs=int(info["max_epochs"]),
        best_epoch=int(state["best_epoch"]),
        early_stopped=bool(state["stopped"]),
        steps_per_epoch=math.ceil(train_clips / info["batch_size"]),
    )


def ended_by(budget: Budget, patience: int | None) -> str:
    if budget.early_stopped:
        return f"early stopping (patience {patience})"
    return "epoch limit" if budget.finished else "not finished (interrupted)"


def seed_budget(name: str, seed: SeedResults) -> tuple[str | None, str | None]:
    """The seed's epochs and optimizer steps for this model, as text; None for a model the seed did not train."""
    if name not in seed.models:
        return None, None
    per_epoch = seed.steps_per_epoch
    trained = seed.epochs_trained.get(name)
    if trained is None:
        return f"up to {seed.max_epochs}", f"up to {seed.max_epochs * per_epoch:,}"
    epochs, best = trained
    return f"{epochs}" + (f" (best {best})" if best else ""), f"{epochs * per_epoch:,}"


def budgets_of(experiments: dict[str, Experiment], train_clips: int) -> dict[str, Budget]:
    """The budget of every experiment that has committed an epoch."""
    budgets = {name: budget_of(experiment, train_clips) for name, experiment in experiments.items()}
    return {name: budget for name, budget in budgets.items() if budget is not None}


def budget_table(
    budgets: dict[str, Budget], experiments: dict[str, Experiment], titles: dict[str, str], seed: SeedResults
) -> pd.DataFrame:
    """One row per model: epochs and optimizer steps against the seed's, and whether it was still improving."""
    rows = []
    for name, budget in budgets.items():
        experiment = experiments[name]
        seed_epochs, seed_steps = seed_budget(name, seed)
        note = "**still improving at the last epoch**" if budget.still_improving else ""
        rows.append(
            {
                "model": titles.get(name, name) + (" (best trial)" if experiment.is_sweep else ""),
                "epochs trained": f"{budget.epochs} of {budget.max_epochs}",
                "ended by": ended_by(budget, experiment.info.get("patience")),
                "best val epoch": budget.best_epoch,
                "optimizer steps": f"{budget.steps:,} ({budget.steps_per_epoch}/epoch)",
                "seed's epochs": seed_epochs,
                "seed's steps": seed_steps,
                "note": note,
            }
        )
    return pd.DataFrame(rows)
