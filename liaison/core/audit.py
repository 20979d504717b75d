"""The audit log's vocabulary: entry kinds, field schemas, events.

An :class:`AuditEvent` is what happened (metadata only, never an identifier,
a match key or a PSI payload; ``docs/audit.md``, "Entries"). Every kind has a
fixed set of fields, typed, all required but for the few in
:data:`OPTIONAL_FIELDS` (added after entries of their kind were written, and
left out of the body when absent so those entries' bytes stay the same);
times are UTC to the millisecond. How an event becomes bytes, is committed to and sealed into the
Merkle log is cryptography and lives in :mod:`liaison.crypto.audit_entries`.
Everything here raises only :class:`~liaison.core.errors.InvalidInput`; one
constructor per kind is in :mod:`liaison.core.audit_events`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, TypeGuard

from liaison.core.alerts import AlertLimit
from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput

#: Times are milliseconds since the Unix epoch, from 1970 to the end of year 9999
#: (the range a ``datetime`` can hold).
MAX_TIME_MS: Final = 253_402_300_799_999
#: Integer fields are signed 64-bit, as in the wire messages they come from.
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS: Final = timedelta(milliseconds=1)
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_STATUSES: Final = frozenset(status.value for status in PartnerStatus)
_LIMITS: Final = frozenset(limit.value for limit in AlertLimit)

FieldValue = str | int | tuple[str, ...]


class EntryKind(StrEnum):
    """What an entry records."""

    QUERY_SUBMITTED = "query_submitted"
    PARTNER_ANSWERED = "partner_answered"
    QUERY_COMPLETED = "query_completed"
    POLICY_DENIAL = "policy_denial"
    PARTICIPANT_ADMITTED = "participant_admitted"
    PARTICIPANT_REMOVED = "participant_removed"
    LOG_ACCESS = "log_access"
    ERASURE = "erasure"
    LEDGER_CHECKPOINT = "ledger_checkpoint"
    FISHING_ALERT = "fishing_alert"
    FOLLOWUP = "followup"


class FieldType(StrEnum):
    """The type of a field's value."""

    TEXT = "text"
    INT = "int"
    TEXTS = "texts"


_T, _I, _TS = FieldType.TEXT, FieldType.INT, FieldType.TEXTS

#: Every kind's fields: all required, no other allowed (docs/audit.md, "Entries").
SCHEMAS: Final[Mapping[EntryKind, Mapping[str, FieldType]]] = MappingProxyType(
    {
        EntryKind.QUERY_SUBMITTED: MappingProxyType(
            {
                "query_id": _T,
                "requesting_agency": _T,
                "investigator_id": _T,
                "case_id": _T,
                "purpose": _T,
                "legal_basis": _T,
                "targets": _TS,
                "key_count": _I,
                "payload_digest": _T,
                "issued_at_ms": _I,
                "expires_at_ms": _I,
            }
        ),
        EntryKind.PARTNER_ANSWERED: MappingProxyType(
            {
                "query_id": _T,
                "agency": _T,
                "dataset": _T,
                "status": _T,
                "reason": _T,
                "filter_version": _I,
            }
        ),
        EntryKind.QUERY_COMPLETED: MappingProxyType(
            {"query_id": _T, "requesting_agency": _T, "answers": _I, "ok": _I}
        ),
        EntryKind.POLICY_DENIAL: MappingProxyType(
            {"query_id": _T, "requesting_agency": _T, "reason": _T}
        ),
        EntryKind.PARTICIPANT_ADMITTED: MappingProxyType({"agency": _T, "endpoint": _T}),
        EntryKind.PARTICIPANT_REMOVED: MappingProxyType({"agency": _T}),
        EntryKind.LOG_ACCESS: MappingProxyType({"accessor": _T, "role": _T, "action": _T}),
        EntryKind.ERASURE: MappingProxyType(
            {"first_index": _I, "last_index": _I, "count": _I, "before_ms": _I}
        ),
        EntryKind.LEDGER_CHECKPOINT: MappingProxyType(
            {"agency": _T, "size": _I, "head_hash": _T, "signature": _T, "certificate": _T}
        ),
        EntryKind.FISHING_ALERT: MappingProxyType(
            {
                "query_id": _T,
                "requesting_agency": _T,
                "partner": _T,
                "limit": _T,
                "allowed": _I,
                "used": _I,
                "asked": _I,
                "suppressed": _I,
            }
        ),
        # One follow-up message relayed (docs/followups.md): metadata only.
        EntryKind.FOLLOWUP: MappingProxyType(
            {
                "message_kind": _T,
                "message_id": _T,
                "reply_to": _T,
                "query_id": _T,
                "sender": _T,
                "recipient": _T,
                "sent_at_ms": _I,
                "deadline_ms": _I,
                "decision": _T,
                "handling": _T,
            }
        ),
    }
)


#: Fields a kind may hold besides its schema's: absent from entries written
#: before they existed (and from those with nothing to record), so an old
#: entry's canonical body is unchanged (docs/audit.md, "Entries").
OPTIONAL_FIELDS: Final[Mapping[EntryKind, Mapping[str, FieldType]]] = MappingProxyType(
    {
        EntryKind.PARTNER_ANSWERED: MappingProxyType({"key_epoch": _I}),
    }
)


