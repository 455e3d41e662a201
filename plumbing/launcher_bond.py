"""A launched process dies with its launcher: `launch.py` names itself in the environment of each chief and worker
it starts, and each asks the kernel to SIGKILL it the moment that launcher dies (Linux `PR_SET_PDEATHSIG`).

A launcher killed with SIGKILL cannot pass anything on; without this bond its children ran on, held the sweep's
lock and port, and a new launch was refused or joined the orphaned chief. What the children committed is kept:
a sweep resumes exactly from its files. On a system without `prctl` a thread watches the parent instead.
"""

import ctypes
import os
import signal
import sys
import threading
import time

LAUNCHER_ENV = "INSTRUMENT_TUNER_LAUNCHER_PID"  # set by launch.py in each child's environment
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def launched() -> bool:
    """Whether `launch.py` started this process."""
    return bool(os.environ.get(LAUNCHER_ENV))


def die_with_launcher() -> None:
    """If a launcher started this process, end it when the launcher dies (at once if it already has)."""
    launcher = os.environ.get(LAUNCHER_ENV)
    if not launcher:
        return
    if not kernel_kills_orphan():
        threading.Thread(target=watch_parent, args=(int(launcher),), daemon=True).start()
    if os.getppid() != int(launcher):  # the launcher died before the bond was made
        os._exit(1)


def kernel_kills_orphan() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where `prctl` is missing."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def watch_parent(launcher: int) -> None:
    """Poll for the launcher's death (the fallback where the kernel cannot be asked)."""
    while os.getppid() == launcher:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)
