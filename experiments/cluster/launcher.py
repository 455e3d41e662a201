"""`launch.py {cnn|rnn} --workers N [--gpus 0,1]`: one machine, one chief and N workers, one merged display.

Every process is a `search_<family>.py` of its own (its own session, so a terminal's Ctrl-C reaches
only this launcher, which passes it on once). SIGTERM and SIGHUP are passed on as Ctrl-C is: a
launcher that stops never leaves its chief and workers running. The chief's lines carry the grid's
done/left and ETA; each line is prefixed with the process it came from.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from experiments.training.interrupts import RESUME_ENV, stopped_message
from experiments.training.run_options import LaunchPlan
from experiments.tuning.role import ID_VAR, IP_VAR, PORT_VAR
from plumbing.errors import EXIT_INTERRUPTED

SCRIPTS = Path(__file__).resolve().parents[1]  # experiments/, where the entry scripts are
HOST = "127.0.0.1"
WORKER_EXIT_SECONDS = 120.0  # after the chief ends, for workers still hearing so
POLL_SECONDS = 0.2
CHIEF_ONLY = ("--overwrite", "--evaluate-only")  # a worker refuses them: only the chief clears or evaluates
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # each stops the children as Ctrl-C does


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
    """Print a child's lines with its name in front; after a hang-up closed the terminal, only read them."""
    shown = True
    for line in stream:
        if shown:
            try:
                print(f"[{name}] {line}", end="", flush=True)
            except OSError:  # the terminal is gone: keep reading, or the child blocks on a full pipe
                shown = False


def start(plan: LaunchPlan, name: str, role: list[str], index: int | None) -> subprocess.Popen:
    script = SCRIPTS / f"search_{plan.family}.py"
    args = plan.sweep_args if index is None else [a for a in plan.sweep_args if a not in CHIEF_ONLY]
    process = subprocess.Popen(
        [sys.executable, str(script), *args, *role],
        env=child_env(plan, index),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    threading.Thread(target=echo, args=(name, process.stdout), daemon=True).start()
    return process


def launch(plan: LaunchPlan) -> int:
    """Start the chief and the workers, pass Ctrl-C (SIGTERM, SIGHUP) on, and return the chief's exit code.

    A first Ctrl-C stops the workers after their epoch (committed while the chief still answers),
    then the chief; a second one stops everything at once. Stopped, the launcher exits 130.
    """
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

    for signum in STOP_SIGNALS:
        signal.signal(signum, pass_on)
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
        print(stopped_message(plan.resume), flush=True)
        return EXIT_INTERRUPTED
    return code
