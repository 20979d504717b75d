"""Step two end to end: a hit, a follow-up, the officer's answer, the reply; real servers.

FR matches two suspects against NL and TR; row 0 is held by NL (and TR),
row 1 by nobody. Each test runs on SQLite and, when enabled, PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from liaison.auditing.report.followup_figures import followup_figures
from liaison.cli.main import main
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import PartnerUnavailable
from liaison.core.query import Justification
from liaison.core.records import Record, RecordField
from liaison.crypto.followup_seal import (
    FollowupKey,
    Header,
    MessageKind,
    SealedMessage,
    new_message_id,
    seal_message,
)
from liaison.node.agreements import Agreement
from liaison.node.codec import match_request_to_proto
from liaison.node.followup_model import StoredHit
from liaison.node.ledger.chain import Direction
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from liaison.node.sql_followups import SqlFollowupStore
from liaison.node.users import LocalRole
from liaison.v1 import node_pb2, node_pb2_grpc
from liaison.wire.common_codec import sealed_to_proto, signed_entry_to_proto
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, open_agreement, start_federation

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"
DOCUMENT = "X7741203"
NAME = "Karim Benali"
SOURCE_VALUES = ("HUMINT-77", "liaison service of a third country")

OWNED = Record(
    ref="NL-0042",
    full_name=NAME,
    date_of_birth="1988-02-03",
    nationality="FR",
    document_numbers=(DOCUMENT,),
    document_countries=("FR",),
    details=(
        RecordField("release.status", "active, travel ban"),
        RecordField("release.unit", "CT-3"),
        RecordField("source.informant", SOURCE_VALUES[0]),
        RecordField("source.origin", SOURCE_VALUES[1]),
    ),
)
FILLER = Record(ref="NL-0001", full_name="Jan Smit", date_of_birth="1970-01-01", nationality="NL")
SUSPECTS = (
    Record(
        ref="S-1",
        full_name=NAME,
        date_of_birth="1988-02-03",
        nationality="FR",
        document_numbers=(DOCUMENT,),
    ),
    Record(ref="S-2", full_name="Nobody Known", date_of_birth="1990-09-09", nationality="FR"),
)


class OffsetClock:
    """The wall clock, moved forward by the test (deadlines without sleeping)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


class HostileNodes:
    """The broker's port to the nodes, in the hands of a hostile broker.

    It keeps every message it relays (to read it), and alters or replays
    one when told to.
    """

    def __init__(self, real: object) -> None:
        self.real = real
        self.seen: list[SealedMessage] = []
        self.alter: str = ""

    def deliver(self, endpoint: str, sealed: SealedMessage, *, timeout: float) -> SealedMessage:
        self.seen.append(sealed)
        if self.alter == "body":
            flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
            sealed = dataclasses.replace(sealed, ciphertext=flipped)
        elif self.alter == "header":
            later = sealed.header.replace(b'"deadline_ms":', b'"deadline_ms":9')
            sealed = dataclasses.replace(sealed, header=later)
        ack: SealedMessage = self.real.deliver(endpoint, sealed, timeout=timeout)  # type: ignore[attr-defined]
        self.seen.append(ack)
        if self.alter == "drop ack":
            raise PartnerUnavailable("the acknowledgement was lost")
        return ack


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        running.import_rows("NL", DATASET, [OWNED, FILLER])
        running.import_rows("TR", DATASET, [dataclasses.replace(OWNED, ref="TR-9", details=())])
        running.wait_published()
        yield running
    finally:
        running.stop()


def officer(running: RunningFederation, agency: str = "NL") -> node_pb2_grpc.NodeLocalStub:
    token = running.add_user(agency, f"officer@{agency.lower()}", LocalRole.OFFICER)
    return running.local(agency, token=token)


