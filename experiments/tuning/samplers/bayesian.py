"""`--search bayesian`: each point proposed by KerasTuner's own `BayesianOptimizationOracle` (a Gaussian process on
the results so far, random points first) from the points before it and their results.

KerasTuner's oracle keeps its random state and its trials in memory and saves them now and then, so after a kill
it proposes from a state that may not match the trials on disk (keras-tuner #237, #332). Here a fresh oracle is
built for every proposal from the trials on disk, seeded by the sweep's seed and the point's number: the same
results give the same proposal, after a kill as without one.
"""

import warnings

import keras_tuner as kt
from sklearn.exceptions import ConvergenceWarning

from experiments.tuning.samplers.random import drawn_values, proposal_seed, redraw_seed, rounded_values
from hypermodels.space import Scalar, SearchSpace

SCORE = "score"  # the name the borrowed oracle maximises: the sweep's objective, as its trials reported it


def propose(
    space: SearchSpace, seed: int, index: int, history: list[tuple[dict, float]], seen: set[tuple]
) -> dict[str, Scalar] | None:
    """Point number `index`, from the earlier points' values and scores (completed ones), never one of `seen` (every
    point proposed so far, as `space.key`s); None once the space has no new point to give."""
    oracle = kt.oracles.BayesianOptimizationOracle(
        objective=kt.Objective(SCORE, "max"),
        max_trials=index + 1,
        hyperparameters=space.hyperparameters(),
        seed=proposal_seed(seed, index),
    )
    for number, (values, score) in enumerate(history):
        trial = kt.engine.trial.Trial(space.hyperparameters(), trial_id=str(number), status="COMPLETED")
        trial.hyperparameters.values.update(values)
        trial.score = score
        oracle.trials[trial.trial_id] = trial
    for key in seen:  # every point proposed, still training or failed too: the oracle does not propose it again
        oracle._tried_so_far.add(oracle._compute_values_hash(dict(zip(space.names, key, strict=True))))
    with warnings.catch_warnings():  # the Gaussian process's fit on a handful of points: noise in a sweep's lines
        warnings.simplefilter("ignore", ConvergenceWarning)
        proposed = oracle.populate_space(str(index))
    values = rounded_values(proposed.get("values") or {}, space) if proposed["status"] == "RUNNING" else None
    if values is None or space.key(values) in seen:
        return drawn_values(space, redraw_seed(seed, index), seen)  # a repeat (or nothing): a new random point instead
    return values
