"""The grid tuner, trial by rung: a point's training continues in its own folder from rung to rung."""

from dataclasses import replace

import pandas as pd

from experiments.training.run_layout import FitLayout
from experiments.training.tensorboard_logs import hparam_label
from experiments.tuning.grid_oracle import trials_on_disk
from experiments.tuning.grid_tuner import GridTuner, TrialTraining, format_seconds
from experiments.tuning.halving.leaderboard import build_halving_leaderboard
from experiments.tuning.halving.oracle import RUNG, HalvingOracle
from experiments.tuning.halving.rungs import HalvingPlan
from experiments.tuning.statuses import COMPLETED, DONE, STOPPED
from experiments.tuning.sweep_plan import SweepPlan


class HalvingTuner(GridTuner):
    """Runs `HalvingOracle` trials: each trains its grid point on to the epochs of its rung."""

    def point_of(self, trial) -> int:
        return self.oracle.point_index(trial.hyperparameters.values)

    def training_of(self, trial) -> TrialTraining:
        point, rung = self.point_of(trial), trial.hyperparameters.values[RUNG]
        recipe = replace(self.recipe, max_epochs=self.oracle.plan.rungs[rung])
        return TrialTraining(
            FitLayout(self.layout.point_dir(point)),
            recipe,
            self.tb_root / f"point_{point:03d}",
            f"{self.layout.name}/point_{point:03d}",
        )

    def leaderboard(self) -> pd.DataFrame:
        return build_halving_leaderboard(self.oracle, self.layout)

    def progress(self, frame: pd.DataFrame, trial, done: int | None = None) -> str:
        """`[rung k/K, E epochs: done/points] point p hp... <objective> val_loss epochs ETA` (worst case).

        `done`: how many of the rung's points had ended with this one, when others may have ended since.
        """
        plan, rung = self.oracle.plan, trial.hyperparameters.values[RUNG]
        at_rung = frame[frame["rung"] >= rung + 1]
        if done is None:
            done = int(((at_rung["epochs_run"] >= plan.rungs[rung]) | at_rung["status"].isin(DONE)).sum())
        row = frame[frame["point"] == self.point_of(trial)].iloc[0]
        values = " ".join(f"{n}={hparam_label(row[n])}" for n in self.oracle.space.names)
        head = f"[rung {rung + 1}/{len(plan.rungs)} at epoch {plan.rungs[rung]}: {done}/{len(at_rung)}]"
        head += f" point {row['point']}"
        if trial.status != COMPLETED:
            return f"{head} {trial.status} {values}"
        trained, seconds, objective = frame["epochs_run"].sum(), frame["seconds"].sum(), self.oracle.objective.name
        left = max(0, plan.worst_case_epochs(len(self.oracle.points)) - trained) * seconds / max(trained, 1)
        return (
            f"{head} {values} {objective}={row[objective]:.4f} val_loss={row['val_loss']:.4f} "
            f"epochs={row['epochs_run']} ETA at most {format_seconds(left)}"
        )

    def summary(self) -> str:
        plan, size = self.oracle.plan, len(self.oracle.points)
        rungs = ", ".join(str(r) for r in plan.rungs)
        return (
            f"successive halving over a grid of {size} points: rungs at {rungs} epochs, best 1/{plan.eta} go on; "
            f"at most {plan.worst_case_epochs(size):,} epochs (the full grid: {size * plan.max_epochs:,})"
        )

    def finished(self) -> bool:
        """Every point is done: completed, pruned or failed."""
        return bool(self.leaderboard()["status"].isin(DONE).all())

    def best(self) -> tuple[str, FitLayout] | None:
        """The leaderboard's first point (highest rung, then the objective) once it has a kept epoch."""
        row = self.leaderboard().iloc[0]
        if pd.isna(row[self.oracle.objective.name]):
            return None
        return f"point {row['point']}", FitLayout(self.layout.point_dir(int(row["point"])))


def halving_oracle(plan: SweepPlan, kind: type[HalvingOracle] = HalvingOracle, **kwargs) -> HalvingOracle:
    """The sweep's halving oracle (of `kind`, given `kwargs`), rungs from `--min-epochs` and `--eta`."""
    rungs = HalvingPlan(plan.options.min_epochs, plan.options.eta, plan.recipe.max_epochs)
    point_fit = lambda point: FitLayout(plan.layout.point_dir(point))  # noqa: E731
    return kind(plan.space, rungs, point_fit, seed=plan.options.seed, objective=plan.recipe.monitor, **kwargs)


def halving_tuner(plan: SweepPlan, common: dict) -> HalvingTuner:
    """Successive halving over the sweep's grid in one process."""
    return HalvingTuner(oracle=halving_oracle(plan), **common)


def halving_finished_on_disk(plan: SweepPlan) -> bool:
    """Whether the trials a chief wrote end the sweep: every rung decided and the last one's trials ended."""
    oracle = halving_oracle(plan)
    oracle.trials = trials_on_disk(plan.layout.tuner_dir)
    return oracle.populate_space("")["status"] == STOPPED
