"""The chief and worker tuners of a distributed sweep (KerasTuner's chief/worker roles).

The chief trains nothing: it serves the leased oracle, writes the leaderboard and prints a line
per finished trial, and returns once every point of the sweep has ended. A worker trains what the chief
hands it, renewing its lease on a timer and before every epoch's files are written; a worker that
lost its lease drops the trial without writing or reporting anything more. A worker whose trial runs
out of GPU memory hands it back and leaves; one that served its term leaves between two trials.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import keras
import pandas as pd

from experiments.cluster.chief_secret import chief_secret, read_secret, server_credentials
from experiments.cluster.chief_server import start_oracle_server
from experiments.cluster.fenced_client import ChiefCalls, FencedOracleClient
from experiments.cluster.leased_oracle import LeasedGridOracle
from experiments.cluster.out_of_memory import TrialOutOfMemory, is_out_of_memory
from experiments.cluster.worker_term import TermOver, WorkerTerm, resident_mib, worker_term
from experiments.training.interrupts import StopRequest, SweepInterrupted
from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.grid_tuner import GridTuner
from experiments.tuning.plan_oracle import FINISHED_ON_DISK, grid_oracle
from experiments.tuning.recheck.plan import is_recheck
from experiments.tuning.recheck.runs import recheck_line
from experiments.tuning.role import ClusterRole
from experiments.tuning.sweep_plan import SweepPlan
from plumbing.atomic import write_json_atomic

CHIEF_POLL_SECONDS = 0.5
LINGER_SECONDS = 10.0  # after the sweep ends, while workers poll for the news


class LeaseLost(Exception):
    """Another worker holds this trial now."""


class ChiefTuner(GridTuner):
    """Serves the sweep's points to workers (proposing them, for an adaptive search); reports and ranks what they
    finish."""

    def __init__(self, *, role: ClusterRole, tls: tuple[Path, Path] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.role, self.tls, self.server = role, tls, None

    def search(self, *_args, **_kwargs) -> None:
        """Serve until every point has ended (Ctrl-C: stop serving, keep everything)."""
        self.oracle.verbose = 0
        self.save()
        secret = chief_secret(self.layout.chief_secret)
        credentials = server_credentials(*self.tls) if self.tls else None
        self.server = start_oracle_server(self.oracle, self.role.host, self.role.port, secret, credentials)
        self.oracle.restart_terms()
        print(
            f"chief: serving the {self.oracle.searched} on {self.role.address}; start workers with --worker "
            f"{self.role.address}",
            flush=True,
        )
        shown = len(self.oracle.ended())
        while True:
            done = self.finished()  # before the trials are read: a trial that ends in between is reported now too
            ended = self.oracle.ended()
            if len(ended) > shown:
                self.report(ended[shown:], shown)
            shown = len(ended)
            if self.oracle.fatal:
                raise RuntimeError(self.oracle.fatal)
            if done:
                return
            if self.request.event.is_set():
                raise SweepInterrupted("interrupted by the user")
            time.sleep(CHIEF_POLL_SECONDS)

    def report(self, newly_ended: list[str], shown: int) -> None:
        """Rank and record what has ended (once per poll); a line per newly ended trial, numbered in order."""
        frame, runs = self.write_boards()
        write_json_atomic(self.layout.cluster, self.oracle.cluster_record())
        for count, trial_id in enumerate(newly_ended, start=shown + 1):
            print(self.ended_line(frame, runs, trial_id, count), flush=True)

    def ended_line(self, frame: pd.DataFrame, runs: pd.DataFrame | None, trial_id: str, count: int) -> str:
        """The line of the `count`-th trial to end, with an ETA for the workers at hand; a re-check run's is numbered
        among the re-check runs that had ended with it (others may have ended since)."""
        trial = self.oracle.get_trial(trial_id)
        if is_recheck(trial.hyperparameters.values):
            done = self.ended_among(count, is_recheck)
            return recheck_line(runs, trial, self.oracle.objective.name, self.oracle.planned_recheck_runs(), done)
        return self.trial_line(frame, runs, trial, parallel=max(1, self.oracle.working()), ended=count)

    def ended_among(self, count: int, kind: Callable[[dict], bool]) -> int:
        """How many of the first `count` trials to end have hyperparameter values of `kind`."""
        return sum(kind(self.oracle.get_trial(t).hyperparameters.values) for t in self.oracle.ended()[:count])

    def trial_list(self) -> list:
        return self.oracle.trial_list()

    def ended_count(self) -> int:
        return len(set(self.oracle.ended()))  # under the oracle's lock: workers end trials meanwhile

    def close(self) -> None:
        """Stop serving; after a finished sweep, first give polling workers a moment to hear so."""
        if self.server is None:
            return
        if self.finished():
            give_up = time.monotonic() + LINGER_SECONDS
            while self.oracle.working() and time.monotonic() < give_up:
                time.sleep(CHIEF_POLL_SECONDS)
        self.server.stop(grace=1.0).wait()
        self.server = None


class LeaseGuard(keras.callbacks.Callback):
    """First at every epoch end: renew the lease, or stop before this epoch writes anything."""

    def __init__(self, client: FencedOracleClient, trial_id: str):
        super().__init__()
        self.client, self.trial_id = client, trial_id

    def on_epoch_end(self, epoch, logs=None):
        if not self.client.renew(self.trial_id, epoch + 1):
            raise LeaseLost(f"trial {self.trial_id} now belongs to another worker")


class WorkerTuner(GridTuner):
    """Trains the trials the chief leases to it."""

    def __init__(self, *, calls: ChiefCalls, lease_seconds: float, term: WorkerTerm, **kwargs):
        super().__init__(**kwargs)
        self.lease_seconds, self.tuner_id = lease_seconds, calls.role.tuner_id
        self.term, self.trials_run, self.sweep_done = term, 0, calls.sweep_done
        self.resident_after: list[float] = []  # resident MiB after each trial of this process (a memory term)
        local = getattr(self.oracle, "_oracle", self.oracle)  # KerasTuner may have wrapped it already
        self.oracle = FencedOracleClient(local, calls)

    def pre_create_trial(self):
        """After a Ctrl-C, or once its term is over, ask for no further trial (between trials, no lease is held)."""
        if self.request.event.is_set():
            raise SweepInterrupted("interrupted by the user")
        if self.term.watches_memory and len(self.resident_after) < self.trials_run:  # a trial ended since
            self.resident_after.append(resident_mib())
        reason = self.term.over(self.trials_run, self.resident_after)
        if reason and not self.sweep_done():
            raise TermOver(reason)

    def guards(self, trial) -> list[keras.callbacks.Callback]:
        return [LeaseGuard(self.oracle, trial.trial_id)]

    def run_trial(self, trial, *args, **kwargs):
        print(f"{self.tuner_id}: trial {trial.trial_id} begins", flush=True)
        self.oracle.lost.discard(trial.trial_id)  # leased to this worker again
        with self.heartbeat(trial.trial_id):
            return super().run_trial(trial, *args, **kwargs)

    def _run_and_update_trial(self, trial, *args, **kwargs):
        """KerasTuner's; a lost lease ends the trial here, quietly (it is not a failure of the trial)."""
        try:
            super()._run_and_update_trial(trial, *args, **kwargs)
        except LeaseLost:
            self.oracle.lost.add(trial.trial_id)
        except Exception as error:
            if not is_out_of_memory(error):
                raise  # KerasTuner's: the trial failed
            self.oracle.hand_back(trial)
            raise TrialOutOfMemory(f"trial {trial.trial_id} ran out of GPU memory: handed back to the chief") from error

    @contextmanager
    def heartbeat(self, trial_id: str) -> Iterator[None]:
        """Renew the lease every third of its term while the trial trains (a long epoch keeps it)."""
        stop = threading.Event()

        def beat():
            while not stop.wait(self.lease_seconds / 3):
                with suppress(Exception):  # the epoch-end renewal reports an absent chief
                    self.oracle.renew(trial_id, 0)

        thread = threading.Thread(target=beat, name=f"lease-{trial_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def on_trial_end(self, trial):
        self.trials_run += 1
        if trial.trial_id in self.oracle.lost:
            print(f"{self.tuner_id}: dropped trial {trial.trial_id}: its lease went to another worker", flush=True)
            return
        self.oracle.end_trial(trial)
        print(f"{self.tuner_id}: trial {trial.trial_id} {trial.status}", flush=True)


def chief_calls(plan: SweepPlan, request: StopRequest) -> ChiefCalls:
    """A worker's calls to the chief; while it is silent they also check the shared workdir and Ctrl-C."""
    finished = FINISHED_ON_DISK[plan.options.strategy]
    secret = lambda: read_secret(plan.layout.chief_secret)  # noqa: E731 - read at each call: the chief writes it
    return ChiefCalls(
        plan.role, plan.options.chief_wait, lambda: finished(plan), request.event.is_set, secret, plan.options.tls_ca
    )


def chief_tuner(plan: SweepPlan, common: dict) -> ChiefTuner:
    """The chief: serves the sweep's points under leases of `--lease-seconds`."""
    oracle = grid_oracle(plan, LeasedGridOracle, lease_seconds=plan.options.lease_seconds)
    tls = (plan.options.tls_cert, plan.options.tls_key) if plan.options.tls_cert else None
    return ChiefTuner(oracle=oracle, role=plan.role, tls=tls, **common)


def worker_tuner(
    plan: SweepPlan, common: dict, kind: type[WorkerTuner] = WorkerTuner, oracle: GridOracle | None = None
) -> WorkerTuner:
    """A worker (of `kind`, its own copy of the sweep's `oracle`): trains what the chief leases it, renewing the
    lease."""
    return kind(
        oracle=oracle or grid_oracle(plan),
        calls=chief_calls(plan, common["request"]),
        lease_seconds=plan.options.lease_seconds,
        term=worker_term(plan.options),
        **common,
    )
