"""Read what a workdir holds, naming what is missing instead of failing."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_pipeline.workdir import Workdir
from experiments.training.objectives import recorded_objective
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.halving.rungs import HalvingPlan, plan_of
from experiments.tuning.recheck.runs import RUN_KEYS, first_counted_seed
from experiments.tuning.statuses import PRUNED
from hypermodels.families import experiments_in_order, title
from plumbing.csv_files import read_csv as read_table


@dataclass
class Experiment:
    """One experiment folder and whatever of its results exist."""

    layout: RunLayout
    info: dict
    leaderboard: pd.DataFrame | None = None
    metrics: dict | None = None
    history: pd.DataFrame | None = None
    predictions: pd.DataFrame | None = None
    fit_state: dict | None = None
    cluster: dict | None = None  # a distributed sweep's workers and re-leased trials
    recheck_runs: pd.DataFrame | None = None  # a re-checked sweep's runs per point and seed (`recheck.csv`)
    missing: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The model's title, and for a tuned model the strategy that found it: `Tuned CNN (grid search)`."""
        try:
            name = title(self.name)
        except KeyError:  # a folder no family names
            return self.name
        if not self.is_sweep:
            return name
        searched = "" if self.search == "grid" and self.plan is not None else f"{self.search} search"
        halving = "successive halving" if self.plan is not None else ""
        return f"{name} ({', '.join(part for part in (searched, halving) if part)})"

    @property
    def search(self) -> str:
        """Which points the sweep trained (`--search`; a sweep from before the option walked its grid)."""
        return self.info.get("search", "grid")

    @property
    def name(self) -> str:
        return self.layout.name

    @property
    def is_sweep(self) -> bool:
        return self.info.get("kind") == "sweep"

    @property
    def grid_size(self) -> int:
        """The points the sweep trains: its grid, or the points its sampler draws (`--max-trials`, at most the
        grid's; an adaptive search's proposals once it found no new point)."""
        space = self.info.get("space", [])
        lists = all(isinstance(values, list) for _, values in space)  # a range is recorded as a mapping
        grid = int(pd.Series([len(values) for _, values in space]).prod()) if space and lists else None
        if not self.info.get("max_trials"):
            return grid or 0
        proposed = read_json(self.layout.proposals, None)
        if proposed and proposed.get("exhausted") and isinstance(proposed.get("points"), list):
            return len(proposed["points"])
        return min(int(self.info["max_trials"]), grid or int(self.info["max_trials"]))

    @property
    def plan(self) -> HalvingPlan | None:
        """The halving plan of a successive-halving sweep; None for a grid sweep or a fixed model."""
        return plan_of(self.info) if self.is_sweep else None

    @property
    def objective(self) -> str:
        """What early stopping, the kept epoch and the sweep's ranking maximized (`--objective`)."""
        return recorded_objective(self.info)

    @property
    def best_row(self) -> pd.Series | None:
        """The leaderboard's first row (the best trial or point) of a sweep with a kept epoch."""
        board = self.leaderboard
        if board is None or board.empty or board[self.objective].isna().all():
            return None
        return board.iloc[0]

    @property
    def best_fit(self) -> FitLayout | None:
        """The training folder of the sweep's best trial (grid) or point (halving)."""
        row = self.best_row
        if row is None:
            return None
        if self.plan is None:
            return FitLayout(self.layout.trial_dir(str(row["trial_id"])))
        point, runs = int(row["point"]), self.recheck_runs
        seed = first_counted_seed(runs, point, self.objective) if row["status"] == PRUNED and runs is not None else None
        if seed is not None:  # a re-checked winner cut short at a rung: the sweep evaluated its first re-check run
            return FitLayout(self.layout.recheck_dir(point, seed))
        return FitLayout(self.layout.point_dir(point))


def read_csv(path: Path, missing: list[str], columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """A CSV the workdir holds, or None with its name (and why, if damaged) added to `missing`; one that parses but
    lacks any of `columns` counts as damaged."""
    if not path.exists():
        missing.append(path.name)
        return None
    try:
        frame = read_table(path, dtype={"trial_id": str, "grid_trial": str})
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        missing.append(f"{path.name} (damaged: {str(error).splitlines()[0]})")
        return None
    lacking = [name for name in columns if name not in frame.columns]
    if lacking:
        missing.append(f"{path.name} (damaged: no column {', '.join(lacking)})")
        return None
    return frame


def read_json(path: Path, missing: list[str] | None) -> dict | None:
    """A JSON object the workdir holds, or None; when `missing` is given, a missing or damaged file is listed."""
    if not path.exists():
        if missing is not None:
            missing.append(path.name)
        return None
    try:
        value = json.loads(path.read_text())
        if not isinstance(value, dict):
            raise ValueError("not a JSON object")
        return value
    except (OSError, ValueError) as error:
        if missing is not None:
            missing.append(f"{path.name} (damaged: {str(error).splitlines()[0]})")
        return None


def read_experiment(folder: Path) -> Experiment:
    """Load one experiment folder's files: what is absent or damaged is listed in `missing`, never fatal."""
    layout = RunLayout(folder)
    missing: list[str] = []
    experiment = Experiment(layout, read_json(layout.info, missing) or {}, missing=missing)
    if experiment.is_sweep:
        keys = ("point", "rung") if experiment.plan is not None else ("trial_id",)
        experiment.leaderboard = read_csv(layout.leaderboard, missing, (*keys, "status", experiment.objective))
        experiment.cluster = read_json(layout.cluster, None)
        if "recheck_top" in experiment.info:
            experiment.recheck_runs = read_csv(layout.recheck_runs, missing, (*RUN_KEYS, experiment.objective))
        fit = experiment.best_fit or FitLayout(folder)
    else:
        fit = FitLayout(folder)
    experiment.history = read_csv(fit.history, missing)
    experiment.fit_state = read_json(fit.state, None)
    experiment.metrics = read_json(layout.test_metrics, missing)
    if experiment.metrics is not None and layout.test_predictions.exists():  # older workdirs lack it
        experiment.predictions = read_csv(layout.test_predictions, missing)
    return experiment


def read_experiments(workdir: Workdir) -> list[Experiment]:
    """Every experiment folder of the workdir, in baseline -> enhanced -> tuned order per family."""
    folders = [workdir.root / name for name in workdir.experiments()]
    order = experiments_in_order()
    rank = {name: i for i, name in enumerate(order)}
    return [read_experiment(f) for f in sorted(folders, key=lambda f: (rank.get(f.name, len(order)), f.name))]


@dataclass(frozen=True)
class OutsideSet:
    """One outside test set's results (`evaluate.py`): what was evaluated and its metrics."""

    layout: RunLayout
    info: dict
    metrics: dict

    @property
    def name(self) -> str:
        return self.layout.name


def read_outside_sets(workdir: Workdir) -> list[OutsideSet]:
    """Every evaluated outside test set of the workdir, by name."""
    layouts = [RunLayout(folder) for folder in sorted(workdir.external_dir("*").parent.glob("*"))]
    found = [(layout, read_json(layout.info, None), read_json(layout.test_metrics, None)) for layout in layouts]
    return [OutsideSet(layout, info, metrics) for layout, info, metrics in found if info and metrics]


def read_dataset(workdir: Workdir) -> tuple[dict | None, pd.DataFrame | None]:
    """The prepare summary (dataset.json) and the split, or None where absent or damaged."""
    return read_json(workdir.dataset_info, None), read_csv(workdir.split, []) if workdir.split.exists() else None
