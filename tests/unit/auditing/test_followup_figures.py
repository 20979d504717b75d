"""Follow-up figures of the audit report, from the broker's followup entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liaison.auditing.report.followup_figures import FollowupFigures, followup_figures
from liaison.core import audit_events
from liaison.core.audit import AuditEvent

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY_MS = 86_400_000


def entry(
    hours: float, kind: str, message_id: str, reply_to: str = "", decision: str = "",
    deadline_ms: int = 0,
) -> AuditEvent:  # fmt: skip
    return audit_events.followup(
        time=T0 + timedelta(hours=hours), message_kind=kind, message_id=message_id * 32,
        reply_to=reply_to * 32, query_id="q", sender="FR", recipient="NL", sent_at_ms=0,
        deadline_ms=deadline_ms, decision=decision, handling="H2" if decision == "approved" else "",
    )  # fmt: skip


def test_requests_decisions_time_to_answer_and_overdue_are_counted() -> None:
    deadline = int(T0.timestamp() * 1000) + DAY_MS
    events = [
        entry(0, "request", "a", deadline_ms=deadline),
        entry(0, "ack", "b", "a", "accepted"),
        entry(0, "request", "c", deadline_ms=deadline),
        entry(0, "ack", "d", "c", "rejected"),
        entry(1, "request", "e", deadline_ms=deadline),
        entry(1, "ack", "f", "e", "accepted"),
        entry(2, "reply", "g", "a", "approved"),
        entry(31, "reply", "h", "e", "refused"),  # after the deadline
        entry(3, "notice", "i"),
        audit_events.participant_removed(time=T0, agency="TR"),
    ]
    assert followup_figures(events) == FollowupFigures(
        requests=3, accepted=2, rejected=1, approvals=1, refusals=1, overdue=1,
        median_hours_to_answer=16.0, max_hours_to_answer=30.0, hit_notices=1,
    )  # fmt: skip


def test_an_overdue_flag_counts_once_and_no_answer_gives_no_time() -> None:
    events = [
        entry(0, "request", "a"),
        entry(50, "overdue", "b", "a"),
        entry(51, "overdue", "c", "a"),
    ]
    figures = followup_figures(events)
    assert (figures.requests, figures.overdue, figures.median_hours_to_answer) == (1, 1, None)
