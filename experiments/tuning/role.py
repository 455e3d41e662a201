"""Which part a sweep process plays: alone, the chief serving the grid, or a worker training trials.

From `--chief HOST:PORT` / `--worker HOST:PORT [--worker-id NAME]`, or from KerasTuner's own
variables (`KERASTUNER_TUNER_ID`, `KERASTUNER_ORACLE_IP`, `KERASTUNER_ORACLE_PORT`; an id containing
`chief` is the chief). The flags set those variables, so KerasTuner sees the same roles.
"""

import argparse
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass

from experiments.training.run_options import RunOptions, worker_term_values
from plumbing.arguments import host_port
from plumbing.errors import UsageError

SINGLE, CHIEF, WORKER = "single", "chief", "worker"
ID_VAR, IP_VAR, PORT_VAR = "KERASTUNER_TUNER_ID", "KERASTUNER_ORACLE_IP", "KERASTUNER_ORACLE_PORT"


@dataclass(frozen=True)
class ClusterRole:
    """One process's part in a sweep and the chief's address."""

    kind: str = SINGLE
    host: str = ""
    port: int = 0
    tuner_id: str = "tuner0"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def default_worker_id() -> str:
    return f"worker-{socket.gethostname()}-{os.getpid()}"


def role_of(
    chief: tuple[str, int] | None,
    worker: tuple[str, int] | None,
    worker_id: str | None,
    environ: Mapping[str, str] = os.environ,
) -> ClusterRole:
    """The role the flags name, else the one KerasTuner's variables name, else a single process."""
    if chief and worker:
        raise UsageError("--chief and --worker: a process is one or the other (the chief trains nothing)")
    if worker_id and not worker:
        raise UsageError("--worker-id names a worker: pass --worker HOST:PORT with it")
    if chief:
        return ClusterRole(CHIEF, *chief, "chief")
    if worker:
        name = worker_id or default_worker_id()
        if "chief" in name:
            raise UsageError(
                f"--worker-id {name}: KerasTuner takes an id containing 'chief' for the chief; pick another"
            )
        return ClusterRole(WORKER, *worker, name)
    if IP_VAR not in environ:
        return ClusterRole()
    missing = [v for v in (PORT_VAR, ID_VAR) if v not in environ]
    if missing:
        raise UsageError(f"{IP_VAR} is set but {' and '.join(missing)} not: set all three or none")
    try:
        host, port = host_port(f"{environ[IP_VAR]}:{environ[PORT_VAR]}")
    except argparse.ArgumentTypeError as error:
        raise UsageError(f"{IP_VAR}/{PORT_VAR}: {error}") from None
    name = environ[ID_VAR]
    return ClusterRole(CHIEF if "chief" in name else WORKER, host, port, name)


def export_role(role: ClusterRole) -> None:
    """Set KerasTuner's variables to the role (a single process clears them)."""
    if role.kind == SINGLE:
        for var in (ID_VAR, IP_VAR, PORT_VAR):
            os.environ.pop(var, None)
        return
    os.environ.update({ID_VAR: role.tuner_id, IP_VAR: role.host, PORT_VAR: str(role.port)})


def check_tls(options: RunOptions, role: ClusterRole) -> None:
    """TLS flags in their role: a certificate and its key for the chief, a CA for a worker."""
    if (options.tls_cert is None) != (options.tls_key is None):
        raise UsageError("--tls-cert and --tls-key: the chief serves TLS with both; pass both or neither")
    if options.tls_cert is not None and role.kind != CHIEF:
        raise UsageError("--tls-cert serves the chief's port over TLS: pass it with --chief")
    if options.tls_ca is not None and role.kind != WORKER:
        raise UsageError("--tls-ca checks the chief's certificate: pass it with --worker")


def role_for(options: RunOptions) -> ClusterRole:
    """This process's role (flags or KerasTuner's variables), exported to those variables."""
    role = role_of(options.chief, options.worker, options.worker_id)
    if role.kind == WORKER and (options.overwrite or options.evaluate_only):
        raise UsageError("--overwrite and --evaluate-only are the chief's: a worker only trains")
    check_tls(options, role)
    given = [flag for flag, value in worker_term_values(options).items() if value is not None]
    if given and role.kind != WORKER:
        raise UsageError(f"{given[0]} ends a worker's term: pass it with --worker, or to launch.py")
    export_role(role)
    return role