def match(running: RunningFederation) -> node_pb2.LocalMatchReply:
    request = MatchRequest(
        justification=Justification("CASE-9", "counter-terrorism", "art. 12 of the test act", ""),
        records=SUSPECTS,
    )
    reply: node_pb2.LocalMatchReply = running.local("FR").Match(
        match_request_to_proto(request), timeout=60
    )
    return reply


def ask(
    running: RunningFederation, query_id: str, row: int = 0, **changes: object
) -> node_pb2.FollowupView:
    request = node_pb2.RequestFollowupRequest(
        query_id=query_id, partner="NL", row=row, message="Is he still on your list?"
    )
    for name, value in changes.items():
        setattr(request, name, value)
    view: node_pb2.FollowupView = running.local("FR").RequestFollowup(request, timeout=30)
    return view


def fields_of(records: object) -> dict[str, tuple[str, bool]]:
    return {
        f.name: (f.value, f.source)
        for record in records  # type: ignore[attr-defined]
        for f in record.fields
    }


def followup_ledger(running: RunningFederation, agency: str) -> list[str]:
    with SqlLedgerStore(running.node_configs[agency].database) as store:
        return [e.outcome for e in store.all() if e.direction is Direction.FOLLOWUP]


def broker_events(running: RunningFederation) -> list[AuditEvent]:
    assert running.broker is not None
    log = running.broker.audit_log
    return [e for e in (r.event() for r in log.records(0, log.size)) if e is not None]


def broker_followups(running: RunningFederation) -> list[dict[str, object]]:
    return [dict(e.fields) for e in broker_events(running) if e.kind is EntryKind.FOLLOWUP]


def test_every_hit_names_its_contact_and_the_directory_lists_verified_entries(
    federation: RunningFederation,
) -> None:
    reply = match(federation)
    by_partner = {r.agency: r for r in reply.results}
    assert [h.row for h in by_partner["NL"].hits] == [0]
    assert by_partner["NL"].contact.unit == "NL CT liaison desk"
    assert by_partner["NL"].contact.languages == ["en", "fr"]
    listing = federation.local("FR").ListDirectory(node_pb2.ListDirectoryRequest(), timeout=10)
    assert {e.agency: e.verified for e in listing.entries} == {"FR": True, "NL": True, "TR": True}


