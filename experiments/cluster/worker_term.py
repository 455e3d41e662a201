"""How long one worker process serves before a fresh one takes its slot: a number of trials, a resident-memory bound,
a growth bound over its first trial.

TensorFlow keeps memory from every trial's traced train step (about 16 MiB a trial with Adam, benchmarks/README.md),
so a long-lived worker only grows; a sweep resumes exactly, so leaving between trials costs only a fresh start-up.
"""

import os
from collections.abc import Sequence
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
    bound. A worker always trains one trial first, so a fresh one cannot leave at once and be restarted forever."""

    trials: int | None = None
    memory_mib: int | None = None
    growth_percent: int | None = None

    @property
    def watches_memory(self) -> bool:
        """Whether the term needs the worker's resident memory after each trial."""
        return self.memory_mib is not None or self.growth_percent is not None

    def over(self, trials_run: int, resident_after: Sequence[float]) -> str | None:
        """Why the term is over after `trials_run` trials in this process, `resident_after[i]` MiB resident after
        its trial i + 1 (None: it goes on). The growth bound is judged ahead: the worker leaves when it is past
        the bound, or when one more trial, growing as its trials after the first did on average, would pass it
        (the first trials of a process also warm up caches, so the step from trial 1 to 2 is not a rate)."""
        if self.trials is not None and trials_run >= self.trials:
            return f"{trials_run} trial{'s' * (trials_run != 1)} (--trials-per-worker {self.trials})"
        if not resident_after:
            return None
        resident = resident_after[-1]
        if self.memory_mib is not None and resident > self.memory_mib:
            return f"{resident:.0f} MiB resident (--worker-memory-mib {self.memory_mib})"
        if self.growth_percent is None:
            return None
        first, bound = resident_after[0], resident_after[0] * (1 + self.growth_percent / 100)
        per_trial = (resident - resident_after[1]) / (len(resident_after) - 2) if len(resident_after) > 2 else 0.0
        if resident + max(0.0, per_trial) > bound:
            return (
                f"{resident:.0f} MiB resident, {first:.0f} MiB after its first trial: one more trial "
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
