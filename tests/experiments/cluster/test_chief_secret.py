"""The chief lets in only the processes that read its secret in the workdir: a caller without it, or with another,
is refused in one logged line, creates no trial and cannot end one; workers with it train the grid, also over TLS."""

import json
import shutil
import signal
import stat
import subprocess

import grpc
import keras_tuner as kt
import pandas as pd
import pytest
from keras_tuner.src import protos
from keras_tuner.src.engine import trial as trial_module

from experiments.cluster.chief_secret import SECRET_KEY
from tests.support import LEASE_ARGS, Cluster, Run, wait_for

pytestmark = pytest.mark.slow
TWO_POINTS = {"conv_filters": [[4, 8, 8], [8, 8, 8]], "learning_rate": [0.001]}


def intruder_calls(address: str, secret: str | None, credentials=None) -> list[grpc.StatusCode]:
    """KerasTuner's own client calls as a stranger makes them: ask for a trial, then end trial 00 as a perfect one."""
    channel = grpc.secure_channel(address, credentials) if credentials else grpc.insecure_channel(address)
    stub, service = protos.get_service_grpc().OracleStub(channel), protos.get_service()
    metadata = [("tuner-id", "intruder"), *([(SECRET_KEY, secret)] if secret is not None else [])]
    perfect = trial_module.Trial(kt.HyperParameters(), trial_id="0", status=trial_module.TrialStatus.COMPLETED)
    perfect.score = 1.0
    calls = [
        lambda: stub.CreateTrial(service.CreateTrialRequest(tuner_id="intruder"), metadata=metadata, timeout=10),
        lambda: stub.EndTrial(service.EndTrialRequest(trial=perfect.to_proto()), metadata=metadata, timeout=10),
        lambda: stub.UpdateTrial(
            service.UpdateTrialRequest(trial_id="0", metrics={"val_accuracy": 1.0}), metadata=metadata, timeout=10
        ),
    ]
    codes = []
    for call in calls:  # each with a deadline: a plain call to a TLS port is never answered
        try:
            call()
            codes.append(grpc.StatusCode.OK)
        except grpc.RpcError as error:
            codes.append(error.code())
    channel.close()
    return codes


@pytest.fixture(scope="module")
def guarded(sweep_data, tmp_path_factory):
    """A chief serving two points; strangers call it, and a worker of another workdir tries, before a worker trains;
    a stranger calls while it trains; then the worker ends the grid."""
    root = tmp_path_factory.mktemp("secret")
    space = root / "two.json"
    space.write_text(json.dumps(TWO_POINTS))
    cluster = Cluster(sweep_data, root, "--space", str(space), "--max-epochs", "2", *LEASE_ARGS)
    chief = cluster.start("chief")
    wait_for(lambda: "chief: serving the grid" in chief.output, what="the chief serving", run=chief)
    none, wrong = intruder_calls(cluster.address, None), intruder_calls(cluster.address, "0" * 64)
    trials_before = sorted(p.name for p in (cluster.workdir / "cnn" / "tuner").glob("trial_*"))
    elsewhere = root / "elsewhere"  # a workdir whose secret is not the chief's
    (elsewhere / "cnn").mkdir(parents=True)
    (elsewhere / "cnn" / "chief.secret").write_text("1" * 64 + "\n")
    args = [str(elsewhere) if a == str(cluster.workdir) else a for a in cluster.args]
    stranger = Run("search_cnn.py", *args, "--worker", cluster.address, "--worker-id", "b", log=root / "b.log")
    stranger_code = stranger.wait()
    worker = cluster.start("a")
    wait_for(lambda: "a: trial 0 begins" in cluster.output("a"), what="the worker training", run=worker)
    during = intruder_calls(cluster.address, "f" * 64)
    assert worker.wait() == 0 and chief.wait() == 0, cluster.output("a")[-2000:] + chief.output[-2000:]
    return {
        "cluster": cluster,
        "calls": {"none": none, "wrong": wrong, "during": during},
        "trials_before": trials_before,
        "stranger": (stranger_code, stranger.output),
    }


def test_strangers_are_refused_and_create_no_trial(guarded):
    assert list(guarded["calls"].values()) == [[grpc.StatusCode.PERMISSION_DENIED] * 3] * 3
    assert guarded["trials_before"] == []


def test_the_leaderboard_holds_only_the_workers_results(guarded):
    cluster = guarded["cluster"]
    board = cluster.board()
    assert sorted(board["trial_id"]) == [0, 1] and (board["status"] == "COMPLETED").all()
    for row in board.itertuples():
        history = pd.read_csv(cluster.workdir / "cnn" / "tuner" / f"trial_{row.trial_id}" / "history.csv")
        assert list(history["epoch"]) == [0, 1] and row.val_accuracy == pytest.approx(history["val_accuracy"].max())
    assert "intruder" not in (cluster.workdir / "cnn" / "cluster.json").read_text()


def test_each_stranger_is_one_logged_line_and_the_secret_is_its_owners_alone(guarded):
    chief = guarded["cluster"].output("chief")
    refused = [line for line in chief.splitlines() if line.startswith("chief: refused ")]
    assert refused == [
        "chief: refused CreateTrial from ipv4:127.0.0.1: no secret (further calls from it are refused silently)",
        "chief: refused CreateTrial from ipv4:127.0.0.1: a wrong secret (further calls from it are refused silently)",
    ]
    secret = guarded["cluster"].workdir / "cnn" / "chief.secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_text().strip()) == 64


def test_a_worker_of_another_workdir_is_refused_in_one_line(guarded):
    code, output = guarded["stranger"]
    address = guarded["cluster"].address
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert code == 2 and errors == [
        f"error: b: the chief at {address} refused this worker's secret: pass the chief's --workdir (a worker reads "
        "the secret the chief wrote there)"
    ], output


def self_signed(folder) -> tuple:
    """A certificate for 127.0.0.1 and its key (openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate to serve TLS with")
    cert, key = folder / "chief.pem", folder / "chief.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_over_tls_the_worker_trains_and_a_plain_or_secretless_caller_gets_nothing(sweep_data, tmp_path):
    cert, key = self_signed(tmp_path)
    space = tmp_path / "one.json"
    space.write_text(json.dumps({"conv_filters": [[4, 8, 8]], "learning_rate": [0.001]}))
    cluster = Cluster(sweep_data, tmp_path, "--space", str(space), "--max-epochs", "1", *LEASE_ARGS)
    cluster.args += ["--tls-cert", str(cert), "--tls-key", str(key)]
    chief = cluster.start("chief")
    try:
        wait_for(lambda: "chief: serving the grid" in chief.output, what="the chief serving TLS", run=chief)
        plain = intruder_calls(cluster.address, None)
        secretless = intruder_calls(cluster.address, None, grpc.ssl_channel_credentials(cert.read_bytes()))
        cluster.args = [a for a in cluster.args if a not in (str(cert), str(key), "--tls-cert", "--tls-key")]
        cluster.args += ["--tls-ca", str(cert)]
        worker = cluster.start("a")
        assert worker.wait() == 0 and chief.wait() == 0, cluster.output("a")[-2000:] + chief.output[-2000:]
    finally:
        if chief.process.poll() is None:
            chief.kill(signal.SIGKILL)
    assert grpc.StatusCode.PERMISSION_DENIED not in plain and grpc.StatusCode.OK not in plain  # no TLS: no answer
    assert secretless == [grpc.StatusCode.PERMISSION_DENIED] * 3
    assert list(cluster.board()["status"]) == ["COMPLETED"]