def _is_target(value: str) -> bool:
    agency, colon, dataset = value.partition(":")
    return bool(agency and colon and dataset)


#: Value checks of particular fields, beyond their type.
_VALUE_CHECKS: Final[Mapping[str, tuple[Callable[[Any], bool], str]]] = {
    "status": (lambda v: v in _STATUSES, "is not a partner status"),
    "payload_digest": (lambda v: _HEX_DIGEST.fullmatch(v) is not None, "is not a hex SHA-256"),
    "targets": (lambda v: all(_is_target(t) for t in v), "are not AGENCY:dataset"),
    "head_hash": (lambda v: _HEX_DIGEST.fullmatch(v) is not None, "is not a hex SHA-256"),
    "limit": (lambda v: v in _LIMITS, "is not an alert limit"),
    "key_epoch": (lambda v: v >= 0, "is negative"),
}


# -- events -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One thing that happened, as the log records it.

    On construction the fields are checked against the kind's schema and the
    time is converted to UTC and truncated to the millisecond (what the body
    stores), so that ``decode_body(encode_body(e)) == e``.

    Raises:
        InvalidInput: unknown kind, naive or out-of-range time, a missing,
            extra or ill-typed field, or a value a field does not allow.
    """

    kind: EntryKind
    time: datetime
    fields: Mapping[str, FieldValue]

    def __post_init__(self) -> None:
        """Check and normalise kind, time and fields."""
        kind = entry_kind(self.kind)
        time_ms = datetime_to_ms(self.time)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "time", ms_to_datetime(time_ms))
        object.__setattr__(self, "fields", MappingProxyType(_checked_fields(kind, self.fields)))

    @property
    def time_ms(self) -> int:
        """The time in milliseconds since the Unix epoch."""
        return datetime_to_ms(self.time)

    def __hash__(self) -> int:
        """Hash kind, time and fields (a read-only mapping is not hashable itself)."""
        return hash((self.kind, self.time, tuple(sorted(self.fields.items()))))


def ms_to_datetime(time_ms: int) -> datetime:
    """Return the aware UTC datetime of a millisecond timestamp.

    Raises:
        InvalidInput: not an int, or outside 1970 to 9999.
    """
    return _EPOCH + check_time_ms(time_ms) * _ONE_MS


def datetime_to_ms(value: datetime) -> int:
    """Return an aware datetime as whole milliseconds since the Unix epoch (rounded down).

    Raises:
        InvalidInput: not an aware datetime, or outside 1970 to 9999.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput("event time must be a timezone-aware datetime")
    # Floor division: exact, no float rounding.
    return check_time_ms((value - _EPOCH) // _ONE_MS)


def check_time_ms(time_ms: object) -> int:
    """Return a millisecond timestamp unchanged if it is an int from 1970 to 9999.

    Raises:
        InvalidInput: not an int, or outside 1970 to 9999.
    """
    if type(time_ms) is not int or not 0 <= time_ms <= MAX_TIME_MS:
        raise InvalidInput("time_ms must be an integer between 1970 and 9999")
    return time_ms


def entry_kind(value: object) -> EntryKind:
    """Return the kind an :class:`EntryKind` or its string value names.

    Raises:
        InvalidInput: anything else.
    """
    if isinstance(value, EntryKind):
        return value
    if isinstance(value, str):
        try:
            return EntryKind(value)
        except ValueError:
            pass
    raise InvalidInput("unknown audit entry kind")


def _checked_fields(kind: EntryKind, fields: object) -> dict[str, FieldValue]:
    if not isinstance(fields, Mapping):
        raise InvalidInput(f"{kind}: fields must be a mapping")
    schema = SCHEMAS[kind]
    optional = OPTIONAL_FIELDS.get(kind, {})
    names = set(fields)
    if missing := sorted(set(schema) - names):
        raise InvalidInput(f"{kind}: missing field(s) {', '.join(missing)}")
    if extra := names - set(schema) - set(optional):
        shown = sorted(repr(name) for name in extra)
        raise InvalidInput(f"{kind}: unexpected field(s) {', '.join(shown)}")
    present = {**schema, **{name: t for name, t in optional.items() if name in names}}
    checked = {
        name: _checked_value(kind, name, field_type, fields[name])
        for name, field_type in present.items()
    }
    for name, (check, problem) in _VALUE_CHECKS.items():
        if name in checked and not check(checked[name]):
            raise InvalidInput(f"{kind}: field {name} {problem}")
    return checked


def _checked_value(kind: EntryKind, name: str, field_type: FieldType, value: object) -> FieldValue:
    if field_type is FieldType.INT:
        # bool is an int subclass; True is not a count.
        if type(value) is not int or not INT_MIN <= value <= INT_MAX:
            raise InvalidInput(f"{kind}: field {name} must be a 64-bit integer")
        return value
    if field_type is FieldType.TEXT:
        if not _is_text(value):
            raise InvalidInput(f"{kind}: field {name} must be a UTF-8 string")
        return value
    if not isinstance(value, tuple) or not all(_is_text(item) for item in value):
        raise InvalidInput(f"{kind}: field {name} must be a tuple of UTF-8 strings")
    return value


def _is_text(value: object) -> TypeGuard[str]:
    if not isinstance(value, str):
        return False
    try:
        # Lone surrogates are str but not UTF-8: the body could not be encoded.
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