def test_a_contact_the_broker_rewrote_is_rejected(federation: RunningFederation) -> None:
    assert federation.broker is not None
    entries = federation.broker.entries
    signed = entries.all()["NL"]
    entries.put(
        "NL", dataclasses.replace(signed, entry=signed.entry.replace(b"CT liaison", b"CT fake"))
    )
    listing = federation.local("FR").ListDirectory(
        node_pb2.ListDirectoryRequest(agency="NL"), timeout=10
    )
    assert [(e.verified, e.problem) for e in listing.entries] == [
        (False, "entry rejected: directory entry signature does not verify")
    ]
    with pytest.raises(grpc.RpcError) as caught:
        ask(federation, match(federation).query_id)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_approved_follow_up_releases_the_chosen_fields_never_a_source_field(
    federation: RunningFederation, tmp_path: Path
) -> None:
    query_id = match(federation).query_id
    sent = ask(federation, query_id)
    assert (sent.state, sent.partner, sent.dataset, sent.row_ref) == (
        "queued",
        "NL",
        DATASET,
        "S-1",
    )
    nl = officer(federation)
    inbox = nl.ListFollowups(node_pb2.ListFollowupsRequest(box="inbox"), timeout=10).followups
    assert [(f.id, f.query_id, f.state, f.overdue) for f in inbox] == [
        (sent.id, query_id, "queued", False)
    ]
    shown = nl.ShowFollowup(node_pb2.ShowFollowupRequest(id=sent.id), timeout=10)
    assert [r.ref for r in shown.records] == ["NL-0042"]
    assert fields_of([shown.asked])["document_number"] == (DOCUMENT, False)
    held = fields_of(shown.records)
    assert held["source.informant"] == (SOURCE_VALUES[0], True)
    assert held["release.status"] == ("active, travel ban", False)
    asked = ["full_name", "document_number", "release.status", "source.informant", "source.origin"]
    answer = node_pb2.AnswerFollowupRequest(
        id=sent.id, approve=True, handling="H2", note="call the desk first", fields=asked
    )
    assert nl.AnswerFollowup(answer, timeout=30).state == "approved"
    reply = federation.local("FR").ShowFollowup(
        node_pb2.ShowFollowupRequest(id=sent.id), timeout=10
    )
    assert (reply.state, reply.handling, reply.note, reply.officer) == (
        "approved", "H2", "call the desk first", "officer@nl",
    )  # fmt: skip
    assert fields_of(reply.released) == {
        "full_name": (NAME, False),
        "document_number": (DOCUMENT, False),
        "release.status": ("active, travel ban", False),
    }
    # Audit: both ledgers and the broker's log, metadata only.
    assert any("approved, handling H2" in o for o in followup_ledger(federation, "FR"))
    assert any("approved, handling H2" in o for o in followup_ledger(federation, "NL"))
    logged = broker_followups(federation)
    assert [(e["message_kind"], e["decision"]) for e in logged] == [
        ("request", ""), ("ack", "accepted"), ("reply", "approved"), ("ack", "accepted"),
    ]  # fmt: skip
    assert {e["query_id"] for e in logged} == {query_id}
    figures = followup_figures(broker_events(federation))
    assert (figures.requests, figures.accepted, figures.approvals, figures.refusals) == (1, 1, 1, 0)
    assert figures.overdue == 0 and figures.median_hours_to_answer is not None
    text = repr(logged) + repr(followup_ledger(federation, "FR"))
    text += repr(followup_ledger(federation, "NL"))
    for secret in (NAME, DOCUMENT, "travel ban", *SOURCE_VALUES):
        assert secret not in text
    # The auditor finds every relayed step in both ledgers, and nothing else.
    exports = []
    for agency in AGENCIES:
        path = tmp_path / f"{agency}.jsonl"
        node = str(federation.node_configs[agency].path)
        assert main(["node", "ledger", "export", "--config", node, "--out", str(path)]) == 0
        exports += ["--ledger", str(path)]
    assert main(["audit", "verify", "--config", str(federation.auditor_config()), *exports]) == 0


def test_refused_follow_up_returns_the_reason_and_nothing_else(
    federation: RunningFederation,
) -> None:
    sent = ask(federation, match(federation).query_id)
    nl = officer(federation)
    refusal = node_pb2.AnswerFollowupRequest(id=sent.id, approve=False, reason="ongoing operation")
    assert nl.AnswerFollowup(refusal, timeout=30).state == "refused"
    reply = federation.local("FR").ShowFollowup(
        node_pb2.ShowFollowupRequest(id=sent.id), timeout=10
    )
    assert (reply.state, reply.reason, list(reply.released)) == ("refused", "ongoing operation", [])
    with pytest.raises(grpc.RpcError) as caught:
        nl.AnswerFollowup(refusal, timeout=30)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_follow_up_on_a_non_hit_is_refused(federation: RunningFederation) -> None:
    query_id = match(federation).query_id
    with pytest.raises(grpc.RpcError) as caught:
        ask(federation, query_id, row=1)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    # A requester that lies about its hits (its own node tampered with) is
    # stopped by the owner: identifiers of no record, or a query never answered.
    with SqlFollowupStore(federation.node_configs["FR"].database) as store:
        store.remember_hits(
            [
                StoredHit(query_id, "NL", DATASET, 1, SUSPECTS[1], "CASE-9"),
                StoredHit("f" * 32, "NL", DATASET, 0, SUSPECTS[0], "CASE-9"),
            ]
        )
    fished = ask(federation, query_id, row=1)
    assert (fished.state, fished.reason) == (
        "rejected", "the identifiers match no current record of the dataset",
    )  # fmt: skip
    unanswered = ask(federation, "f" * 32, row=0)
    assert (unanswered.state, unanswered.reason) == (
        "rejected", "not a query this node answered for that requester and dataset",
    )  # fmt: skip
    nl = officer(federation)
    assert (
        list(nl.ListFollowups(node_pb2.ListFollowupsRequest(box="inbox"), timeout=10).followups)
        == []
    )
    assert sum("rejected" in o for o in followup_ledger(federation, "NL")) == 2
    assert followup_figures(broker_events(federation)).rejected == 2


