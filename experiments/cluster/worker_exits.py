"""Why a worker left, as its exit code: the words the worker and its launcher share."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkerExits:
    """A worker's exit codes beyond 0 (the grid is finished), 1 (an error) and 130 (stopped)."""

    out_of_memory: int = 3  # its trial ran out of GPU memory and was handed back: no fresh worker in its slot
    term_over: int = 4  # it served its term (--trials-per-worker, --worker-memory-*): a fresh worker takes the slot


EXITS = WorkerExits()
