"""The grid tuner, trial by rung: a point's training continues in its own folder from rung to rung; a re-check run
trains its point from scratch to `--max-epochs`, as a grid sweep's does."""

from dataclasses import replace

import pandas as pd

from experiments.training.run_layout import FitLayout
from experiments.training.tensorboard_logs import hparam_label
from experiments.tuning.grid_tuner import GridTuner, TrialTraining, format_seconds
from experiments.tuning.halving.leaderboard import build_halving_leaderboard
from experiments.tuning.halving.oracle import RUNG, HalvingOracle
from experiments.tuning.halving.rungs import HalvingPlan
from experiments.tuning.recheck.plan import is_recheck
from experiments.tuning.recheck.runs import OwnRun, first_counted_seed, with_recheck
from experiments.tuning.recheck.trials import grid_trials
from experiments.tuning.statuses import COMPLETED, DONE, PRUNED
from experiments.tuning.sweep_plan import SweepPlan


class HalvingTuner(GridTuner):
    """Runs `HalvingOracle` trials: each trains its grid point on to the epochs of its rung."""

    def point_of(self, trial) -> int:
        return self.oracle.point_index(trial.hyperparameters.values)

    def training_of(self, trial) -> TrialTraining:
        if is_recheck(trial.hyperparameters.values):
            return super().training_of(trial)
        point, rung = self.point_of(trial), trial.hyperparameters.values[RUNG]
        recipe = replace(self.recipe, max_epochs=self.oracle.plan.rungs[rung])
        return TrialTraining(
            FitLayout(self.layout.point_dir(point)),
            recipe,
            self.tb_root / f"point_{point:03d}",
            f"{self.layout.name}/point_{point:03d}",
        )

    def sweep_board(self) -> pd.DataFrame:
        return build_halving_leaderboard(self.oracle)

    def own_runs(self) -> dict[int, OwnRun]:
        """Each point's run at the sweep's seed: its folder, its last rung's trial, its status on the leaderboard."""
        last = {}
        for trial in grid_trials(self.trial_list()):
            point = self.point_of(trial)
            if point not in last or trial.hyperparameters.values[RUNG] > last[point].hyperparameters.values[RUNG]:
                last[point] = trial
        status = dict(self.sweep_board()[["point", "status"]].itertuples(index=False))
        return {
            point: OwnRun(trial.trial_id, FitLayout(self.layout.point_dir(point)), status[point])
            for point, trial in last.items()
        }

    def with_recheck(self, board: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
        return with_recheck(board, runs, self.oracle.objective.name, key="point", then=(("rung", False),))

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
        left = max(0, plan.worst_case_epochs(self.oracle.size) - trained) * seconds / max(trained, 1)
        return (
            f"{head} {values} {objective}={row[objective]:.4f} val_loss={row['val_loss']:.4f} "
            f"epochs={row['epochs_run']} ETA at most {format_seconds(left)}"
        )

    def summary(self) -> str:
        plan, size = self.oracle.plan, self.oracle.size
        rungs = ", ".join(str(r) for r in plan.rungs)
        return (
            f"successive halving over a {self.oracle.searched} of {size} points: rungs at {rungs} epochs, "
            f"best 1/{plan.eta} by {plan.rung_score} go on; "
            f"at most {plan.worst_case_epochs(size):,} epochs (the full grid: {size * plan.max_epochs:,})"
            f"{self.recheck_summary()}"
        )

    def finished(self) -> bool:
        """Every point is done (completed, pruned or failed), then every re-check run."""
        board = self.sweep_board()
        done = len(board) == self.oracle.size and board["status"].isin(DONE).all()  # every point proposed, and done
        return bool(done) and self.rechecked() == self.oracle.planned_recheck_runs()

    def best(self) -> tuple[str, FitLayout] | None:
        """The leaderboard's first point (re-checked: the best mean; else the highest rung, then the objective) once
        it has a kept epoch: its own run, or its first counted re-check run where its own was cut short (PRUNED)."""
        board, runs = self.boards()
        row, objective = board.iloc[0], self.oracle.objective.name
        point = int(row["point"])
        seed = first_counted_seed(runs, point, objective) if row["status"] == PRUNED and runs is not None else None
        if seed is not None:
            return f"point {point} (seed {seed})", FitLayout(self.layout.recheck_dir(point, seed))
        if pd.isna(row[objective]):
            return None
        return f"point {point}", FitLayout(self.layout.point_dir(point))


def halving_oracle(plan: SweepPlan, kind: type[HalvingOracle] = HalvingOracle, **kwargs) -> HalvingOracle:
    """The sweep's halving oracle (of `kind`, given `kwargs`), rungs from `--min-epochs`, `--eta`, `--rung-score`."""
    rungs = HalvingPlan(plan.options.min_epochs, plan.options.eta, plan.recipe.max_epochs, plan.options.rung_score)
    point_fit = lambda point: FitLayout(plan.layout.point_dir(point))  # noqa: E731
    return kind(
        plan.space,
        rungs,
        point_fit,
        seed=plan.options.seed,
        objective=plan.recipe.monitor,
        recheck=plan.recheck,
        **plan.sampling(),
        **kwargs,
    )


def halving_tuner(plan: SweepPlan, common: dict) -> HalvingTuner:
    """Successive halving over the sweep's grid in one process."""
    return HalvingTuner(oracle=halving_oracle(plan), **common)
