"""Finding 1 of issue 8, attacked against real servers: the local face admits people, not hosts.

The attacker of the finding reached ``NodeLocal/Match`` on loopback with a
raw gRPC call, claimed to be ``chief.prosecutor@fr``, got a hit, and that
claim went into the partner's ledger and the broker's log; a 12.6 MB request
of 150,000 rows was refused only after minutes. Each test below performs one
of those steps against a real broker and nodes and shows how it now fails.
Runs on SQLite and, when enabled, PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest

from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.core.errors import QuotaExceeded, Unauthenticated
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.node.codec import match_request_to_proto
from liaison.node.ledger.chain import LedgerEntry
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from liaison.node.users import LocalRole
from liaison.v1 import node_pb2
from liaison.wire.status import error_from_rpc, rpc_code
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, investigator_name, start_federation

SHARED = Record(ref="S-1", full_name="Ahmed Ali", date_of_birth="1985-03-14",
                emails=("a.ali@example.org",))  # fmt: skip
CLAIMED = "chief.prosecutor@fr"


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in ("FR", "NL")}, agencies=("FR", "NL"),
        broker_database=make_db_url("broker"),
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", [SHARED])
        yield running
    finally:
        running.stop()


def match_message(
    records: tuple[Record, ...] = (SHARED,), investigator: str = CLAIMED
) -> node_pb2.LocalMatchRequest:
    justification = Justification("CASE-1", "counter-terrorism", "art. 1", investigator)
    return match_request_to_proto(MatchRequest(justification, records))


def ledger(running: RunningFederation, agency: str) -> list[LedgerEntry]:
    store = SqlLedgerStore(running.node_configs[agency].database)
    try:
        return store.all()
    finally:
        store.close()


def broker_log_size(running: RunningFederation) -> int:
    store = SqlAuditStore(running.broker_config.database)
    try:
        return store.size()
    finally:
        store.close()


def refusal(call: Callable[[], object]) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value


def test_an_unauthenticated_raw_match_is_refused_and_reaches_nobody(
    federation: RunningFederation,
) -> None:
    """Attack: a raw gRPC Match on loopback with no credential, claiming another investigator."""
    before = broker_log_size(federation)
    stub = federation.local("FR", anonymous=True)
    error = refusal(lambda: stub.Match(match_message(), timeout=30))
    assert rpc_code(error) is grpc.StatusCode.UNAUTHENTICATED
    assert isinstance(error_from_rpc(error), Unauthenticated)
    listing = refusal(lambda: stub.ListDatasets(node_pb2.ListDatasetsRequest(), timeout=10))
    assert rpc_code(listing) is grpc.StatusCode.UNAUTHENTICATED
    assert ledger(federation, "NL") == [] and ledger(federation, "FR") == []
    assert broker_log_size(federation) == before


@pytest.mark.parametrize(
    "token",
    [
        "lt1:investigator@fr:" + "A" * 43,  # a real user, a guessed secret
        "lt1:chief.prosecutor@fr:" + "A" * 43,  # an unknown user
        "Bearer-garbage",
        "lt1:" + "x" * 5000,  # oversized: refused before any hashing
    ],
)
def test_a_forged_token_is_refused(federation: RunningFederation, token: str) -> None:
    """Attack: guessing or forging a credential instead of sending none."""
    stub = federation.local("FR", token=token)
    error = refusal(lambda: stub.Match(match_message(), timeout=30))
    assert rpc_code(error) is grpc.StatusCode.UNAUTHENTICATED
    assert ledger(federation, "NL") == []


def test_the_investigator_is_the_authenticated_user_not_the_claim(
    federation: RunningFederation,
) -> None:
    """Attack: an authenticated investigator claims another investigator id in the request."""
    reply = federation.local("FR").Match(match_message(investigator=CLAIMED), timeout=30)
    assert [r.status for r in reply.results] == ["ok"]
    assert [h.ref for h in reply.results[0].hits] == ["S-1"]
    (received,) = ledger(federation, "NL")
    sent = ledger(federation, "FR")  # the intent before submitting, then the outcome
    assert [e.outcome == "submitted" for e in sent] == [True, False]
    named = {received.investigator_id} | {e.investigator_id for e in sent}
    assert named == {investigator_name("FR")}
    store = SqlAuditStore(federation.broker_config.database)
    try:
        bodies = b"".join(r.body or b"" for r in store.records(0, store.size()))
    finally:
        store.close()
    assert CLAIMED.encode() not in bodies
    assert investigator_name("FR").encode() in bodies


def test_a_disabled_or_removed_user_is_refused_at_the_next_call(
    federation: RunningFederation,
) -> None:
    """Attack: a credential keeps working after the operator revoked it."""
    for revoke in ("disable", "remove"):
        name = f"leaver-{revoke}@fr"
        stub = federation.local("FR", token=federation.add_user("FR", name, LocalRole.INVESTIGATOR))
        assert stub.ListDatasets(node_pb2.ListDatasetsRequest(), timeout=10) is not None
        store, users = federation.users("FR")
        try:
            users.disable(name) if revoke == "disable" else users.remove(name)
        finally:
            store.close()
        error = refusal(lambda: stub.Match(match_message(), timeout=30))  # noqa: B023
        assert rpc_code(error) is grpc.StatusCode.UNAUTHENTICATED
    assert ledger(federation, "NL") == []


@pytest.mark.parametrize("role", [LocalRole.OPERATOR, LocalRole.OFFICER, LocalRole.AUDITOR])
def test_a_role_that_may_not_match_is_permission_denied(
    federation: RunningFederation, role: LocalRole
) -> None:
    """Attack: a valid credential of the wrong role runs a match."""
    stub = federation.local("FR", token=federation.add_user("FR", f"{role}@fr", role))
    error = refusal(lambda: stub.Match(match_message(), timeout=30))
    assert rpc_code(error) is grpc.StatusCode.PERMISSION_DENIED
    reply = stub.ListDatasets(node_pb2.ListDatasetsRequest(), timeout=10)
    assert list(reply.datasets) == []
    assert ledger(federation, "NL") == []


def test_an_oversized_request_is_refused_before_any_key_is_derived(
    federation: RunningFederation,
) -> None:
    """Attack: the finding's 150,000-row request (over 4 MiB), then 10,001 small rows."""
    rows = tuple(
        Record(ref=f"R-{i}", full_name=f"Person Number {i}", date_of_birth="1980-01-01",
               phones=(f"+33 6 {i:08d}",))
        for i in range(150_000)
    )  # fmt: skip
    huge = match_message(rows)
    assert huge.ByteSize() > 4 * 1024 * 1024
    error = refusal(lambda: federation.local("FR").Match(huge, timeout=60))
    assert rpc_code(error) is grpc.StatusCode.RESOURCE_EXHAUSTED
    many = match_message(tuple(Record(ref=f"R-{i}", full_name="A B") for i in range(10_001)))
    assert many.ByteSize() < 4 * 1024 * 1024
    error = refusal(lambda: federation.local("FR").Match(many, timeout=60))
    assert rpc_code(error) is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert isinstance(error_from_rpc(error), QuotaExceeded)
    assert ledger(federation, "NL") == [] and ledger(federation, "FR") == []
