"""What the broker writes to its audit log about a query (metadata only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from liaison.core import audit
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.v1 import common_pb2


def target_labels(envelope: common_pb2.QueryEnvelope) -> tuple[str, ...]:
    """Return the query's targets as ``AGENCY:dataset`` (``AGENCY:*`` for all)."""
    return tuple(
        f"{target.agency}:{dataset}"
        for target in envelope.targets
        for dataset in (list(target.datasets) or ["*"])
    )


def submitted_event(envelope: common_pb2.QueryEnvelope, now: datetime) -> audit.AuditEvent:
    """The entry written before any partner sees the query."""
    return audit.query_submitted(
        time=now,
        query_id=envelope.query_id,
        requesting_agency=envelope.requesting_agency,
        investigator_id=envelope.investigator_id,
        case_id=envelope.case_id,
        purpose=envelope.purpose,
        legal_basis=envelope.legal_basis,
        targets=target_labels(envelope),
        key_count=envelope.key_count,
        payload_digest=envelope.payload_digest.hex(),
        issued_at_ms=envelope.issued_at_ms,
        expires_at_ms=envelope.expires_at_ms,
    )


def answered_events(
    envelope: common_pb2.QueryEnvelope, answers: Sequence[DatasetAnswer], now: datetime
) -> list[audit.AuditEvent]:
    """The entries written before the result goes back: one per answer, then completion."""
    events = [
        audit.partner_answered(
            time=now,
            query_id=envelope.query_id,
            agency=answer.agency,
            dataset=answer.dataset,
            status=answer.status.value,
            reason=answer.reason,
            filter_version=answer.filter_version,
        )
        for answer in answers
    ]
    events.append(
        audit.query_completed(
            time=now,
            query_id=envelope.query_id,
            requesting_agency=envelope.requesting_agency,
            answers=len(answers),
            ok=sum(answer.status is PartnerStatus.OK for answer in answers),
        )
    )
    return events


def directory_events(
    before: Mapping[str, str], after: Mapping[str, str], now: datetime
) -> list[audit.AuditEvent]:
    """Admissions and removals that turn directory ``before`` into ``after``.

    Both map agency codes to endpoints; a changed endpoint is a new admission.
    """
    events = [
        audit.participant_removed(time=now, agency=agency)
        for agency in sorted(before)
        if agency not in after
    ]
    events += [
        audit.participant_admitted(time=now, agency=agency, endpoint=endpoint)
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
