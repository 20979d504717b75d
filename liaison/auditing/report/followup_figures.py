"""Follow-up figures of a period, from the broker's ``followup`` entries (metadata only).

A follow-up is counted by its request message. The officer's reply names it
(``reply_to``), so the time to answer is the reply entry's time minus the
request entry's; a follow-up is overdue when an ``overdue`` flag was relayed
for it or its reply came after the request's deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from liaison.core.audit import AuditEvent, EntryKind


@dataclass(frozen=True, slots=True)
class FollowupFigures:
    """Follow-ups of the period: how many were asked, accepted, answered, and how fast."""

    requests: int = 0
    #: Accepted by the data owner at intake (a hit of a query it answered).
    accepted: int = 0
    #: Rejected at intake (not a hit of an audited query of that requester).
    rejected: int = 0
    approvals: int = 0
    refusals: int = 0
    #: Follow-ups flagged overdue, or answered after their deadline.
    overdue: int = 0
    #: Hours from request to reply, over the answered follow-ups (None: none answered).
    median_hours_to_answer: float | None = None
    max_hours_to_answer: float | None = None
    hit_notices: int = 0


def followup_figures(events: Iterable[AuditEvent]) -> FollowupFigures:
    """Count the ``followup`` entries among ``events`` (entries of one period, in log order)."""
    requests: dict[str, AuditEvent] = {}
    acks: dict[str, str] = {}
    replies: dict[str, AuditEvent] = {}
    overdue: set[str] = set()
    notices: set[str] = set()
    for event in events:
        if event.kind is not EntryKind.FOLLOWUP:
            continue
        f = event.fields
        kind, message_id, reply_to = (
            str(f["message_kind"]),
            str(f["message_id"]),
            str(f["reply_to"]),
        )
        if kind == "request":
            requests[message_id] = event
        elif kind == "notice":
            notices.add(message_id)
        elif kind == "ack":
            acks[reply_to] = str(f["decision"])
        elif kind == "reply":
            replies[reply_to] = event
        elif kind == "overdue":
            overdue.add(reply_to)
    hours = []
    for message_id, reply in replies.items():
        request = requests.get(message_id)
        if request is None:
            continue
        hours.append((reply.time - request.time).total_seconds() / 3600)
        deadline = request.fields["deadline_ms"]
        if isinstance(deadline, int) and deadline and reply.time_ms > deadline:
            overdue.add(message_id)
    decisions = [str(r.fields["decision"]) for r in replies.values()]
    return FollowupFigures(
        requests=len(requests),
        accepted=sum(acks.get(m) == "accepted" for m in requests),
        rejected=sum(acks.get(m) == "rejected" for m in requests),
        approvals=decisions.count("approved"),
        refusals=decisions.count("refused"),
        overdue=len(overdue & set(requests)),
        median_hours_to_answer=round(median(hours), 3) if hours else None,
        max_hours_to_answer=round(max(hours), 3) if hours else None,
        hit_notices=len(notices),
    )
