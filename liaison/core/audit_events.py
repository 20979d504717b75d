"""One constructor per audit entry kind: the fields each kind records, named.

Each returns an :class:`~liaison.core.audit.AuditEvent`, checked against its
kind's schema; each raises only :class:`~liaison.core.errors.InvalidInput`.
"""

from __future__ import annotations

from datetime import datetime

from liaison.core.audit import AuditEvent, EntryKind, FieldValue


def query_submitted(
    *,
    time: datetime,
    query_id: str,
    requesting_agency: str,
    investigator_id: str,
    case_id: str,
    purpose: str,
    legal_basis: str,
    targets: tuple[str, ...],
    key_count: int,
    payload_digest: str,
    issued_at_ms: int,
    expires_at_ms: int,
) -> AuditEvent:
    """A query accepted by the broker, logged before any partner sees it.

    Raises:
        InvalidInput: a field has the wrong type or value (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.QUERY_SUBMITTED,
        time,
        {
            "query_id": query_id,
            "requesting_agency": requesting_agency,
            "investigator_id": investigator_id,
            "case_id": case_id,
            "purpose": purpose,
            "legal_basis": legal_basis,
            "targets": targets,
            "key_count": key_count,
            "payload_digest": payload_digest,
            "issued_at_ms": issued_at_ms,
            "expires_at_ms": expires_at_ms,
        },
    )


def partner_answered(
    *,
    time: datetime,
    query_id: str,
    agency: str,
    dataset: str,
    status: str,
    reason: str,
    filter_version: int,
    key_epoch: int | None = None,
) -> AuditEvent:
    """One partner dataset's answer to a query (``status`` is a PartnerStatus value).

    ``key_epoch`` is the partner's key epoch of an ok answer; None leaves
    the field out (an answer that is not ok, or a partner that did not
    declare it).

    Raises:
        InvalidInput: a field has the wrong type or value (see :class:`AuditEvent`).
    """
    fields: dict[str, FieldValue] = {
        "query_id": query_id,
        "agency": agency,
        "dataset": dataset,
        "status": status,
        "reason": reason,
        "filter_version": filter_version,
    }
    if key_epoch is not None:
        fields["key_epoch"] = key_epoch
    return AuditEvent(EntryKind.PARTNER_ANSWERED, time, fields)


def query_completed(
    *, time: datetime, query_id: str, requesting_agency: str, answers: int, ok: int
) -> AuditEvent:
    """The end of a query: how many dataset answers, how many of them ok.

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.QUERY_COMPLETED,
        time,
        {
            "query_id": query_id,
            "requesting_agency": requesting_agency,
            "answers": answers,
            "ok": ok,
        },
    )


def policy_denial(
    *, time: datetime, query_id: str, requesting_agency: str, reason: str
) -> AuditEvent:
    """A refused query (``query_id`` is empty when the envelope did not verify).

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.POLICY_DENIAL,
        time,
        {"query_id": query_id, "requesting_agency": requesting_agency, "reason": reason},
    )


def participant_admitted(*, time: datetime, agency: str, endpoint: str) -> AuditEvent:
    """An agency joined the federation directory (or changed its endpoint).

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.PARTICIPANT_ADMITTED, time, {"agency": agency, "endpoint": endpoint}
    )


def participant_removed(*, time: datetime, agency: str) -> AuditEvent:
    """An agency left the federation directory.

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(EntryKind.PARTICIPANT_REMOVED, time, {"agency": agency})


def log_access(*, time: datetime, accessor: str, role: str, action: str) -> AuditEvent:
    """Someone read the log (``action`` such as ``entries 0-99`` or ``tree_head``).

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.LOG_ACCESS, time, {"accessor": accessor, "role": role, "action": action}
    )


def erasure(
    *, time: datetime, first_index: int, last_index: int, count: int, before_ms: int
) -> AuditEvent:
    """Bodies of ``count`` entries in [first_index, last_index] older than ``before_ms`` erased.

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.ERASURE,
        time,
        {
            "first_index": first_index,
            "last_index": last_index,
            "count": count,
            "before_ms": before_ms,
        },
    )


def ledger_checkpoint(
    *, time: datetime, agency: str, size: int, head_hash: str, signature: str, certificate: str
) -> AuditEvent:
    """An agency anchored its ledger head: ``size`` entries ending in ``head_hash`` (hex).

    ``signature`` is the agency's ECDSA signature over the checkpoint and
    ``certificate`` the certificate it was made with (both standard base64),
    so that an auditor can check the agency signed it, not the broker.

    Raises:
        InvalidInput: a field has the wrong type (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.LEDGER_CHECKPOINT,
        time,
        {
            "agency": agency,
            "size": size,
            "head_hash": head_hash,
            "signature": signature,
            "certificate": certificate,
        },
    )


def fishing_alert(
    *,
    time: datetime,
    query_id: str,
    requesting_agency: str,
    partner: str,
    limit: str,
    allowed: int,
    used: int,
    asked: int,
    suppressed: int,
) -> AuditEvent:
    """A budget or rate refused a request of ``requesting_agency`` (docs/audit.md, "Alerts").

    ``partner`` is the partner whose agreement's limit fired, or ``"broker"``
    for the broker's own admission limits; ``query_id`` is empty when the
    broker refused before verifying anything. ``limit`` is an
    :class:`~liaison.core.alerts.AlertLimit` value; ``used`` + ``asked``
    would have passed ``allowed``. ``suppressed`` counts the alerts of the
    same agency, partner and limit not written since the previous entry
    (the broker writes at most one a minute).

    Raises:
        InvalidInput: a field has the wrong type or value (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.FISHING_ALERT,
        time,
        {
            "query_id": query_id,
            "requesting_agency": requesting_agency,
            "partner": partner,
            "limit": limit,
            "allowed": allowed,
            "used": used,
            "asked": asked,
            "suppressed": suppressed,
        },
    )


def followup(
    *,
    time: datetime,
    message_kind: str,
    message_id: str,
    reply_to: str,
    query_id: str,
    sender: str,
    recipient: str,
    sent_at_ms: int,
    deadline_ms: int,
    decision: str,
    handling: str,
) -> AuditEvent:
    """A follow-up message the broker relayed: its clear header, never its body.

    Raises:
        InvalidInput: a field has the wrong type or value (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.FOLLOWUP,
        time,
        {
            "message_kind": message_kind,
            "message_id": message_id,
            "reply_to": reply_to,
            "query_id": query_id,
            "sender": sender,
            "recipient": recipient,
            "sent_at_ms": sent_at_ms,
            "deadline_ms": deadline_ms,
            "decision": decision,
            "handling": handling,
        },
    )
