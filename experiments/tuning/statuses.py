"""Trial and grid-point statuses as KerasTuner and the leaderboards write them: the words, defined once."""

from keras_tuner.engine.trial import TrialStatus

RUNNING, COMPLETED, FAILED = TrialStatus.RUNNING, TrialStatus.COMPLETED, TrialStatus.FAILED
INVALID = TrialStatus.INVALID  # an error that KerasTuner retries (`max_retries_per_trial`) before FAILED
STOPPED, IDLE = TrialStatus.STOPPED, TrialStatus.IDLE  # the oracle's answers: grid exhausted, nothing to hand out now
HANDED_BACK = IDLE  # a worker's EndTrial with this status: not ended, it hands the trial back (out of memory)
ENDED = (COMPLETED, FAILED)  # a trial that trains no more
PENDING, WAITING, PRUNED = "PENDING", "WAITING", "PRUNED"  # a halving point: not started, awaiting its rung, cut
DONE = (COMPLETED, PRUNED, FAILED)  # a halving point that trains no more
