"""How long one worker process serves before a fresh one takes its slot: a number of trials, a resident-memory bound,
a growth bound over its first trial.

TensorFlow keeps memory from every trial's traced train step (about 16 MiB a trial with Adam, README), so a
long-lived worker only grows; a sweep resumes exactly, so leaving between trials costs only a fresh start-up.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import keras_tuner as kt

from experiments.training.run_options import RunOptions

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class TermOver(kt.errors.FatalError):
    """The worker served its term between two trials (it holds no lease): it leaves for a fresh one."""


@dataclass(frozen=True)
class WorkerTerm:
    """After how many trials (`--trials-per-worker`), past how much resident memory (`--worker-memory-mib`), or
    before how much growth over its first trial (`--worker-memory-growth`, percent) a worker leaves; None: no such
    bound."""

    trials: int | None = None
    memory_mib: int | None = None
    growth_percent: int | None = None

    def over(self, trials_run: int, resident: float, after_first: float | None) -> str | None:
        """Why the term is over after `trials_run` trials in this process, `resident` MiB now and `after_first` MiB
        when its first trial had ended (None: it goes on). The growth bound is judged ahead: the worker leaves
        when one more trial, growing as its trials did on average, would pass it."""
        if self.trials is not None and trials_run >= self.trials:
            return f"{trials_run} trial{'s' * (trials_run != 1)} (--trials-per-worker {self.trials})"
        if self.memory_mib is not None and resident > self.memory_mib:
            return f"{resident:.0f} MiB resident (--worker-memory-mib {self.memory_mib})"
        if self.growth_percent is not None and after_first is not None and trials_run >= 2:
            per_trial = max(0.0, (resident - after_first) / (trials_run - 1))
            if resident + per_trial > after_first * (1 + self.growth_percent / 100):
                return (
                    f"{resident:.0f} MiB resident, {after_first:.0f} MiB after its first trial: one more trial "
                    f"(+{per_trial:.0f} MiB) would pass +{self.growth_percent}% (--worker-memory-growth "
                    f"{self.growth_percent})"
                )
        return None


def worker_term(options: RunOptions) -> WorkerTerm:
    """The term a sweep's options give its worker."""
    return WorkerTerm(options.trials_per_worker, options.worker_memory_mib, options.worker_memory_growth)


def resident_mib(statm: Path = Path("/proc/self/statm")) -> float:
    """This process's resident memory in MiB (Linux `/proc/self/statm`: its second field, in pages)."""
    return int(statm.read_text().split()[1]) * PAGE_BYTES / 2**20