def test_overdue_follow_up_is_flagged_on_both_sides(federation: RunningFederation) -> None:
    clock = OffsetClock()
    for agency in ("FR", "NL"):
        federation.nodes[agency].stop(0)
        federation.start_node(agency, clock=clock)
    federation.wait_published()
    sent = ask(federation, match(federation).query_id, deadline_s=3600)
    nl = officer(federation)
    inbox = node_pb2.ListFollowupsRequest(box="inbox")
    assert [f.overdue for f in nl.ListFollowups(inbox, timeout=10).followups] == [False]
    clock.offset = timedelta(hours=2)
    assert [f.overdue for f in nl.ListFollowups(inbox, timeout=10).followups] == [True]
    mine = federation.local("FR").ListFollowups(
        node_pb2.ListFollowupsRequest(box="sent"), timeout=10
    )
    assert [(f.id, f.overdue) for f in mine.followups] == [(sent.id, True)]
    assert any(
        o.startswith(f"overdue {sent.id}: deadline") for o in followup_ledger(federation, "NL")
    )
    assert any(f"overdue {sent.id}: flagged by NL" in o for o in followup_ledger(federation, "FR"))
    # Flagged once, by the side that noticed first; the other side records it.
    assert not any(
        o.startswith("overdue") and "deadline" in o for o in followup_ledger(federation, "FR")
    )
    kinds = [(e["message_kind"], e["sender"]) for e in broker_followups(federation)]
    assert kinds.count(("overdue", "NL")) == 1 and ("overdue", "FR") not in kinds
    assert followup_figures(broker_events(federation)).overdue == 1


def test_a_hostile_broker_learns_nothing_and_its_alterations_and_replays_are_detected(
    federation: RunningFederation,
) -> None:
    assert federation.broker is not None
    relay = federation.broker.relay
    hostile = HostileNodes(relay.nodes)
    relay.nodes = hostile
    query_id = match(federation).query_id
    for alteration in ("body", "header"):
        hostile.alter = alteration
        with pytest.raises(grpc.RpcError) as caught:
            ask(federation, query_id)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    hostile.alter = ""
    sent = ask(federation, query_id)
    nl = officer(federation)
    answer = node_pb2.AnswerFollowupRequest(
        id=sent.id, approve=True, handling="H1", fields=["full_name", "release.status"]
    )
    nl.AnswerFollowup(answer, timeout=30)
    # Read: nothing it relayed holds an identifier or a released value.
    relayed = b"".join(m.header + m.enc + m.ciphertext for m in hostile.seen)
    for secret in (NAME, DOCUMENT, "travel ban", "S-1", "NL-0042", *SOURCE_VALUES):
        assert secret.encode() not in relayed
    # Replay: the request delivered again is refused, and nothing is queued twice.
    request = next(
        m for m in hostile.seen if b'"kind":"request"' in m.header and sent.id.encode() in m.header
    )
    with pytest.raises(Exception, match="replayed follow-up message"):
        hostile.real.deliver(federation.node_configs["NL"].federation_listen, request, timeout=10)  # type: ignore[attr-defined]
    inbox = nl.ListFollowups(node_pb2.ListFollowupsRequest(box="inbox"), timeout=10).followups
    assert [f.id for f in inbox] == [sent.id]
    mine = federation.local("FR").ListFollowups(
        node_pb2.ListFollowupsRequest(box="sent"), timeout=10
    )
    assert sorted(f.state for f in mine.followups) == ["approved", "undelivered", "undelivered"]
    outcomes = followup_ledger(federation, "NL")
    assert sum("does not open" in o for o in outcomes) == 2
    assert sum("replayed" in o for o in outcomes) == 1
    reply = federation.local("FR").ShowFollowup(
        node_pb2.ShowFollowupRequest(id=sent.id), timeout=10
    )
    assert fields_of(reply.released) == {"full_name": (NAME, False)} | {
        "release.status": ("active, travel ban", False)
    }


