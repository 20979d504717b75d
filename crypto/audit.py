"""Entries of the broker's audit log: kinds, field schemas, canonical bytes, commitments.

An :class:`AuditEvent` is what happened (metadata only, never an identifier,
a match key or a PSI payload). It is stored as three pieces (``docs/audit.md``,
"Canonical bytes (version 1)"):

* the **body**: canonical JSON of the event;
* a random 32-byte **salt**, so that a body cannot be guessed from its hash;
* the **header** (the Merkle leaf data): canonical JSON of the kind, the
  time and ``SHA-256(domain || salt || body)``.

Erasure after the retention period deletes salt and body and keeps the
header, so the tree and every proof stay valid. Every parser here raises only
:class:`~crypto.errors.InvalidInput` (or its subclass ``ProofError``) and
accepts exactly the bytes the encoder produces, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, TypeGuard

from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto import merkle

#: Version of the canonical encoding, the ``v`` of every body and header.
VERSION: Final = 1
SALT_SIZE: Final = 32
COMMITMENT_SIZE: Final = 32
#: Domain separation of the body commitment (docs/audit.md).
COMMITMENT_DOMAIN: Final = b"liaison-audit-body-v1\x00"
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
        kind = _kind(self.kind)
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
    return _EPOCH + _check_time_ms(time_ms) * _ONE_MS


def datetime_to_ms(value: datetime) -> int:
    """Return an aware datetime as whole milliseconds since the Unix epoch (rounded down).

    Raises:
        InvalidInput: not an aware datetime, or outside 1970 to 9999.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput("event time must be a timezone-aware datetime")
    # Floor division: exact, no float rounding.
    return _check_time_ms((value - _EPOCH) // _ONE_MS)


def _check_time_ms(time_ms: object) -> int:
    if type(time_ms) is not int or not 0 <= time_ms <= MAX_TIME_MS:
        raise InvalidInput("time_ms must be an integer between 1970 and 9999")
    return time_ms


def _kind(value: object) -> EntryKind:
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
    names = set(fields)
    if missing := sorted(set(schema) - names):
        raise InvalidInput(f"{kind}: missing field(s) {', '.join(missing)}")
    if extra := names - set(schema):
        shown = sorted(repr(name) for name in extra)
        raise InvalidInput(f"{kind}: unexpected field(s) {', '.join(shown)}")
    checked = {
        name: _checked_value(kind, name, field_type, fields[name])
        for name, field_type in schema.items()
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


# -- one constructor per kind ---------------------------------------------


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
) -> AuditEvent:
    """One partner dataset's answer to a query (``status`` is a PartnerStatus value).

    Raises:
        InvalidInput: a field has the wrong type or value (see :class:`AuditEvent`).
    """
    return AuditEvent(
        EntryKind.PARTNER_ANSWERED,
        time,
        {
            "query_id": query_id,
            "agency": agency,
            "dataset": dataset,
            "status": status,
            "reason": reason,
            "filter_version": filter_version,
        },
    )


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


# -- canonical bytes ------------------------------------------------------


def _canonical(document: Mapping[str, Any]) -> bytes:
    """Keys sorted, no whitespace, UTF-8 as is (docs/audit.md, "Canonical bytes")."""
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _parse_canonical(data: object, what: str, keys: frozenset[str]) -> dict[str, Any]:
    """Parse canonical JSON holding exactly ``keys``, version 1; the re-encoding is checked later.

    Raises:
        InvalidInput: not bytes, not UTF-8 JSON, not an object, other keys, other version.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInput(f"audit {what} must be bytes")
    try:
        # Decoded first: json.loads would guess UTF-16 or UTF-32 from bytes.
        document = json.loads(bytes(data).decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, UnicodeDecodeError and huge integers.
        raise InvalidInput(f"audit {what} is not UTF-8 JSON") from exc
    if not isinstance(document, dict):
        raise InvalidInput(f"audit {what} is not a JSON object")
    if set(document) != keys:
        raise InvalidInput(f"audit {what} must have exactly the keys {', '.join(sorted(keys))}")
    version = document["v"]
    if type(version) is not int or version != VERSION:
        raise InvalidInput(f"audit {what} has an unknown version")
    return document


def _no_constant(name: str) -> None:
    # NaN and Infinity are not JSON; json.loads accepts them unless told otherwise.
    raise ValueError(f"JSON constant {name} is not allowed")


def encode_body(event: AuditEvent) -> bytes:
    """Return the canonical body of an event (docs/audit.md, "Canonical bytes")."""
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in event.fields.items()}
    return _canonical(
        {"fields": fields, "kind": event.kind.value, "time_ms": event.time_ms, "v": VERSION}
    )


_BODY_KEYS: Final = frozenset({"fields", "kind", "time_ms", "v"})
_HEADER_KEYS: Final = frozenset({"commitment", "kind", "time_ms", "v"})


def decode_body(data: bytes) -> AuditEvent:
    """Parse a body; only the canonical encoding of a valid event is accepted.

    Raises:
        InvalidInput: malformed JSON, another version, an unknown kind, a
            field schema violation, or bytes that are not the canonical form.
    """
    document = _parse_canonical(data, "body", _BODY_KEYS)
    fields = document["fields"]
    if not isinstance(fields, dict):
        raise InvalidInput("audit body fields are not a JSON object")
    kind = _kind(document["kind"])
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    event = AuditEvent(kind, ms_to_datetime(document["time_ms"]), values)
    if encode_body(event) != bytes(data):
        raise InvalidInput("audit body is not in canonical form")
    return event


def new_salt() -> bytes:
    """Return a fresh random salt (32 bytes from the OS's CSPRNG)."""
    return secrets.token_bytes(SALT_SIZE)


def commitment(salt: bytes, body: bytes) -> bytes:
    """Return ``SHA-256(b"liaison-audit-body-v1\\x00" || salt || body)``.

    Raises:
        InvalidInput: the salt is not 32 bytes.
    """
    if not isinstance(salt, bytes) or len(salt) != SALT_SIZE:
        raise InvalidInput(f"audit salt must be {SALT_SIZE} bytes")
    return hashlib.sha256(COMMITMENT_DOMAIN + salt + bytes(body)).digest()


@dataclass(frozen=True, slots=True)
class Header:
    """The parsed leaf data of an entry: what stays visible after erasure."""

    kind: EntryKind
    time_ms: int
    commitment: bytes


def header(event_kind: EntryKind | str, time_ms: int, commitment: bytes) -> bytes:
    """Return the canonical leaf data (header) of an entry.

    Raises:
        InvalidInput: unknown kind, time out of range, or a commitment that is not 32 bytes.
    """
    kind = _kind(event_kind)
    _check_time_ms(time_ms)
    if not isinstance(commitment, bytes) or len(commitment) != COMMITMENT_SIZE:
        raise InvalidInput(f"audit commitment must be {COMMITMENT_SIZE} bytes")
    document = {
        "commitment": commitment.hex(),
        "kind": kind.value,
        "time_ms": time_ms,
        "v": VERSION,
    }
    return _canonical(document)


def parse_header(data: bytes) -> Header:
    """Parse leaf data; only the canonical encoding is accepted.

    Raises:
        InvalidInput: malformed JSON, another version, an unknown kind, a bad
            time or commitment, or bytes that are not the canonical form.
    """
    document = _parse_canonical(data, "header", _HEADER_KEYS)
    digest = document["commitment"]
    if not isinstance(digest, str) or _HEX_DIGEST.fullmatch(digest) is None:
        raise InvalidInput("audit header commitment is not a hex SHA-256")
    parsed = Header(
        _kind(document["kind"]), _check_time_ms(document["time_ms"]), bytes.fromhex(digest)
    )
    if header(parsed.kind, parsed.time_ms, parsed.commitment) != bytes(data):
        raise InvalidInput("audit header is not in canonical form")
    return parsed


# -- records --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A stored entry: its position, header, leaf hash, and salt and body unless erased."""

    index: int
    header: bytes
    leaf_hash: bytes
    salt: bytes | None
    body: bytes | None

    @property
    def erased(self) -> bool:
        """Whether salt and body were erased after the retention period."""
        return self.body is None

    def header_fields(self) -> Header:
        """Return the parsed header.

        Raises:
            InvalidInput: the header is malformed.
        """
        return parse_header(self.header)

    def verify(self) -> None:
        """Check the leaf hash, and for an unerased entry the salted commitment and the body.

        Raises:
            ProofError: the leaf hash does not match the header, the header is
                malformed, salt and body are not both present or both erased,
                the body does not match the header's commitment, or the body
                is malformed or disagrees with the header's kind or time;
                the message names the entry's index and what failed.
        """
        where = f"audit entry {self.index}"
        if not hmac.compare_digest(self.leaf_hash, merkle.leaf_hash(self.header)):
            raise ProofError(f"{where}: leaf hash does not match its header")
        try:
            parsed = parse_header(self.header)
        except InvalidInput as exc:
            raise ProofError(f"{where}: header is malformed") from exc
        if self.salt is None and self.body is None:
            return
        if self.salt is None or self.body is None or len(self.salt) != SALT_SIZE:
            raise ProofError(f"{where}: salt and body must both be present ({SALT_SIZE}-byte salt)")
        if not hmac.compare_digest(commitment(self.salt, self.body), parsed.commitment):
            raise ProofError(f"{where}: body does not match the header's commitment")
        try:
            event = decode_body(self.body)
        except InvalidInput as exc:
            raise ProofError(f"{where}: body is malformed") from exc
        if event.kind is not parsed.kind or event.time_ms != parsed.time_ms:
            raise ProofError(f"{where}: body's kind or time differs from the header's")

    def event(self) -> AuditEvent | None:
        """Return the decoded event, or None if the body was erased.

        Decoding does not verify: call :meth:`verify` first to trust the result.

        Raises:
            InvalidInput: the body is malformed.
        """
        return None if self.body is None else decode_body(self.body)


@dataclass(frozen=True, slots=True)
class SealedEntry:
    """An event ready to be appended: header, leaf hash, salt and body; no index yet."""

    kind: EntryKind
    time_ms: int
    header: bytes
    leaf_hash: bytes
    salt: bytes
    body: bytes

    def at(self, index: int) -> AuditRecord:
        """Return the record this entry becomes at position ``index``."""
        return AuditRecord(index, self.header, self.leaf_hash, self.salt, self.body)


def seal(event: AuditEvent, *, salt: bytes | None = None) -> SealedEntry:
    """Encode an event, commit to it under a fresh (or the given) salt, build its header.

    Args:
        event: the event.
        salt: 32 bytes for test vectors; a fresh random salt when None.

    Raises:
        InvalidInput: the given salt is not 32 bytes.
    """
    salt = new_salt() if salt is None else salt
    body = encode_body(event)
    leaf_data = header(event.kind, event.time_ms, commitment(salt, body))
    return SealedEntry(
        event.kind, event.time_ms, leaf_data, merkle.leaf_hash(leaf_data), salt, body
    )
