"""Finding 7: audit reads are scoped. Real broker and nodes, raw gRPC calls with node certificates.

Before, any node certificate read every agency's query metadata
(investigator, case, legal basis, targets) and a participant removed from
broker.toml still read the whole log. Now a node reads in full only the
entries about its own agency, gets the others as leaf hashes (enough to
rebuild the tree and check the signed root), and a removed participant is
refused; every read is logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.auditing.auditor import GrpcLogSource, load_auditor_config
from liaison.core.audit import EntryKind
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.merkle import MerkleTree, leaf_hash
from liaison.crypto.tree_head import load_audit_public_key, verify_tree_head
from liaison.node.codec import match_request_to_proto
from liaison.node.model import MatchRequest
from liaison.node.users import LocalRole
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.common_codec import tree_head_from_proto
from liaison.wire.credentials import secure_channel
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation

SHARED = Record(ref="S-1", full_name="Ahmed Ali", date_of_birth="1985-03-14",
                emails=("a.ali@example.org",))  # fmt: skip


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in ("FR", "NL", "TR")},
        broker_database=make_db_url("broker"),
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", [SHARED])
        for agency, case, investigator in (("FR", "FR-SECRET-CASE", "fr.chief.prosecutor"),
                                           ("TR", "TR-CASE-9", "tr.officer")):  # fmt: skip
            request = MatchRequest(
                Justification(case, "counter-terrorism", f"{agency} legal basis", investigator),
                (SHARED,),
                partners=("NL",),
            )
            # The investigator in the log is the authenticated user, so issue these ones.
            token = running.add_user(agency, investigator, LocalRole.INVESTIGATOR)
            stub = running.local(agency, token=token)
            stub.Match(match_request_to_proto(request), timeout=30)
        running.wait_anchored()
        yield running
    finally:
        running.stop()


def audit_stub(federation: RunningFederation, agency: str) -> broker_pb2_grpc.AuditStub:
    tls = federation.pki.tls(federation.pki.nodes[agency])
    channel = secure_channel(federation.broker_address, tls)
    federation._channels.append(channel)
    return broker_pb2_grpc.AuditStub(channel)


def read_as(federation: RunningFederation, agency: str) -> list[broker_pb2.AuditEntry]:
    stub = audit_stub(federation, agency)
    return list(stub.GetEntries(broker_pb2.EntriesRequest(), timeout=30))


def auditor_events(federation: RunningFederation) -> list[AuditRecord]:
    source = GrpcLogSource(load_auditor_config(federation.auditor_config()))
    try:
        return source.records(0, source.tree_head().size)
    finally:
        source.close()


def test_a_node_reads_only_its_own_query_metadata(federation: RunningFederation) -> None:
    entries = read_as(federation, "TR")
    everything = b"".join(e.header + e.body for e in entries)
    # The attack: TR's certificate reading FR's investigator, case, legal basis.
    assert b"FR-SECRET-CASE" not in everything
    assert b"fr.chief.prosecutor" not in everything
    assert b"FR legal basis" not in everything
    # Its own query is there in full.
    assert b"TR-CASE-9" in everything and b"tr.officer" in everything
    withheld = [e for e in entries if not e.header]
    assert withheld and all(len(e.leaf_hash) == 32 and not e.body for e in withheld)
    # The auditor, reading everything, sees FR's query: TR was really kept from it.
    fr_cases = [
        r.index
        for r in auditor_events(federation)
        if (event := r.event()) is not None and event.fields.get("case_id") == "FR-SECRET-CASE"
    ]
    assert fr_cases and all(not entries[i].header for i in fr_cases)


def test_withheld_entries_still_rebuild_the_signed_tree(federation: RunningFederation) -> None:
    stub = audit_stub(federation, "TR")
    head = tree_head_from_proto(stub.GetTreeHead(broker_pb2.TreeHeadRequest(), timeout=30))
    entries = list(stub.GetEntries(broker_pb2.EntriesRequest(end=head.size), timeout=30))
    leaves = [e.leaf_hash if not e.header else leaf_hash(e.header) for e in entries]
    verify_tree_head(head, load_audit_public_key(federation.base / "audit.pub"))
    assert MerkleTree(leaves).root() == head.root


def test_a_partner_sees_the_queries_it_was_asked_and_its_own_answers(
    federation: RunningFederation,
) -> None:
    visible = [e for e in read_as(federation, "NL") if e.header]
    bodies = b"".join(e.body for e in visible)
    assert b"FR-SECRET-CASE" in bodies and b"TR-CASE-9" in bodies  # it was asked both
    records = {r.index: r for r in auditor_events(federation)}
    kinds = {records[e.index].header_fields().kind for e in visible}
    assert EntryKind.QUERY_COMPLETED not in kinds  # the requesters' completions are theirs


def test_every_read_is_logged_scoped_or_not(federation: RunningFederation) -> None:
    read_as(federation, "TR")
    auditor_events(federation)  # an auditor's read is in the log the next read sees
    accesses = [
        event.fields
        for r in auditor_events(federation)
        if (event := r.event()) is not None and event.kind is EntryKind.LOG_ACCESS
    ]
    assert {"accessor": "TR", "role": "node"}.items() <= dict(accesses[0]).items()
    assert str(accesses[0]["action"]).endswith("(own entries)")
    assert accesses[-1]["role"] == "auditor"


def test_a_removed_participant_reads_nothing(federation: RunningFederation) -> None:
    assert read_as(federation, "TR")  # still a participant
    federation.write_directory(
        [(a, federation.node_configs[a].federation_listen) for a in ("FR", "NL")]
    )
    assert federation.broker is not None
    federation.broker.directory.reload()
    stub = audit_stub(federation, "TR")
    with pytest.raises(grpc.RpcError) as entries:
        list(stub.GetEntries(broker_pb2.EntriesRequest(), timeout=30))
    assert entries.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as head:
        stub.GetTreeHead(broker_pb2.TreeHeadRequest(), timeout=30)
    assert head.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as anchor:
        stub.AnchorLedger(broker_pb2.AnchorLedgerRequest(size=1), timeout=30)
    assert anchor.value.code() is grpc.StatusCode.PERMISSION_DENIED
    refused = [
        event.fields["action"]
        for r in auditor_events(federation)
        if (event := r.event()) is not None
        and event.kind is EntryKind.LOG_ACCESS
        and event.fields["accessor"] == "TR"
    ]
    assert str(refused[-1]).startswith("refused entries")
