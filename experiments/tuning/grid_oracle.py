"""The sweep's oracle: its place among its points is derived from the trials on disk, not kept in memory.

KerasTuner 1.4's `GridSearch` keeps its position in memory only, so it cannot resume after a
kill. Here the points are a sampler's (`tuning.samplers`): the grid in the seed's order, a random
search's draws, or an adaptive search's proposals, each recorded in `proposals.json` before a trial
takes it. The next point is always the first that no trial has taken yet; a trial left RUNNING by a
kill is retried under its own id by `Oracle.reload`. State files are written atomically. After the
points, a `--recheck-top` sweep's re-check runs follow (`tuning.recheck`), each one more trial.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path

import keras_tuner as kt
import pandas as pd

from experiments.training.objectives import DEFAULT_OBJECTIVE
from experiments.tuning.leaderboard import ranked
from experiments.tuning.recheck.plan import RecheckPlan
from experiments.tuning.recheck.trials import grid_ended, grid_trials, next_recheck, planned_runs
from experiments.tuning.samplers import searched
from experiments.tuning.statuses import COMPLETED, ENDED, INVALID, RUNNING, STOPPED
from hypermodels.space import SearchSpace
from plumbing.atomic import write_text_atomic
from plumbing.errors import DataError


class GridOracle(kt.Oracle):
    """Runs each of the sweep's points exactly once, in their order, each trial scored by `objective`."""

    def __init__(
        self,
        space: SearchSpace,
        seed: int = 42,
        objective: str = DEFAULT_OBJECTIVE,
        recheck: RecheckPlan | None = None,
        points: list[dict] | None = None,
        search: str = "grid",
        proposer: Callable[[int, list[tuple[dict, float]], set[tuple]], dict | None] | None = None,
        budget: int | None = None,
        proposals: Path | None = None,
        **kwargs,
    ):
        # a sampler's points (`tuning.samplers`), the grid, or none yet: an adaptive sampler proposes them one by one
        points = [] if proposer else space.points() if points is None else points
        size = budget if proposer else len(points)
        super().__init__(
            objective=kt.Objective(objective, "max"),
            max_trials=size + (recheck.most_trials(size) if recheck else 0),
            seed=seed,
            max_retries_per_trial=kwargs.pop("max_retries_per_trial", 1),
            **kwargs,
        )
        self.space, self.recheck, self.search = space, recheck, search
        self.proposer, self.budget, self.proposals, self.exhausted = proposer, budget, proposals, False
        self.points: list[dict] = []
        self.positions: dict[tuple, int] = {}  # a point's position by its values (a list search was O(grid) a trial)
        self.set_points(points)

    def set_points(self, points: list[dict]) -> None:
        self.points = list(points)
        self.positions = {self.point_key(values): index for index, values in enumerate(self.points)}

    @property
    def size(self) -> int:
        """How many points the sweep trains: its list, or an adaptive search's budget (its proposals once the space
        has no new point to give)."""
        return len(self.points) if self.proposer is None or self.exhausted else self.budget

    @property
    def searched(self) -> str:
        """What walks the points, as a sweep's lines say it: `grid`, `random search`."""
        return searched(self.search)

    def point_key(self, values: dict) -> tuple:
        return self.space.key(values)

    def point_index(self, values: dict) -> int:
        """Grid position of a trial's values (ValueError for values not on the grid, as a list's `index`); an adaptive
        search's points are read again from disk first when the values are new here (another process proposed them)."""
        key = self.point_key(values)
        if key not in self.positions and self.proposer is not None:
            self.load_proposals()
        try:
            return self.positions[key]
        except KeyError:
            raise ValueError(f"{values} is not a point of the grid") from None

    def load_proposals(self) -> None:
        """The points an adaptive search has proposed so far, as its file records them (none before the first)."""
        if self.proposer is None or not self.proposals.exists():
            return
        try:
            recorded = json.loads(self.proposals.read_text())
            self.set_points(recorded["points"])
            self.exhausted = bool(recorded["exhausted"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DataError(f"{self.proposals} is damaged ({error}): restore it, or --overwrite") from None

    def propose(self) -> dict | None:
        """The next point of an adaptive search, recorded before any trial takes it (None once the space has no new
        point to give): a function of the seed, its number, the results of the points before it and which points
        are proposed (failed or still training ones too: none is proposed twice)."""
        values = self.proposer(len(self.points), self.history(), set(self.positions))
        if values is not None and self.point_key(values) in self.positions:
            raise RuntimeError(f"--search {self.search} proposed {values} again: report this as a bug")
        if values is None:
            self.exhausted = True
        else:
            self.set_points([*self.points, values])
        write_text_atomic(self.proposals, json.dumps({"points": self.points, "exhausted": self.exhausted}))
        return values

    def history(self) -> list[tuple[dict, float]]:
        """Each proposed point's values and score, in proposal order, for those whose first trial completed."""
        scored = {}
        for trial in self.first_trials():
            if trial.status == COMPLETED and trial.score is not None:
                scored[self.point_index(trial.hyperparameters.values)] = trial.score
        return [(self.points[point], scored[point]) for point in sorted(scored)]

    def first_trials(self) -> list:
        """Each point's first trial (a grid's only one; halving's first rung)."""
        return grid_trials(self.trials.values())

    def taken(self) -> set[int]:
        """Grid positions that a trial on disk has started, finished or failed."""
        return {self.point_index(trial.hyperparameters.values) for trial in self.trials.values()}

    def populate_space(self, trial_id: str) -> dict:
        """KerasTuner's question: what the next trial trains."""
        return self.next_answer(propose=True)

    def next_answer(self, propose: bool) -> dict:
        """The first grid point no trial has taken (an adaptive search: the next one proposed, up to its budget);
        once every point is taken, what follows the grid. Without `propose`, a point still to be proposed is
        answered RUNNING without values, and nothing is proposed or written."""
        self.load_proposals()
        taken = self.taken()
        for index, values in enumerate(self.points):
            if index not in taken:
                return {"status": RUNNING, "values": dict(values)}
        if self.proposer is not None and not self.exhausted and len(self.points) < self.budget:
            if not propose:
                return {"status": RUNNING, "values": None}
            values = self.propose()
            if values is not None:
                return {"status": RUNNING, "values": dict(values)}
        return self.after_grid()

    def after_grid(self) -> dict:
        """The answer once the sweep's own trials are all taken: the re-check's next run, or STOPPED without one."""
        if self.recheck is None:
            return {"status": STOPPED, "values": None}
        return next_recheck(self.recheck, self.trials.values(), self.points, self.final_ranking())

    def final_ranking(self) -> list[int] | None:
        """The points a re-check may take, best first, once every grid point's trial has ended (None before)."""
        if not grid_ended(self.trials.values(), self.size):
            return None
        return self.ranked_points()

    def ranked_points(self) -> list[int]:
        """The completed grid points, best first, in the leaderboard's ranking of the results their trials reported."""
        objective = self.objective.name
        rows = [
            {
                "point": self.point_index(trial.hyperparameters.values),
                "status": trial.status,
                **{name: reported(trial, name) for name in (objective, "val_loss")},
            }
            for trial in grid_trials(self.trials.values())
        ]
        frame = ranked(pd.DataFrame(rows, columns=["point", "status", objective, "val_loss"]), "point", objective)
        return [int(point) for point in frame[frame["status"] == COMPLETED]["point"]]

    def planned_trials(self) -> int:
        """Trials the sweep runs in all: one per grid point, then the re-check's runs."""
        return self.size + self.planned_recheck_runs()

    def planned_recheck_runs(self) -> int:
        """The re-check's runs: K x S, fewer once fewer points than K can be re-checked (none without a re-check)."""
        if self.recheck is None:
            return 0
        return planned_runs(self.recheck, self.size, self.final_ranking())

    def finished_on_disk(self, project_dir: Path) -> bool:
        """Whether the trials a chief wrote in `project_dir` end the sweep: nothing is due any more (the re-check's
        runs included, however many its ranking makes) and every trial has ended. Replaces this oracle's trials;
        proposes nothing (only the process that serves the trials proposes)."""
        self.trials = trials_on_disk(project_dir)
        over = self.next_answer(propose=False)["status"] == STOPPED
        return over and all(trial.status in ENDED for trial in self.trials.values())

    def end_trial(self, trial) -> None:
        """End the trial, then save again: KerasTuner saves before it drops the trial from `ongoing`."""
        super().end_trial(trial)
        self.save()

    def reload(self) -> None:
        """Reload from disk: a trial RUNNING or INVALID there (killed) resumes; a finished one is not rerun."""
        check_tuner_files(Path(self._project_dir))
        super().reload()
        unended = (RUNNING, INVALID)  # killed mid-trial, or between a trial's error and its retry
        self._retry_queue = [tid for tid in self._retry_queue if self.trials[tid].status in unended]
        for trial_id, trial in self.trials.items():
            if trial.status in unended and trial_id not in self._retry_queue:
                self._retry_queue.append(trial_id)

    def save(self) -> None:
        write_text_atomic(self._get_oracle_fname(), json.dumps(self.get_state()))

    def _save_trial(self, trial) -> None:
        path = os.path.join(self._get_trial_dir(trial.trial_id), "trial.json")
        write_text_atomic(path, json.dumps(trial.get_state()))


def reported(trial, name: str) -> float | None:
    """The value a trial reported for metric `name` (its kept epoch's), None when it reported none."""
    return trial.metrics.get_last_value(name) if trial.metrics.exists(name) else None


def trials_on_disk(project_dir: Path) -> dict[str, kt.engine.trial.Trial]:
    """The trials a chief wrote, by id (one that cannot be read now is left out)."""
    trials = {}
    for path in project_dir.glob("trial_*/trial.json"):
        try:
            trial = kt.engine.trial.Trial.load(str(path))
        except (OSError, ValueError, KeyError):
            continue
        trials[trial.trial_id] = trial
    return trials


def check_tuner_files(project_dir: Path) -> None:
    """KerasTuner's own files of a sweep (`oracle.json`, the tuners' `*.json`, each `trial.json`) parse, or one error
    names the file.

    They hold which points ran and how they ended; they cannot be rebuilt from the training folders.
    """
    for path in [*sorted(project_dir.glob("*.json")), *sorted(project_dir.glob("trial_*/trial.json"))]:
        try:
            if not isinstance(json.loads(path.read_text()), dict):
                raise ValueError("not a JSON object")
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as error:
            raise DataError(
                f"{path} is damaged ({str(error).splitlines()[0]}): restore it from a backup, or pass --overwrite "
                "to run the sweep again"
            ) from None
