"""What the broker writes to its audit log about a query (metadata only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from liaison.core import audit, audit_events
from liaison.core.alerts import Alert
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.query import Query
from liaison.crypto.envelope import epoch_ms


def target_labels(query: Query) -> tuple[str, ...]:
    """Return the query's targets as ``AGENCY:dataset`` (``AGENCY:*`` for all)."""
    return tuple(
        f"{target.agency}:{dataset}"
        for target in query.targets
        for dataset in (target.datasets or ("*",))
    )


def submitted_event(query: Query, now: datetime) -> audit.AuditEvent:
    """The entry written before any partner sees the query."""
    justification = query.justification
    return audit_events.query_submitted(
        time=now,
        query_id=query.query_id,
        requesting_agency=query.requesting_agency,
        investigator_id=justification.investigator_id,
        case_id=justification.case_id,
        purpose=justification.purpose,
        legal_basis=justification.legal_basis,
        targets=target_labels(query),
        key_count=query.key_count,
        payload_digest=query.payload_digest.hex(),
        issued_at_ms=epoch_ms(query.issued_at),
        expires_at_ms=epoch_ms(query.expires_at),
    )


def answered_events(
    query: Query, answers: Sequence[DatasetAnswer], now: datetime
) -> list[audit.AuditEvent]:
    """The entries written before the result goes back: one per answer, then completion."""
    events = [
        audit_events.partner_answered(
            time=now,
            query_id=query.query_id,
            agency=answer.agency,
            dataset=answer.dataset,
            status=answer.status.value,
            reason=answer.reason,
            filter_version=answer.filter_version,
            key_epoch=answer.key_epoch if answer.status is PartnerStatus.OK else None,
        )
        for answer in answers
    ]
    events.append(
        audit_events.query_completed(
            time=now,
            query_id=query.query_id,
            requesting_agency=query.requesting_agency,
            answers=len(answers),
            ok=sum(answer.status is PartnerStatus.OK for answer in answers),
        )
    )
    return events


def partner_alerts(answers: Sequence[DatasetAnswer]) -> list[tuple[str, Alert]]:
    """The budget or rate alerts among the answers: one per partner, in answer order.

    Only a ``refused`` answer with a partner limit counts: a partner cannot
    raise an alert in the broker's name.
    """
    alerts: dict[str, Alert] = {}
    for answer in answers:
        alert = answer.alert
        if (
            alert is not None
            and answer.status is PartnerStatus.REFUSED
            and not alert.limit.at_broker
            and answer.agency not in alerts
        ):
            alerts[answer.agency] = alert
    return list(alerts.items())


def directory_events(
    before: Mapping[str, str], after: Mapping[str, str], now: datetime
) -> list[audit.AuditEvent]:
    """Admissions and removals that turn directory ``before`` into ``after``.

    Both map agency codes to endpoints; a changed endpoint is a new admission.
    """
    events = [
        audit_events.participant_removed(time=now, agency=agency)
        for agency in sorted(before)
        if agency not in after
    ]
    events += [
        audit_events.participant_admitted(time=now, agency=agency, endpoint=endpoint)
        for agency, endpoint in sorted(after.items())
        if before.get(agency) != endpoint
    ]
    return events


def directory_from_log(events: Iterable[audit.AuditEvent | None]) -> dict[str, str]:
    """Replay admissions and removals: the directory as the log last recorded it."""
    directory: dict[str, str] = {}
    for event in events:
        if event is None:
            continue
        if event.kind is audit.EntryKind.PARTICIPANT_ADMITTED:
            directory[str(event.fields["agency"])] = str(event.fields["endpoint"])
        elif event.kind is audit.EntryKind.PARTICIPANT_REMOVED:
            directory.pop(str(event.fields["agency"]), None)
    return directory
