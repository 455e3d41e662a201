"""`--search tpe`: each point proposed by Optuna's `TPESampler` from the points before it and their results.

Optuna does the sampling: the earlier points are told to a study (`ask`/`tell`), then the study asks for the
next. The study is built anew for every proposal from the trials on disk, seeded by the sweep's seed and the
point's number, so the same results give the same proposal, after a kill as without one; a study kept in a
journal beside KerasTuner's files could disagree with them after a kill between the two writes. A point TPE
asks for again is told to the study as the worst result so far, and the study asked anew (`ASKS` times at most):
on a space of lists TPE otherwise repeats its best point and the search turns into random draws. Optuna is
imported here only: a sweep of another search loads none of it.
"""

import optuna

from experiments.tuning.samplers.random import drawn_values, proposal_seed, redraw_seed, rounded_values
from hypermodels.space import Range, Scalar, SearchSpace

optuna.logging.set_verbosity(optuna.logging.WARNING)  # one line per trial it is told is noise here
# asks of one proposal while TPE proposes points already trained: on lists it settles on the best point so far and
# asks for it again and again (a categorical choice is the value with the best ratio of good to bad results)
ASKS = 20


def distributions(space: SearchSpace) -> dict[str, optuna.distributions.BaseDistribution]:
    """The space as Optuna describes it: a categorical choice per list, an int or a float per range."""
    described = {}
    for name, values in space.values:
        if not isinstance(values, Range):
            described[name] = optuna.distributions.CategoricalDistribution(list(values))
        elif values.integer:  # a log range has no step (`Range`)
            low, high, step = int(values.low), int(values.high), int(values.step or 1)
            described[name] = optuna.distributions.IntDistribution(low, high, log=values.sampling == "log", step=step)
        else:
            log = values.sampling == "log"
            described[name] = optuna.distributions.FloatDistribution(values.low, values.high, log=log, step=values.step)
    return described


def propose(
    space: SearchSpace, seed: int, index: int, history: list[tuple[dict, float]], seen: set[tuple]
) -> dict[str, Scalar] | None:
    """Point number `index`, from the earlier points' values and scores (completed ones), never one of `seen` (every
    point proposed so far, as `space.key`s); None once the space has no new point to give."""
    described = distributions(space)
    sampler = optuna.samplers.TPESampler(seed=proposal_seed(seed, index))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for values, score in history:
        study.add_trial(optuna.trial.create_trial(params=dict(values), distributions=described, value=score))
    worst = min((score for _, score in history), default=0.0)
    for _ in range(ASKS):
        asked = study.ask(described)
        values = rounded_values(asked.params, space)
        if space.key(values) not in seen:
            return values
        study.tell(asked, worst)  # a repeat, told as the worst result so far: TPE moves off it
    return drawn_values(space, redraw_seed(seed, index), seen)  # repeats only: a new random point instead
