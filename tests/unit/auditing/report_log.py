"""A sample broker log for the report tests: every kind of entry, some outside the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from liaison.auditing.report.tally import ReportEvent
from liaison.core.audit import AuditEvent, EntryKind

SINCE, UNTIL = date(2025, 3, 1), date(2025, 3, 5)
XSS = "<script>alert(1)</script>"
GENERATED = datetime(2025, 3, 6, 8, 30, tzinfo=UTC)


def at(day: int, hour: int = 12, tz: timezone = UTC) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=tz)


def submitted(when: datetime, agency: str, purpose: str) -> AuditEvent:
    return AuditEvent(
        EntryKind.QUERY_SUBMITTED,
        when,
        {
            "query_id": "q",
            "requesting_agency": agency,
            "investigator_id": "inv-1",
            "case_id": "case <7> & co",
            "purpose": purpose,
            "legal_basis": "art. 6",
            "targets": ("NL:*",),
            "key_count": 3,
            "payload_digest": "ab" * 32,
            "issued_at_ms": 0,
            "expires_at_ms": 1,
        },
    )


def answered(when: datetime, agency: str, status: str) -> AuditEvent:
    fields = {"query_id": "q", "agency": agency, "dataset": "d", "status": status}
    return AuditEvent(
        EntryKind.PARTNER_ANSWERED, when, {**fields, "reason": "", "filter_version": 1}
    )


def alert(when: datetime, agency: str, partner: str, limit: str, suppressed: int) -> AuditEvent:
    fields = {"query_id": "", "requesting_agency": agency, "partner": partner, "limit": limit}
    counts = {"allowed": 10, "used": 10, "asked": 3, "suppressed": suppressed}
    return AuditEvent(EntryKind.FISHING_ALERT, when, {**fields, **counts})


def event(kind: EntryKind, when: datetime, **fields: str | int) -> AuditEvent:
    return AuditEvent(kind, when, fields)


def entries(*events: AuditEvent | tuple[EntryKind, datetime]) -> list[ReportEvent]:
    """Index the events; a (kind, time) pair is an entry whose body was erased."""
    out = []
    for index, item in enumerate(events):
        if isinstance(item, AuditEvent):
            out.append(ReportEvent(index, item.kind, item.time, item))
        else:
            out.append(ReportEvent(index, item[0], item[1], None))
    return out


K = EntryKind
LOG = entries(
    submitted(at(1, 9), "NL", "fraud"),
    submitted(at(1, 10), "NL", "fraud"),
    submitted(at(1, 11), "DE", "terrorism"),
    submitted(at(3), "DE", "fraud"),
    submitted(at(5, 23), "BE", XSS),
    # 00:30 at UTC+2 on the 6th is 22:30 UTC on the 5th: inside.
    submitted(at(6, 0, timezone(timedelta(hours=2))), "BE", "fraud"),
    # Outside: the evening before (UTC) and the first instant after.
    submitted(datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC), "NL", "fraud"),
    submitted(datetime(2025, 3, 6, tzinfo=UTC), "NL", "fraud"),
    submitted(at(5, 23, timezone(timedelta(hours=-2))), "NL", "fraud"),  # 6th 01:00 UTC
    answered(at(1), "NL", "ok"),
    answered(at(1), "NL", "ok"),
    answered(at(2), "NL", "timeout"),
    answered(at(2), "DE", "refused"),
    answered(at(3), "DE", "unavailable"),
    answered(at(4), "BE", "ok"),
    answered(datetime(2025, 3, 9, tzinfo=UTC), "BE", "timeout"),
    event(K.QUERY_COMPLETED, at(1), query_id="q", requesting_agency="NL", answers=2, ok=2),
    event(K.POLICY_DENIAL, at(2), query_id="", requesting_agency="NL", reason="quota exceeded"),
    event(K.POLICY_DENIAL, at(3), query_id="q", requesting_agency="NL", reason="quota exceeded"),
    event(K.POLICY_DENIAL, at(3), query_id="q", requesting_agency="DE", reason="no agreement"),
    event(K.PARTICIPANT_ADMITTED, at(2), agency="FR", endpoint="fr.liaison.example:8443"),
    event(K.PARTICIPANT_REMOVED, at(4), agency="BE"),
    event(K.LOG_ACCESS, at(4), accessor="dpo-1", role="auditor", action="entries 0-99"),
    event(K.LOG_ACCESS, at(4), accessor="dpo-1", role="auditor", action="tree_head"),
    event(K.LOG_ACCESS, at(5), accessor="dpo-2", role="auditor", action="tree_head"),
    event(K.ERASURE, at(5), first_index=0, last_index=9, count=10, before_ms=1_700_000_000_000),
    (K.QUERY_SUBMITTED, at(2)),
    (K.PARTNER_ANSWERED, at(2)),
    (K.QUERY_SUBMITTED, datetime(2025, 1, 1, tzinfo=UTC)),
    alert(at(2), "NL", "FR", "daily_key_budget", 0),
    alert(at(3), "NL", "FR", "daily_key_budget", 4),
    alert(at(3), "NL", "broker", "broker_rate", 0),
    alert(at(4), "DE", "FR", "partner_rate", 1),
    alert(datetime(2025, 3, 6, tzinfo=UTC), "NL", "FR", "daily_key_budget", 7),  # outside
)