def test_hit_notices_go_only_where_the_agreement_says_so(federation: RunningFederation) -> None:
    notices_on = {"hit_notices": True}
    federation.set_agreement("FR", open_agreement("NL", **notices_on))
    federation.set_agreement("NL", open_agreement("FR", **notices_on))
    federation.set_agreement("FR", open_agreement("TR", **notices_on))  # TR keeps them off
    query_id = match(federation).query_id
    nl = officer(federation, "NL")
    notices = nl.ListHitNotices(node_pb2.ListHitNoticesRequest(), timeout=10).notices
    assert [(n.requester, n.query_id, n.dataset, list(n.refs)) for n in notices] == [
        ("FR", query_id, DATASET, ["NL-0042"])
    ]
    tr = officer(federation, "TR")
    assert list(tr.ListHitNotices(node_pb2.ListHitNoticesRequest(), timeout=10).notices) == []
    logged = [
        (e["message_kind"], e["recipient"], e["decision"]) for e in broker_followups(federation)
    ]
    assert logged.count(("ack", "FR", "accepted")) == 1
    assert ("ack", "FR", "rejected") in logged
    assert any("rejected: not agreed" in o for o in followup_ledger(federation, "TR"))


def test_hit_notices_are_off_by_default(federation: RunningFederation) -> None:
    match(federation)
    assert broker_followups(federation) == []
    agreement: Agreement = open_agreement("FR")
    assert agreement.hit_notices is False


def test_the_broker_relays_only_for_the_sender_and_stores_only_own_entries(
    federation: RunningFederation,
) -> None:
    stub = federation.broker_stub("FR")
    key = FollowupKey.generate()
    for sender, kind, code in (
        ("NL", MessageKind.REQUEST, grpc.StatusCode.PERMISSION_DENIED),
        ("FR", MessageKind.ACK, grpc.StatusCode.INVALID_ARGUMENT),
    ):
        header = Header(kind, new_message_id(), "q", sender, "TR", 1)
        sealed = seal_message(header, b"{}", key, key.public_bytes())
        with pytest.raises(grpc.RpcError) as caught:
            stub.RelayFollowup(sealed_to_proto(sealed), timeout=10)
        assert caught.value.code() == code
    assert federation.broker is not None
    nl_entry = federation.broker.entries.all()["NL"]
    with pytest.raises(grpc.RpcError) as caught:
        stub.PublishEntry(signed_entry_to_proto(nl_entry), timeout=10)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert broker_followups(federation) == []


def test_a_dropped_acknowledgement_still_lets_the_reply_through(
    federation: RunningFederation,
) -> None:
    assert federation.broker is not None
    hostile = HostileNodes(federation.broker.relay.nodes)
    federation.broker.relay.nodes = hostile
    query_id = match(federation).query_id
    hostile.alter = "drop ack"
    with pytest.raises(grpc.RpcError) as caught:
        ask(federation, query_id)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    hostile.alter = ""
    (mine,) = (
        federation.local("FR")
        .ListFollowups(node_pb2.ListFollowupsRequest(box="sent"), timeout=10)
        .followups
    )
    assert mine.state == "undelivered"
    nl = officer(federation)
    refusal = node_pb2.AnswerFollowupRequest(id=mine.id, approve=False, reason="not now")
    nl.AnswerFollowup(refusal, timeout=30)
    reply = federation.local("FR").ShowFollowup(
        node_pb2.ShowFollowupRequest(id=mine.id), timeout=10
    )
    assert (reply.state, reply.reason) == ("refused", "not now")
