"""A broker killed with SIGKILL at any point loses no entry of an answered query.

The broker runs as a real process (``liaison broker serve``); queries run
from a node in a loop; the broker is killed at a random moment, restarted,
and the log must still hold both entries of every answered query and stay
consistent with the head an auditor saw before the kill.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.auditing.auditor import GrpcLogSource, load_auditor_config
from liaison.auditing.verify import AuditorState, verify
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.tree_head import load_audit_public_key
from liaison.node.codec import match_request_to_proto
from liaison.node.model import MatchRequest
from tests.integration.broker_process import BrokerProcess, federation_with_broker_process
from tests.integration.harness import RunningFederation

ROW = Record(ref="S-1", emails=("a.ali@example.org",))


@pytest.fixture
def broker(tmp_path: Path) -> BrokerProcess:
    return BrokerProcess(tmp_path / "broker.log")


@pytest.fixture
def federation(tmp_path: Path, broker: BrokerProcess) -> Iterator[RunningFederation]:
    with federation_with_broker_process(tmp_path, broker, [ROW]) as running:
        yield running


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
    federation: RunningFederation, broker: BrokerProcess, seed: int
) -> None:
    auditor = federation.auditor_config()
    answered: list[str] = []
    answered_enough = threading.Event()
    # The kill comes after a random number of answered queries, not after a guessed time.
    kill_after = random.Random(seed).randint(2, 12)
    stop = threading.Event()

    def loop() -> None:
        stub = federation.local("FR")
        request = match_request_to_proto(
            MatchRequest(Justification("C-1", "counter-terrorism", "art. 1", "inv"), (ROW,))
        )
        while not stop.is_set():
            try:
                answered.append(stub.Match(request, timeout=10).query_id)
            except grpc.RpcError:
                stop.wait(0.01)  # the broker is down: retry until the test stops us
            if len(answered) >= kill_after:
                answered_enough.set()

    worker = threading.Thread(target=loop)
    worker.start()
    try:
        assert answered_enough.wait(60), "queries were not answered"
        assert audit(federation, auditor) == []  # a head seen before the kill
        assert broker.process is not None
        broker.process.send_signal(signal.SIGKILL)  # queries are still running
        broker.process.wait(10)
    finally:
        stop.set()
        worker.join(30)
    assert answered, "no query was answered before the kill"
    process, _ = broker.launch(federation.broker_config.path)  # same port, from the config
    assert isinstance(process, subprocess.Popen)
    try:
        assert audit(federation, auditor) == []  # restarted tree extends the seen head
        logged = logged_queries(auditor)
        for query_id in answered:
            assert {"query_submitted", "query_completed"} <= logged.get(query_id, set()), query_id
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
