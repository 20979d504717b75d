"""Finding 5: one member cannot shut out the others (real broker and nodes, mTLS).

The attacks of the finding, each against real servers on SQLite and
PostgreSQL: a flood of policy-denied queries from one member, a replay of an
accepted query after a broker restart, and one envelope naming 300,000
datasets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from liaison.core.audit import EntryKind
from liaison.core.query import AgencyCode, Justification, Query, Target
from liaison.crypto import psi
from liaison.crypto.certificates import load_private_key
from liaison.crypto.envelope import (
    epoch_ms,
    from_epoch_ms,
    new_query_id,
    payload_digest,
    sign_query,
)
from liaison.tools.demo_data import generate_federation
from liaison.v1 import broker_pb2, common_pb2
from liaison.wire.common_codec import signed_query_to_proto
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation

AGENCIES = ("FR", "NL", "TR")
#: The in-test broker's per-agency rate (per minute); the default is 600.
RATE = 40


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path / "fed",
        {a: make_db_url(a) for a in AGENCIES},
        agencies=AGENCIES,
        broker_database=make_db_url("broker"),
    )
    try:
        running.broker_config = dataclasses.replace(
            running.broker_config, max_queries_per_minute=RATE
        )
        running.restart_broker()
        data = generate_federation(5, AGENCIES, persons_per_agency=40)
        running.import_rows("FR", "watchlist", data.datasets["FR"])
        yield running
    finally:
        running.stop()


def submit(running: RunningFederation, agency: str, **query: object) -> broker_pb2.SubmitRequest:
    psi_request = psi.PsiClient().request(["1|email|a@example.org"])
    signed = running.signed_query(agency, ["FR"], psi_request, key_count=1, **query)  # type: ignore[arg-type]
    return broker_pb2.SubmitRequest(query=signed, psi_request=psi_request)


def audit_kinds(running: RunningFederation, start: int) -> list[str]:
    assert running.broker is not None
    log = running.broker.audit_log
    return [
        event.kind.value
        for record in log.records(start, log.size)
        if (event := record.event()) is not None
    ]


def test_a_flood_of_denied_queries_does_not_shut_out_the_others(
    federation: RunningFederation,
) -> None:
    assert federation.broker is not None
    stub = federation.broker_stub("TR")
    codes = []
    for _ in range(RATE + 10):
        with pytest.raises(grpc.RpcError) as caught:
            stub.Submit(submit(federation, "TR", case_id=""), timeout=10)
        codes.append(caught.value.code())
    # The denied queries are refused as such, then the member is throttled.
    assert codes[:RATE] == [grpc.StatusCode.PERMISSION_DENIED] * RATE
    assert codes[RATE:] == [grpc.StatusCode.RESOURCE_EXHAUSTED] * 10
    # Refused queries took no place in the replay guard.
    assert len(federation.broker.replay) == 0
    # Another member's valid query still goes through, answered by FR.
    accepted = federation.broker_stub("NL").Submit(submit(federation, "NL"), timeout=10)
    assert [a.status for a in accepted.answers] == [common_pb2.PARTNER_STATUS_OK]
    assert len(federation.broker.replay) == 1
    # And the throttled member's window passes: it may query again.
    federation.monotonic.advance(61)
    again = stub.Submit(submit(federation, "TR"), timeout=10)
    assert [a.status for a in again.answers] == [common_pb2.PARTNER_STATUS_OK]


def test_a_replay_after_a_broker_restart_is_refused(federation: RunningFederation) -> None:
    accepted = submit(federation, "NL")
    federation.broker_stub("NL").Submit(accepted, timeout=10)
    federation.restart_broker()
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("NL").Submit(accepted, timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert caught.value.details() == "replayed query"


def test_an_envelope_naming_300000_datasets_is_refused_before_anything_is_logged_for_it(
    federation: RunningFederation,
) -> None:
    assert federation.broker is not None
    psi_request = psi.PsiClient().request(["1|email|a@example.org"])
    now = from_epoch_ms(epoch_ms(datetime.now(UTC)))
    query = Query(
        query_id=new_query_id(),
        requesting_agency=AgencyCode("NL"),
        justification=Justification("CASE-1", "counter-terrorism", "test", "tester"),
        targets=(Target(AgencyCode("FR"), tuple(f"d{i}" for i in range(300_000))),),
        key_count=1,
        payload_digest=payload_digest(psi_request),
        issued_at=now,
        expires_at=now + timedelta(minutes=5),
        key_spec="1",
    )
    signed = sign_query(query, load_private_key(federation.pki.nodes["NL"].private_key))
    assert len(signed.envelope) > 2_000_000
    size = federation.broker.audit_log.size
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("NL").Submit(
            broker_pb2.SubmitRequest(query=signed_query_to_proto(signed), psi_request=psi_request),
            timeout=30,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details() == "query names more than 64 datasets of one partner"
    # One denial entry, nothing relayed: no query_submitted, no answer entries.
    assert audit_kinds(federation, size) == [EntryKind.POLICY_DENIAL.value]
    assert len(federation.broker.replay) == 0
