"""Scoped audit reads and ledger anchors at the broker (domain: AuditAccess, NodeScope)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.broker.audit.access import AuditAccess
from liaison.broker.audit.log import AuditLog
from liaison.broker.audit.scope import NodeScope
from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.core import audit_events
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import InvalidInput, PermissionDenied, ProofError
from liaison.crypto.certificates import PeerIdentity, Role, load_certificate, load_private_key
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint, sign_checkpoint
from liaison.crypto.pki import init_ca, issue
from liaison.crypto.receipts import Receipt
from liaison.node.ledger.anchor import check_anchor_receipt
from tests.audit_support import EXAMPLES

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
FR = PeerIdentity("FR", Role.NODE, "Test Federation")
TR = PeerIdentity("TR", Role.NODE, "Test Federation")
GONE = PeerIdentity("XX", Role.NODE, "Test Federation")
AUDITOR = PeerIdentity("dpo", Role.AUDITOR, "Test Federation")


def submitted(query_id: str, requester: str, targets: tuple[str, ...]) -> AuditEvent:
    fields = dict(EXAMPLES[EntryKind.QUERY_SUBMITTED].fields)
    fields.update(query_id=query_id, requesting_agency=requester, targets=targets)
    return audit_events.query_submitted(time=T0, **fields)  # type: ignore[arg-type]


def answered(query_id: str, agency: str) -> AuditEvent:
    return audit_events.partner_answered(
        time=T0, query_id=query_id, agency=agency, dataset="d", status="ok", reason="",
        filter_version=1,
    )  # fmt: skip


def completed(query_id: str, requester: str) -> AuditEvent:
    return audit_events.query_completed(
        time=T0, query_id=query_id, requesting_agency=requester, answers=1, ok=1
    )


def alert(query_id: str, requester: str, partner: str, limit: str) -> AuditEvent:
    return audit_events.fishing_alert(
        time=T0, query_id=query_id, requesting_agency=requester, partner=partner, limit=limit,
        allowed=2, used=2, asked=1, suppressed=0,
    )  # fmt: skip


#: (event, agencies that see it in full), in log order.
LOG: list[tuple[AuditEvent, set[str]]] = [
    (audit_events.participant_admitted(time=T0, agency="FR", endpoint="fr:1"), {"FR"}),
    (submitted("q-fr", "FR", ("NL:*",)), {"FR", "NL"}),
    (answered("q-fr", "NL"), {"FR", "NL"}),
    (completed("q-fr", "FR"), {"FR"}),
    (submitted("q-tr", "TR", ("NL:watchlist", "FR:wanted")), {"TR", "NL", "FR"}),
    (answered("q-tr", "NL"), {"TR", "NL"}),
    (answered("q-tr", "FR"), {"TR", "FR"}),
    (completed("q-tr", "TR"), {"TR"}),
    (audit_events.policy_denial(time=T0, query_id="", requesting_agency="TR", reason="r"), {"TR"}),
    (audit_events.log_access(time=T0, accessor="FR", role="node", action="entries 0-1"), {"FR"}),
    (audit_events.log_access(time=T0, accessor="FR", role="auditor", action="entries 0-1"), set()),
    (audit_events.participant_removed(time=T0, agency="TR"), {"TR"}),
    (EXAMPLES[EntryKind.ERASURE], {"FR", "NL", "TR", "broker"}),
    (
        audit_events.ledger_checkpoint(
            time=T0, agency="NL", size=1, head_hash="ab" * 32, signature="", certificate=""
        ),
        {"NL"},
    ),
    # A budget alert: the requester and the partner whose agreement fired see it.
    (alert("q-tr", "TR", "NL", "daily_key_budget"), {"TR", "NL"}),
    # The broker's throttle: only the throttled requester, even for an agency
    # whose code is "broker".
    (alert("", "TR", "broker", "broker_rate"), {"TR"}),
    (alert("", "FR", "broker", "broker_in_flight"), {"FR"}),
    # A follow-up message: its sender and its recipient, nobody else.
    (
        audit_events.followup(
            time=T0,
            message_kind="reply",
            message_id="cd" * 16,
            reply_to="ab" * 16,
            query_id="q-tr",
            sender="NL",
            recipient="TR",
            sent_at_ms=1,
            deadline_ms=0,
            decision="approved",
            handling="H2",
        ),
        {"NL", "TR"},
    ),
]


@pytest.mark.parametrize("agency", ["FR", "NL", "TR", "broker"])
def test_a_node_sees_exactly_the_entries_about_its_agency(agency: str) -> None:
    scope = NodeScope(agency)
    seen = []
    for event, _ in LOG:
        scope.observe(event)
        seen.append(scope.visible(event))
    assert seen == [agency in audience for _, audience in LOG]


def test_erased_entries_are_withheld_from_nodes() -> None:
    assert not NodeScope("FR").visible(None)


def test_every_kind_has_a_visibility_rule() -> None:
    # A new kind is withheld from nodes until someone decides who sees it here.
    assert {event.kind for event, _ in LOG} == set(EntryKind)


class Directory:
    def __init__(self, *agencies: str) -> None:
        self.agencies = set(agencies)

    def get(self, agency: str) -> object | None:
        return agency if agency in self.agencies else None


@pytest.fixture
def log(tmp_path: Path) -> Iterator[AuditLog]:
    audit_log = AuditLog(SqlAuditStore(f"sqlite:///{tmp_path / 'broker.db'}"), KEY, lambda: T0)
    audit_log.append_all([event for event, _ in LOG])
    yield audit_log
    audit_log.close()


def access(log: AuditLog) -> AuditAccess:
    return AuditAccess(log, Directory("FR", "NL", "TR"), lambda: T0)


def last_access(log: AuditLog) -> dict[str, object]:
    event = log.records(log.size - 1, log.size)[0].event()
    assert event is not None and event.kind is EntryKind.LOG_ACCESS
    return dict(event.fields)


def test_a_node_read_is_scoped_and_logged(log: AuditLog) -> None:
    size = log.size
    read = list(access(log).entries(TR, 0, 0))
    assert [visible for _, visible in read] == ["TR" in audience for _, audience in LOG]
    assert [record.index for record, _ in read] == list(range(size))
    assert last_access(log) == {
        "accessor": "TR", "role": "node", "action": f"entries 0-{size} (own entries)",
    }  # fmt: skip


def test_a_scoped_read_from_the_middle_still_knows_its_own_queries(log: AuditLog) -> None:
    # Entry 5 answers TR's query submitted at entry 4, before the range.
    read = list(access(log).entries(TR, 5, 6))
    assert [(r.index, visible) for r, visible in read] == [(5, True)]


def test_an_auditor_reads_everything_and_is_logged(log: AuditLog) -> None:
    size = log.size
    assert all(visible for _, visible in access(log).entries(AUDITOR, 0, 0))
    assert last_access(log)["action"] == f"entries 0-{size}"


def test_a_removed_participant_is_refused_and_the_attempt_logged(log: AuditLog) -> None:
    with pytest.raises(PermissionDenied):
        list(access(log).entries(GONE, 0, 0))
    assert str(last_access(log)["action"]).startswith("refused entries")
    with pytest.raises(PermissionDenied):
        access(log).admit(GONE)
    access(log).admit(AUDITOR)  # auditors are not participants, and read anyway


def test_a_range_outside_the_log_is_invalid(log: AuditLog) -> None:
    with pytest.raises(InvalidInput):
        list(access(log).entries(AUDITOR, 0, log.size + 1))


@pytest.fixture(scope="module")
def node_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    base = tmp_path_factory.mktemp("pki")
    init_ca(base, "Test Federation", now=T0)
    files = issue(base, "FR", Role.NODE, hosts=("localhost",), now=T0)
    return load_certificate(files.certificate).public_bytes(Encoding.DER), files.private_key


def test_an_anchored_head_is_logged_with_a_receipt_that_verifies(
    log: AuditLog, node_key: tuple[bytes, Path]
) -> None:
    certificate, key_path = node_key
    checkpoint = LedgerCheckpoint("FR", 4, bytes(range(32)))
    signature = sign_checkpoint(checkpoint, load_private_key(key_path))
    receipt = access(log).anchor(FR, certificate, 4, checkpoint.head_hash, signature)
    event = log.records(receipt.entry_index, receipt.entry_index + 1)[0].event()
    assert event is not None and event.fields == {
        "agency": "FR", "size": 4, "head_hash": checkpoint.head_hash.hex(),
        "signature": base64.b64encode(signature).decode(),
        "certificate": base64.b64encode(certificate).decode(),
    }  # fmt: skip
    node_receipt = Receipt(
        receipt.entry_index, receipt.header, receipt.salt, receipt.body, receipt.tree_head,
        receipt.inclusion_proof,
    )  # fmt: skip
    check_anchor_receipt(node_receipt, KEY.public_key(), checkpoint)
    with pytest.raises(ProofError, match="another entry"):
        check_anchor_receipt(node_receipt, KEY.public_key(), LedgerCheckpoint("FR", 5, bytes(32)))


def test_a_forged_or_foreign_anchor_is_refused(log: AuditLog, node_key: tuple[bytes, Path]) -> None:
    certificate, key_path = node_key
    size = log.size
    signature = sign_checkpoint(LedgerCheckpoint("FR", 4, bytes(32)), load_private_key(key_path))
    with pytest.raises(ProofError):
        access(log).anchor(FR, certificate, 5, bytes(32), signature)  # not what was signed
    with pytest.raises(ProofError):
        access(log).anchor(TR, certificate, 4, bytes(32), signature)  # FR's certificate
    with pytest.raises(PermissionDenied):
        access(log).anchor(AUDITOR, certificate, 4, bytes(32), signature)
    with pytest.raises(InvalidInput):
        access(log).anchor(FR, certificate, 0, bytes(32), signature)
    assert log.size == size  # nothing was logged
