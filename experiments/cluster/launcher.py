"""`launch.py {cnn|rnn} --workers N [--gpus 0,1]`: one machine, one chief and N workers, one merged display.

Every process is a `search_<family>.py` of its own (its own session, so a terminal's Ctrl-C reaches
only this launcher, which passes it on once). The chief's lines carry the grid's done/left and ETA;
each line is prefixed with the process it came from.
"""

import argparse
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from experiments.options import RESUME_ENV, counted, sweep_parser
from experiments.tuning.role import ID_VAR, IP_VAR, PORT_VAR
from plumbing.errors import EXIT_INTERRUPTED, UsageError

SCRIPTS = Path(__file__).resolve().parents[1]  # experiments/, where the entry scripts are
HOST = "127.0.0.1"
WORKER_EXIT_SECONDS = 120.0  # after the chief ends, for workers still hearing so
POLL_SECONDS = 0.2
OWN_FLAGS = ("--chief", "--worker", "--worker-id")
CHIEF_ONLY = ("--overwrite", "--evaluate-only")  # a worker refuses them: only the chief clears or evaluates


@dataclass(frozen=True)
class LaunchPlan:
    """The family, how many workers, which GPU each gets, the port and the sweep's own options."""

    family: str
    workers: int
    gpus: tuple[str, ...]
    port: int
    sweep_args: tuple[str, ...]
    resume: str  # the command that continues this launch


def launch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Run one sweep on this machine with a chief and N workers; any "
                                     "other option is the sweep's (see search_cnn.py --help).")  # fmt: skip
    parser.add_argument("family", choices=["cnn", "rnn"])
    parser.add_argument("--workers", type=counted(1), default=None, help="default: one per --gpus entry, else 2")
    parser.add_argument("--gpus", default="", help="GPU indices, e.g. 0,1: worker i sees GPU i (round robin)")
    parser.add_argument("--port", type=counted(1), default=8000, help="the chief's port on 127.0.0.1")
    return parser


def plan_of(argv: list[str]) -> LaunchPlan:
    """Parse the launcher's options; check the sweep's options with the sweep's own parser."""
    args, sweep_args = launch_parser().parse_known_args(argv)
    given = [flag for flag in OWN_FLAGS if any(a == flag or a.startswith(flag + "=") for a in sweep_args)]
    if given:
        raise UsageError(f"{given[0]}: launch.py starts the chief and the workers itself; drop it")
    sweep_parser(args.family).parse_args(sweep_args)  # exits with argparse's message on a bad sweep option
    gpus = tuple(g.strip() for g in args.gpus.split(",") if g.strip())
    workers = args.workers or len(gpus) or 2
    resume = " ".join(shlex.quote(a) for a in ["python", "experiments/launch.py", *argv] if a != "--overwrite")
    return LaunchPlan(args.family, workers, gpus, args.port, tuple(sweep_args), resume)


def child_env(plan: LaunchPlan, index: int | None) -> dict[str, str]:
    """A child's environment: its GPU (or, on CPU, a share of the cores), the launcher's resume command,
    never KerasTuner's variables."""
    env = {k: v for k, v in os.environ.items() if k not in (ID_VAR, IP_VAR, PORT_VAR)}
    env.update({"PYTHONUNBUFFERED": "1", RESUME_ENV: plan.resume})
    if index is None:
        env["CUDA_VISIBLE_DEVICES"] = ""  # the chief trains nothing
    elif plan.gpus:
        env["CUDA_VISIBLE_DEVICES"] = plan.gpus[index % len(plan.gpus)]
    else:
        share = str(max(1, (os.cpu_count() or 1) // plan.workers))
        env.update(TF_NUM_INTRAOP_THREADS=share, TF_NUM_INTEROP_THREADS="1", OMP_NUM_THREADS=share)
    return env


def echo(name: str, stream) -> None:
    """Print a child's lines with its name in front."""
    for line in stream:
        print(f"[{name}] {line}", end="", flush=True)


def start(plan: LaunchPlan, name: str, role: list[str], index: int | None) -> subprocess.Popen:
    script = SCRIPTS / f"search_{plan.family}.py"
    args = plan.sweep_args if index is None else [a for a in plan.sweep_args if a not in CHIEF_ONLY]
    process = subprocess.Popen([sys.executable, str(script), *args, *role], env=child_env(plan, index),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)  # fmt: skip
    threading.Thread(target=echo, args=(name, process.stdout), daemon=True).start()
    return process


def launch(argv: list[str]) -> int:
    """Start the chief and the workers, pass Ctrl-C on, and return the chief's exit code.

    A first Ctrl-C stops the workers after their epoch (committed while the chief still answers),
    then the chief; a second one stops everything at once.
    """
    plan = plan_of(argv)
    address = f"{HOST}:{plan.port}"
    chief = start(plan, "chief", ["--chief", address], None)
    count = 0 if "--evaluate-only" in plan.sweep_args else plan.workers
    workers = [start(plan, f"w{i}", ["--worker", address, "--worker-id", f"w{i}"], i) for i in range(count)]
    stopping = threading.Event()

    def pass_on(signum, frame):
        targets = [chief, *workers] if stopping.is_set() else workers
        stopping.set()
        for process in targets:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, pass_on)
    while chief.poll() is None:
        if stopping.is_set() and all(w.poll() is not None for w in workers):
            chief.send_signal(signal.SIGINT)
            break
        time.sleep(POLL_SECONDS)
    code = chief.wait()
    if code not in (0, EXIT_INTERRUPTED):
        pass_on(signal.SIGINT, None)  # the chief failed: workers stop after their epoch
    for worker in workers:
        try:
            worker.wait(timeout=WORKER_EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
    if code == EXIT_INTERRUPTED:
        print(f"stopped; every finished epoch is saved. Resume with:\n  {plan.resume}", flush=True)
        return EXIT_INTERRUPTED
    return code
