"""A broker killed with SIGKILL at any point loses no entry of an answered query.

The broker runs as a real process (``liaison broker serve``); queries run
from a node in a loop; the broker is killed at a random moment, restarted,
and the log must still hold both entries of every answered query and stay
consistent with the head an auditor saw before the kill.
"""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.auditing.auditor import GrpcLogSource, load_auditor_config
from liaison.auditing.verify import AuditorState, verify
from liaison.core.records import Record
from liaison.crypto.tree_head import load_audit_public_key
from liaison.node.codec import match_request_to_proto
from liaison.node.model import MatchRequest
from tests.integration.harness import RunningFederation, start_federation

ROW = Record(ref="S-1", emails=("a.ali@example.org",))


def spawn_broker(federation: RunningFederation, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "liaison", "broker", "serve", "--config",
             str(federation.broker_config.path)],
            stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    host, port = federation.broker_address.rsplit(":", 1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with socket.create_connection((host, int(port)), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    raise AssertionError("broker did not come up")


@pytest.fixture
def federation(tmp_path: Path) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path, {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"), external_broker=True,
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", [ROW])
        yield running
    finally:
        running.stop()


def audit(federation: RunningFederation, config_path: Path) -> list[str]:
    config = load_auditor_config(config_path)
    state = AuditorState.load(config.state)
    source = GrpcLogSource(config)
    try:
        report = verify(source, load_audit_public_key(config.broker_audit_key), state)
    finally:
        source.close()
    if report.ok:
        state.save(config.state)
    return [f"{f.where}: {f.problem}" for f in report.findings]


def logged_queries(config_path: Path) -> dict[str, set[str]]:
    config = load_auditor_config(config_path)
    source = GrpcLogSource(config)
    try:
        records = source.records(0, source.tree_head().size)
    finally:
        source.close()
    kinds: dict[str, set[str]] = {}
    for record in records:
        event = record.event()
        if event is not None and "query_id" in event.fields:
            kinds.setdefault(str(event.fields["query_id"]), set()).add(event.kind.value)
    return kinds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_at_any_point_keeps_answered_queries_logged(
    federation: RunningFederation, tmp_path: Path, seed: int
) -> None:
    log = tmp_path / "broker.log"
    auditor = federation.auditor_config()
    broker = spawn_broker(federation, log)
    answered: list[str] = []
    stop = threading.Event()

    def loop() -> None:
        stub = federation.local("FR")
        request = match_request_to_proto(
            MatchRequest("C-1", "counter-terrorism", "art. 1", "inv", (ROW,))
        )
        while not stop.is_set():
            try:
                answered.append(stub.Match(request, timeout=10).query_id)
            except grpc.RpcError:
                time.sleep(0.01)

    worker = threading.Thread(target=loop)
    worker.start()
    try:
        time.sleep(0.5)
        assert audit(federation, auditor) == []  # a head seen before the kill
        time.sleep(random.Random(seed).uniform(0.05, 0.6))
        broker.send_signal(signal.SIGKILL)
        broker.wait(10)
    finally:
        stop.set()
        worker.join(30)
    assert answered, "no query was answered before the kill"
    broker = spawn_broker(federation, log)
    try:
        assert audit(federation, auditor) == []  # restarted tree extends the seen head
        logged = logged_queries(auditor)
        for query_id in answered:
            assert {"query_submitted", "query_completed"} <= logged.get(query_id, set()), query_id
    finally:
        broker.send_signal(signal.SIGTERM)
        assert broker.wait(15) == 0
