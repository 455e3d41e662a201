"""`launch.py {cnn|rnn} --workers N [--gpus 0,1 [--trials-per-gpu K]]`: one machine, one chief and N workers, one
merged display.

Every process is a `search_<family>.py` of its own (its own session, so a terminal's Ctrl-C reaches
only this launcher, which passes it on once). SIGTERM and SIGHUP are passed on as Ctrl-C is: a
launcher that stops never leaves its chief and workers running; one killed outright (SIGKILL) takes
them with it (`plumbing.launcher_bond`). The chief's lines carry the grid's
done/left and ETA; each line is prefixed with the process it came from. A worker that served its
term is replaced by a fresh one in its slot; one that ran out of GPU memory is not, and the
launcher says which --trials-per-gpu may fit. A worker that failed or was killed (the kernel's
out-of-memory killer) is named in one line, as is one still running long after its chief ended.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from experiments.cluster.worker_exits import EXITS
from experiments.cluster.worker_slots import WorkerSlot, ended_line, out_of_memory_line
from experiments.training.interrupts import RESUME_ENV, stopped_message
from experiments.training.run_options import LaunchPlan
from experiments.tuning.role import ID_VAR, IP_VAR, PORT_VAR
from plumbing.errors import EXIT_INTERRUPTED, UsageError
from plumbing.gpu_memory import GPU_SHARE_ENV, GpuSharing
from plumbing.launcher_bond import LAUNCHER_ENV

SCRIPTS = Path(__file__).resolve().parents[1]  # experiments/, where the entry scripts are
HOST = "127.0.0.1"
WORKER_EXIT_SECONDS = 120.0  # after the chief ends, for workers still hearing so
POLL_SECONDS = 0.2
PORT_WAIT_SECONDS = 10.0  # a chief killed with its launcher frees its port as the kernel tears it down
CHIEF_ONLY = ("--overwrite", "--evaluate-only")  # a worker refuses them: only the chief clears or evaluates
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # each stops the children as Ctrl-C does


def child_env(plan: LaunchPlan, index: int | None) -> dict[str, str]:
    """A child's environment: its GPU and share of it (or, on CPU, a share of the cores), the launcher's resume
    command, never KerasTuner's variables."""
    env = {k: v for k, v in os.environ.items() if k not in (ID_VAR, IP_VAR, PORT_VAR, GPU_SHARE_ENV)}
    env.update({"PYTHONUNBUFFERED": "1", RESUME_ENV: plan.resume, LAUNCHER_ENV: str(os.getpid())})
    if index is None:
        env["CUDA_VISIBLE_DEVICES"] = ""  # the chief trains nothing
    elif plan.gpus:
        env["CUDA_VISIBLE_DEVICES"] = plan.gpu_of(index)
        if plan.trials_per_gpu > 1:
            env[GPU_SHARE_ENV] = f"{GpuSharing().share(plan.trials_per_gpu):.4f}"
    else:
        share = str(max(1, (os.cpu_count() or 1) // plan.workers))
        env.update(TF_NUM_INTRAOP_THREADS=share, TF_NUM_INTEROP_THREADS="1", OMP_NUM_THREADS=share)
    return env


def echo(name: str, stream, out) -> None:
    """Print a child's lines with its name in front on `out` (its errors on stderr, the rest on stdout); after a
    hang-up closed the terminal, only read them."""
    shown = True
    for line in stream:
        if shown:
            try:
                print(f"[{name}] {line}", end="", file=out, flush=True)
            except OSError:  # the terminal is gone: keep reading, or the child blocks on a full pipe
                shown = False


def check_port(port: int) -> None:
    """Refuse a --port another process listens on (waiting a little for a chief killed with its launcher)."""
    give_up = time.monotonic() + PORT_WAIT_SECONDS
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the chief's server: TIME_WAIT is free
            try:
                probe.bind((HOST, port))
                return
            except OSError:
                if time.monotonic() > give_up:
                    raise UsageError(
                        f"--port {port}: {HOST}:{port} is in use (another launch, or another program): "
                        "pass another --port"
                    ) from None
        time.sleep(POLL_SECONDS)


def start(plan: LaunchPlan, name: str, role: list[str], index: int | None) -> subprocess.Popen:
    script = SCRIPTS / f"search_{plan.family}.py"
    worker_args = [*(a for a in plan.sweep_args if a not in CHIEF_ONLY), *plan.worker_args]
    args = plan.sweep_args if index is None else worker_args
    process = subprocess.Popen(
        [sys.executable, str(script), *args, *role],
        env=child_env(plan, index),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for stream, out in ((process.stdout, sys.stdout), (process.stderr, sys.stderr)):
        threading.Thread(target=echo, args=(name, stream, out), daemon=True).start()
    return process


def start_worker(plan: LaunchPlan, slot: WorkerSlot, address: str) -> None:
    """A fresh worker process in `slot`."""
    slot.process = start(plan, slot.name, ["--worker", address, "--worker-id", slot.name], slot.index)
    slot.starts += 1


def tend(plan: LaunchPlan, slots: list[WorkerSlot], address: str, stopping: bool) -> None:
    """Restart each worker that left at the end of its term (one line each); name each that ran out of memory,
    failed or was killed (once: its slot stays empty)."""
    for slot in slots:
        code = slot.ended()
        if code == EXITS.term_over and not stopping:
            print(f"[launcher] {slot.name} left at the end of its term: a fresh {slot.name} starts", flush=True)
            start_worker(plan, slot, address)
        elif code not in (None, 0, EXITS.term_over, EXIT_INTERRUPTED) and not slot.reported:
            slot.reported = True
            oom = code == EXITS.out_of_memory
            line = out_of_memory_line(slot.name, plan) if oom else ended_line(slot.name, code, stopping)
            print(f"[launcher] {line}", flush=True)


def launch(plan: LaunchPlan) -> int:
    """Start the chief and the workers, pass Ctrl-C (SIGTERM, SIGHUP) on, and return the chief's exit code.

    A first Ctrl-C stops the workers after their epoch (committed while the chief still answers),
    then the chief; a second one stops everything at once. Stopped, the launcher exits 130. Once no
    worker is left to train (each ran out of memory or failed), the chief is stopped too: exit 1.
    """
    address = f"{HOST}:{plan.port}"
    check_port(plan.port)
    chief = start(plan, "chief", ["--chief", address], None)
    count = 0 if "--evaluate-only" in plan.sweep_args else plan.workers
    slots = [WorkerSlot(i, f"w{i}") for i in range(count)]
    for slot in slots:
        start_worker(plan, slot, address)
    stopping, deserted = threading.Event(), False

    def pass_on(signum, frame):
        targets = [chief, *(s.process for s in slots)] if stopping.is_set() else [s.process for s in slots]
        stopping.set()
        for process in targets:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)

    for signum in STOP_SIGNALS:
        signal.signal(signum, pass_on)
    while chief.poll() is None:
        tend(plan, slots, address, stopping.is_set())
        if stopping.is_set() and all(s.ended() is not None for s in slots):
            chief.send_signal(signal.SIGINT)
            break
        if slots and not stopping.is_set() and all(s.ended() not in (None, 0, EXITS.term_over) for s in slots):
            print("[launcher] no worker is left to train the grid: stopping the chief", flush=True)
            deserted = True
            stopping.set()
        time.sleep(POLL_SECONDS)
    code = chief.wait()
    if code not in (0, EXIT_INTERRUPTED):
        pass_on(signal.SIGINT, None)  # the chief failed: workers stop after their epoch
    deadline = time.monotonic() + WORKER_EXIT_SECONDS
    for slot in slots:
        try:
            slot.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            slot.process.kill()
            slot.reported = True
            ran = f"still ran {WORKER_EXIT_SECONDS:.0f} s after the chief ended"
            print(f"[launcher] worker {slot.name} {ran}: killed", flush=True)
    tend(plan, slots, address, stopping=True)  # a worker that ran out of memory as the chief ended is still named
    if code == EXIT_INTERRUPTED:
        print(stopped_message(plan.resume), flush=True)
        return 1 if deserted else EXIT_INTERRUPTED
    return code
