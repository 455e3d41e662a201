"""How long one worker process serves before a fresh one takes its slot: a number of trials, a resident-memory bound.

TensorFlow keeps every trial's traced train step alive (about 16 MiB a trial, README), so a long-lived
worker only grows; a sweep resumes exactly, so leaving between trials costs only a fresh start-up.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import keras_tuner as kt

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class TermOver(kt.errors.FatalError):
    """The worker served its term between two trials (it holds no lease): it leaves for a fresh one."""


@dataclass(frozen=True)
class WorkerTerm:
    """After how many trials (`--trials-per-worker`), or past how much resident memory (`--worker-memory-mib`), a
    worker leaves; None: no such bound."""

    trials: int | None = None
    memory_mib: int | None = None

    def over(self, trials_run: int) -> str | None:
        """Why the term is over after `trials_run` trials in this process (None: it goes on)."""
        if self.trials is not None and trials_run >= self.trials:
            return f"{trials_run} trial{'s' * (trials_run != 1)} (--trials-per-worker {self.trials})"
        if self.memory_mib is not None and (resident := resident_mib()) > self.memory_mib:
            return f"{resident:.0f} MiB resident (--worker-memory-mib {self.memory_mib})"
        return None


def resident_mib(statm: Path = Path("/proc/self/statm")) -> float:
    """This process's resident memory in MiB (Linux `/proc/self/statm`: its second field, in pages)."""
    return int(statm.read_text().split()[1]) * PAGE_BYTES / 2**20
