"""Who may call the chief: the processes that can read its secret, and, with TLS, only over an encrypted channel.

KerasTuner's oracle service trusts any caller: whoever reaches the port could end trials with any score (and
so choose the winner) or stop the sweep. The chief writes a random secret into the experiment folder, readable
by its owner only (mode 0600); workers share the workdir, so they read it and send it with every call. A call
without it, or with another, is refused (PERMISSION_DENIED) before KerasTuner sees it, with one line per caller.
TLS (`--tls-cert/--tls-key` on the chief, `--tls-ca` on workers) encrypts the calls between machines, so that
the secret cannot be read off the network.
"""

import hmac
import os
import secrets
import threading
from pathlib import Path

import grpc

SECRET_KEY = "instrument-tuner-secret"  # gRPC metadata (keys are lower-case ASCII)


def chief_secret(path: Path) -> str:
    """The chief's secret at `path`, made once (mode 0600) and kept, so that a restarted chief keeps its workers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # a second chief racing this one keeps the first secret
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def read_secret(path: Path) -> str | None:
    """A worker's copy of the chief's secret (None until the chief has written it)."""
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None


class SecretCheck(grpc.ServerInterceptor):
    """Lets through the calls that carry the secret; refuses the others, one line per caller and reason."""

    def __init__(self, secret: str, say=print):
        self.secret, self.say = secret.encode(), say
        self.said: set[tuple[str, str]] = set()
        self.lock = threading.Lock()

    def intercept_service(self, continuation, handler_call_details):
        sent = dict(handler_call_details.invocation_metadata).get(SECRET_KEY)
        if sent is not None and hmac.compare_digest(sent.encode(), self.secret):
            return continuation(handler_call_details)
        reason = "no secret" if sent is None else "a wrong secret"
        method = handler_call_details.method.rpartition("/")[2]
        return grpc.unary_unary_rpc_method_handler(lambda request, context: self.refuse(context, method, reason))

    def refuse(self, context, method: str, reason: str):
        caller = context.peer().rpartition(":")[0]  # without the caller's ephemeral port
        with self.lock:
            first = (caller, reason) not in self.said
            self.said.add((caller, reason))
        if first:
            self.say(f"chief: refused {method} from {caller}: {reason} (further calls from it are refused silently)")
        context.abort(grpc.StatusCode.PERMISSION_DENIED, f"{reason}: read it from the chief's workdir")


def server_credentials(cert: Path, key: Path) -> grpc.ServerCredentials:
    """TLS for the chief's port, from PEM files."""
    return grpc.ssl_server_credentials([(key.read_bytes(), cert.read_bytes())])


def channel_to(address: str, ca: Path | None) -> grpc.Channel:
    """A worker's channel to the chief: TLS checked against `ca` when given, else plain (loopback, a trusted LAN)."""
    if ca is None:
        return grpc.insecure_channel(address)
    return grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=ca.read_bytes()))
