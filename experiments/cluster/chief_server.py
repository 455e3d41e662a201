"""The chief's gRPC server: KerasTuner's oracle service, with reports and ends fenced by lease.

Workers speak KerasTuner's own protocol (`OracleStub`); each call carries its tuner id in the
`tuner-id` metadata, which the servicer uses to check the caller's lease. An `UpdateTrial` answered
with status STOPPED (KerasTuner's early-stop signal) tells a worker its lease is gone; an `EndTrial`
with status IDLE (`HANDED_BACK`) is a worker giving its unfinished trial back.
"""

from concurrent import futures

import grpc
from keras_tuner.src import protos
from keras_tuner.src.distribute.oracle_chief import OracleServicer
from keras_tuner.src.engine import trial as trial_module

from experiments.cluster.chief_secret import SecretCheck
from experiments.cluster.leased_oracle import LeasedGridOracle
from experiments.tuning.statuses import HANDED_BACK
from plumbing.errors import UsageError

TUNER_ID_KEY = "tuner-id"
SERVER_THREADS = 8


def caller(context) -> str:
    """The tuner id a worker sent with its call ('' if none)."""
    return dict(context.invocation_metadata()).get(TUNER_ID_KEY, "")


class FencedOracleServicer(OracleServicer):
    """KerasTuner's servicer; `UpdateTrial` renews leases, both it and `EndTrial` only for the holder."""

    def UpdateTrial(self, request, context):
        trial, held = self.oracle.update_from(caller(context), request.trial_id, dict(request.metrics), request.step)
        proto = trial.to_proto()
        if not held:
            proto.status = trial_module.TrialStatus.to_proto(trial_module.TrialStatus.STOPPED)
        return protos.get_service().UpdateTrialResponse(trial=proto)

    def EndTrial(self, request, context):
        trial = trial_module.Trial.from_proto(request.trial)
        if trial.status == HANDED_BACK:
            self.oracle.hand_back_from(caller(context), trial.trial_id)
        else:
            self.oracle.end_from(caller(context), trial)
        return protos.get_service().EndTrialResponse()


def start_oracle_server(
    oracle: LeasedGridOracle, host: str, port: int, secret: str, credentials: grpc.ServerCredentials | None = None
) -> grpc.Server:
    """Serve `oracle` on host:port to the callers that send `secret` (TLS with `credentials`; threads: the oracle
    serialises its own state)."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=SERVER_THREADS),
        interceptors=[SecretCheck(secret, lambda line: print(line, flush=True))],
        options=[("grpc.so_reuseport", 0)],  # gRPC's default lets a second chief share the port and half the calls
    )
    protos.get_service_grpc().add_OracleServicer_to_server(FencedOracleServicer(oracle), server)
    try:
        address = f"{host}:{port}"
        bound = server.add_secure_port(address, credentials) if credentials else server.add_insecure_port(address)
    except RuntimeError:
        bound = 0
    if not bound:
        raise UsageError(
            f"--chief {host}:{port}: cannot listen there (port in use, or not this machine's "
            "address): pick another port or host"
        )
    server.start()
    return server
