"""A launch's worker slots (a slot keeps its name and GPU while the processes in it come and go), and what the launcher
says of a worker that left: out of memory, refused, failed or killed."""

import signal
import subprocess
from dataclasses import dataclass

from experiments.training.run_options import LaunchPlan
from plumbing.errors import EXIT_REFUSED


@dataclass
class WorkerSlot:
    """One worker's place in a launch: its index and name, its current process, how many it has had."""

    index: int
    name: str
    process: subprocess.Popen | None = None
    starts: int = 0
    reported: bool = False  # the line naming why it left was printed

    def ended(self) -> int | None:
        """The exit code of the slot's current process (None while it runs)."""
        return self.process.poll() if self.process is not None else None


def out_of_memory_line(name: str, plan: LaunchPlan) -> str:
    """What the launcher says of a worker whose trial ran out of GPU memory: which --trials-per-gpu may fit."""
    per_gpu = plan.trials_per_gpu
    if not plan.gpus:
        return f"worker {name} ran out of memory: its trial was handed back; fewer --workers may fit this machine"
    if per_gpu == 1:
        return (
            f"worker {name} ran out of GPU memory with 1 trial per GPU: its trial was handed back; it does not fit "
            "one GPU at this --batch-size: sweep with a smaller one in a new --workdir (a sweep keeps its batch size)"
        )
    return (
        f"worker {name} ran out of GPU memory with {per_gpu} trials per GPU: its trial was handed back; "
        f"try --trials-per-gpu {per_gpu // 2}"
    )


def ended_line(name: str, code: int, stopping: bool = False) -> str:
    """What the launcher says of a worker that stopped on an error it named (its options refused, a full disk, a wrong
    secret), failed or was killed (its slot stays empty)."""
    if code == EXIT_REFUSED:
        return f"worker {name} stopped on an error it named (exit {code}): see its [{name}] error line"
    if code < 0:
        named = {member.value: member.name for member in signal.Signals}
        how = f"was killed by {named.get(-code, f'signal {-code}')}"
    else:
        how = f"failed (exit {code}): see its [{name}] lines"
    if stopping:
        return f"worker {name} {how}"
    return (
        f"worker {name} {how}; no fresh worker takes its slot, and a trial it held goes to another worker when its "
        "lease expires (--lease-seconds)"
    )
