"""Audit events shared by the tests of the audit vocabulary and of its canonical bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from liaison.core import audit_events
from liaison.core.audit import AuditEvent, EntryKind

VECTOR_TIME = datetime(2026, 3, 1, 12, 0, 0, 123_000, tzinfo=UTC)
VECTOR_EVENT_ARGS: dict[str, Any] = {
    "time": VECTOR_TIME,
    "query_id": "q-0001",
    "requesting_agency": "DE-BKA",
    "investigator_id": "inv-7",
    "case_id": "AZ 12/2026",
    "purpose": "Betrug \u2013 \u00a7263 StGB",
    "legal_basis": 'StPO \u00a7161 "Ermittlungen"\n',
    "targets": ("FR-PN:wanted", "NL-POL:*"),
    "key_count": 3,
    "payload_digest": hashlib.sha256(b"blinded").hexdigest(),
    "issued_at_ms": 1_772_366_399_123,
    "expires_at_ms": 1_772_366_700_123,
}


def vector_event() -> AuditEvent:
    """The query_submitted event whose bytes tests/unit/crypto/test_audit_entries.py pins."""
    return audit_events.query_submitted(**VECTOR_EVENT_ARGS)


T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

#: One valid event of every kind, built by its constructor.
EXAMPLES: dict[EntryKind, AuditEvent] = {
    EntryKind.QUERY_SUBMITTED: vector_event(),
    EntryKind.PARTNER_ANSWERED: audit_events.partner_answered(
        time=T0,
        query_id="q-1",
        agency="FR-PN",
        dataset="wanted",
        status="refused",
        reason="no agreement",
        filter_version=4,
    ),
    EntryKind.QUERY_COMPLETED: audit_events.query_completed(
        time=T0, query_id="q-1", requesting_agency="DE-BKA", answers=2, ok=1
    ),
    EntryKind.POLICY_DENIAL: audit_events.policy_denial(
        time=T0, query_id="", requesting_agency="DE-BKA", reason="envelope rejected"
    ),
    EntryKind.PARTICIPANT_ADMITTED: audit_events.participant_admitted(
        time=T0, agency="FR-PN", endpoint="fr.example:7443"
    ),
    EntryKind.PARTICIPANT_REMOVED: audit_events.participant_removed(time=T0, agency="FR-PN"),
    EntryKind.LOG_ACCESS: audit_events.log_access(
        time=T0, accessor="dpo-1", role="auditor", action="entries 0-99"
    ),
    EntryKind.ERASURE: audit_events.erasure(
        time=T0, first_index=0, last_index=9, count=10, before_ms=1_700_000_000_000
    ),
    EntryKind.LEDGER_CHECKPOINT: audit_events.ledger_checkpoint(
        time=T0,
        agency="FR-PN",
        size=3,
        head_hash="ab" * 32,
        signature="c2ln",
        certificate="Y2VydA==",
    ),
    EntryKind.FISHING_ALERT: audit_events.fishing_alert(
        time=T0,
        query_id="q-1",
        requesting_agency="DE-BKA",
        partner="FR-PN",
        limit="daily_key_budget",
        allowed=20_000,
        used=20_000,
        asked=10_000,
        suppressed=0,
    ),
    EntryKind.FOLLOWUP: audit_events.followup(
        time=T0,
        message_kind="request",
        message_id="ab" * 16,
        reply_to="",
        query_id="q-1",
        sender="DE-BKA",
        recipient="FR-PN",
        sent_at_ms=1_700_000_000_000,
        deadline_ms=1_700_172_800_000,
        decision="",
        handling="",
    ),
}
