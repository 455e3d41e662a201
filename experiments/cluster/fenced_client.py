"""A worker's side of KerasTuner's oracle protocol: its id on every call, bounded waits for the chief.

KerasTuner's `OracleClient` waits up to an hour, silently, for a chief that may be dead, and its
workers poll for trials without pausing. This client says that it waits, gives up after
`--chief-wait` seconds with what to do, sleeps between polls while every free point is taken, and
stops quietly when the sweep is finished on the shared workdir while the chief is gone.
"""

import collections
import copy
import time
from collections.abc import Callable
from pathlib import Path

import grpc
import keras_tuner as kt
from keras_tuner.src import protos
from keras_tuner.src.distribute.oracle_client import OracleClient

from experiments.cluster.chief_secret import SECRET_KEY, channel_to
from experiments.cluster.chief_server import TUNER_ID_KEY
from experiments.training.interrupts import SweepInterrupted
from experiments.tuning.role import ClusterRole
from experiments.tuning.statuses import HANDED_BACK, IDLE, STOPPED

CALL_SECONDS = 30.0
RETRY_SECONDS = 1.0
IDLE_POLL_SECONDS = 1.0
LOCAL_ATTRIBUTES = {
    "space",
    "points",
    "point_index",
    "plan",
    "size",
}  # the sweep's points and rungs, read from the worker's own copy (new proposals: from the shared workdir)
UNREACHABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


class ChiefUnreachable(kt.errors.FatalError):
    """The chief did not answer within `--chief-wait`."""


class SweepFinished(kt.errors.FatalError):
    """The chief is gone and the shared workdir shows every point of the sweep finished."""


class ChiefRefused(kt.errors.FatalError):
    """The chief refused this worker's secret: the worker does not share the chief's workdir."""


class _CallDetails(
    collections.namedtuple(
        "_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")
    ),
    grpc.ClientCallDetails,
):
    """What a gRPC call is sent with (grpc has no public constructor for it)."""


class ChiefCalls(grpc.UnaryUnaryClientInterceptor):
    """Adds the tuner id to every call and retries while the chief is unreachable, within a bound."""

    def __init__(
        self,
        role: ClusterRole,
        chief_wait: float,
        sweep_done: Callable[[], bool],
        interrupted: Callable[[], bool],
        secret: Callable[[], str | None],
        ca: Path | None = None,
    ):
        self.role, self.chief_wait, self.sweep_done, self.interrupted = role, chief_wait, sweep_done, interrupted
        self.secret, self.ca = secret, ca
        self.waiting = False  # one message per outage, whichever thread calls

    def channel(self) -> grpc.Channel:
        """A channel to the chief whose calls go through this interceptor."""
        return grpc.intercept_channel(channel_to(self.role.address, self.ca), self)

    def intercept_unary_unary(self, continuation, client_call_details, request):
        give_up = time.monotonic() + self.chief_wait
        while True:
            secret = self.secret()  # None until the chief has written it: it does not serve yet either
            metadata = [(TUNER_ID_KEY, self.role.tuner_id), (SECRET_KEY, secret or "")]
            details = _CallDetails(client_call_details.method, CALL_SECONDS, metadata, None, False, None)
            outcome = continuation(details, request) if secret else None
            error = outcome.exception() if outcome is not None else None
            if error is not None and error.code() == grpc.StatusCode.PERMISSION_DENIED:
                raise ChiefRefused(
                    f"the chief at {self.role.address} refused this worker's secret: pass the chief's --workdir "
                    "(a worker reads the secret the chief wrote there)"
                )
            if outcome is not None and (error is None or error.code() not in UNREACHABLE):
                if self.waiting:
                    self.waiting = False
                    print(f"{self.role.tuner_id}: the chief at {self.role.address} answers", flush=True)
                return outcome
            if self.sweep_done():
                raise SweepFinished("every point of the sweep is finished")
            if self.interrupted():
                raise SweepInterrupted(
                    "interrupted while the chief is unreachable: the epoch in progress is not committed"
                )
            if time.monotonic() > give_up:
                raise ChiefUnreachable(
                    f"the chief at {self.role.address} did not answer for {self.chief_wait:g} s: start it again "
                    "with its command (nothing committed is lost), then this worker"
                )
            if not self.waiting:
                self.waiting = True
                print(
                    f"{self.role.tuner_id}: waiting for the chief at {self.role.address} (up to {self.chief_wait:g} s)",
                    flush=True,
                )
            time.sleep(RETRY_SECONDS)


class FencedOracleClient(OracleClient):
    """KerasTuner's `OracleClient` over a channel that names the worker and waits for the chief."""

    def __init__(self, oracle, calls: ChiefCalls):
        self._oracle, self.tuner_id = oracle, calls.role.tuner_id
        self.multi_worker, self.should_report = False, True
        self.lost: set[str] = set()
        self.stub = protos.get_service_grpc().OracleStub(calls.channel())

    def __getattr__(self, name):
        if name in LOCAL_ATTRIBUTES:
            return getattr(self._oracle, name)
        return super().__getattr__(name)

    def create_trial(self, tuner_id):
        """A trial; while every free point is taken (IDLE), pause before the tuner asks again."""
        trial = super().create_trial(tuner_id)
        if trial.status == IDLE:
            time.sleep(IDLE_POLL_SECONDS)
        return trial

    def update_trial(self, trial_id, metrics, step=0):
        """Report a trial's results; an answer STOPPED means its lease went to another worker."""
        trial = super().update_trial(trial_id, metrics, step=step)
        if trial.status == STOPPED:
            self.lost.add(trial_id)
        return trial

    def renew(self, trial_id: str, step: int) -> bool:
        """Renew this worker's lease on a trial (a report without metrics); False once it is lost."""
        self.update_trial(trial_id, {}, step=step)
        return trial_id not in self.lost

    def hand_back(self, trial) -> None:
        """Give the trial back unfinished (out of memory): the chief leases it to the next worker at once."""
        handed = copy.copy(trial)
        handed.status = HANDED_BACK
        self.stub.EndTrial(protos.get_service().EndTrialRequest(trial=handed.to_proto()))


def reach_chief(calls: ChiefCalls) -> None:
    """Return once the chief answers (it serves only after preparing the workdir), within `chief_wait`."""
    channel = calls.channel()
    protos.get_service_grpc().OracleStub(channel).GetSpace(protos.get_service().GetSpaceRequest())
    channel.close()
