"""A finished grid sweep read back from its folder: the trial that trained each grid point, in the grid's ranking."""

import json
from dataclasses import dataclass

import keras_tuner as kt
import pandas as pd

from experiments.training.objectives import recorded_objective
from experiments.training.run_layout import FitLayout, RunLayout
from experiments.tuning.leaderboard import build_leaderboard
from experiments.tuning.recheck.trials import grid_trials
from experiments.tuning.statuses import ENDED
from hypermodels.space import SearchSpace
from plumbing.errors import DataError


@dataclass(frozen=True)
class GridSweep:
    """A grid sweep whose every point has run: its space and epochs, each point's trial, its leaderboard."""

    layout: RunLayout
    space: SearchSpace
    max_epochs: int
    trial_ids: tuple[str, ...]  # by grid point
    board: pd.DataFrame  # `build_leaderboard`: the one ranking

    def fit(self, point: int) -> FitLayout:
        """The training folder of a grid point."""
        return FitLayout(self.layout.trial_dir(self.trial_ids[point]))

    def rank(self, point: int) -> int:
        """The point's place on the grid's leaderboard (1 = the grid's winner)."""
        return int(self.board.index[self.board["trial_id"] == self.trial_ids[point]][0]) + 1

    @property
    def winner(self) -> int:
        """The grid point first on the leaderboard."""
        return self.trial_ids.index(self.board.iloc[0]["trial_id"])


def read_grid(layout: RunLayout) -> GridSweep:
    """The grid sweep in `layout`, or `DataError` when it is another strategy's or has points left to run."""
    try:
        info = json.loads(layout.info.read_text())
    except (OSError, ValueError) as error:
        raise DataError(f"{layout.info}: no sweep to read ({str(error).splitlines()[0]})") from None
    if info.get("kind") != "sweep" or info.get("strategy", "grid") != "grid" or info.get("search", "grid") != "grid":
        raise DataError(f"{layout.root} holds no grid sweep: run one with --search grid --scheduler none first")
    space = SearchSpace(info["space_name"], tuple((name, tuple(values)) for name, values in info["space"]))
    trials = [kt.engine.trial.Trial.load(str(path)) for path in sorted(layout.tuner_dir.glob("trial_*/trial.json"))]
    points = space.points()
    ended = {
        points.index({name: t.hyperparameters.values[name] for name in space.names}): t.trial_id
        for t in grid_trials(trials)
        if t.status in ENDED
    }
    left = sorted(set(range(len(points))) - set(ended))
    if left:
        raise DataError(f"{layout.root}: grid points {left} have not run: finish the sweep first")
    board = build_leaderboard(trials, space.names, layout, recorded_objective(info))
    return GridSweep(layout, space, info["max_epochs"], tuple(ended[p] for p in range(len(points))), board)
