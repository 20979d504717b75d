"""The domain types of step two: follow-ups, their states, hit notices.

A follow-up is one hit row of one query, asked of the partner that holds
the matching record (``docs/followups.md``). Both nodes keep it under the
same id (the request message's id): the requester as ``sent``, the data
owner as ``received``. Its state moves once, from ``queued`` to
``approved`` or ``refused`` by the owner's officer; a request the owner
does not accept (not a hit of an audited query of that requester) is
``rejected`` on the requester's side and never queued at the owner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from liaison.core.errors import InvalidInput
from liaison.core.records import Record, RecordField

#: Time to answer unless the investigator says otherwise (as under Prüm II).
DEFAULT_DEADLINE: Final = timedelta(hours=48)
MAX_DEADLINE: Final = timedelta(days=90)
MAX_MESSAGE_LENGTH: Final = 4000
#: Handling codes of a released answer (after Europol SIENA's): what the
#: requester may do with it.
HANDLING_CODES: Final = {
    "H0": "no restriction beyond the purpose of the query",
    "H1": "not to be used as evidence without the data owner's consent",
    "H2": "not to be passed on to anyone without the data owner's consent",
    "H3": "restrictions in the note; ask the data owner before any use",
}
#: Record attributes that a partner officer may release, by column name.
IDENTIFIER_FIELDS: Final = {
    "full_name": "full_name",
    "date_of_birth": "date_of_birth",
    "nationality": "nationality",
    "document_number": "document_numbers",
    "document_country": "document_countries",
    "national_id": "national_ids",
    "phone": "phones",
    "email": "emails",
    "iban": "ibans",
    "wallet": "wallets",
    "aliases": "aliases",
}
_DEADLINE = re.compile(r"([1-9][0-9]{0,4})([mhd])")
_UNITS: Final = {"m": "minutes", "h": "hours", "d": "days"}


class FollowupState(StrEnum):
    """Where a follow-up stands (``docs/followups.md``, "States")."""

    QUEUED = "queued"
    APPROVED = "approved"
    REFUSED = "refused"
    REJECTED = "rejected"
    #: (requester only) the acknowledgement did not come back: the owner may
    #: or may not have it; its reply is still taken.
    UNDELIVERED = "undelivered"


class Side(StrEnum):
    """Whether this node asked (``sent``) or owns the data (``received``)."""

    SENT = "sent"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class ReleasedRecord:
    """Fields of one of the owner's records: released ones, or all of them for its officer."""

    dataset: str
    ref: str
    fields: tuple[RecordField, ...]


@dataclass(frozen=True, slots=True)
class Followup:
    """One follow-up, as one side keeps it."""

    id: str
    side: Side
    query_id: str
    partner: str
    dataset: str
    row: int
    row_ref: str
    investigator: str
    message: str
    created_at: datetime
    deadline: datetime
    state: FollowupState
    #: The requester's matched identifiers (never details).
    identifiers: Record
    case_id: str = ""
    #: The owner's side: refs of its records the identifiers match.
    matched_refs: tuple[str, ...] = ()
    answered_at: datetime | None = None
    officer: str = ""
    handling: str = ""
    note: str = ""
    reason: str = ""
    #: The requester's side, once approved: what was released.
    released: tuple[ReleasedRecord, ...] = ()
    #: An overdue flag was recorded (ledger entry, message to the other side).
    overdue_flagged: bool = False

    def overdue(self, now: datetime) -> bool:
        """Still queued after its deadline."""
        return self.state is FollowupState.QUEUED and now > self.deadline


@dataclass(frozen=True, slots=True)
class StoredHit:
    """A hit row of one of this node's queries, kept so that it can be followed up."""

    query_id: str
    partner: str
    dataset: str
    row: int
    record: Record
    case_id: str


@dataclass(frozen=True, slots=True)
class HitNotice:
    """A requester's notice that it hit records of this node."""

    id: str
    requester: str
    query_id: str
    dataset: str
    refs: tuple[str, ...]
    received_at: datetime


def parse_deadline(text: str) -> timedelta:
    """Return the time to answer of ``30m``, ``48h`` or ``3d``.

    Raises:
        InvalidInput: another form, or longer than 90 days.
    """
    found = _DEADLINE.fullmatch(text.strip())
    if found is None:
        raise InvalidInput("a deadline is a number and m, h or d (48h, 3d)")
    value = timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
    if value > MAX_DEADLINE:
        raise InvalidInput("a deadline is at most 90 days")
    return value


def check_message(text: str) -> str:
    """Return a follow-up message or note if it is printable and not too long.

    Raises:
        InvalidInput: empty, too long, or with control characters other than newlines.
    """
    if not text.strip():
        raise InvalidInput("a follow-up needs a message")
    if len(text) > MAX_MESSAGE_LENGTH or any(c != "\n" and not c.isprintable() for c in text):
        raise InvalidInput(
            f"a message is printable text of at most {MAX_MESSAGE_LENGTH} characters"
        )
    return text


def identifiers_only(record: Record) -> Record:
    """Return ``record`` without its details: what a follow-up may carry of the requester's row."""
    return Record(
        **{f.name: getattr(record, f.name) for f in fields(record) if f.name != "details"}
    )


def record_to_json(record: Record) -> dict[str, Any]:
    """Return a record's identifiers as a JSON object (lists for the several-valued ones)."""
    document: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name == "details" or not value:
            continue
        document[f.name] = list(value) if isinstance(value, tuple) else value
    return document


def record_from_json(document: object) -> Record:
    """Return the record of :func:`record_to_json`.

    Raises:
        InvalidInput: not such an object.
    """
    names = {f.name: f for f in fields(Record) if f.name != "details"}
    if not isinstance(document, dict) or not isinstance(document.get("ref"), str):
        raise InvalidInput("follow-up identifiers are malformed")
    values: dict[str, Any] = {}
    for name, value in document.items():
        if name not in names:
            raise InvalidInput("follow-up identifiers are malformed")
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[name] = tuple(value)
        elif isinstance(value, str):
            values[name] = value
        else:
            raise InvalidInput("follow-up identifiers are malformed")
    try:
        return Record(**values)
    except TypeError:
        raise InvalidInput("follow-up identifiers are malformed") from None


def record_fields(record: Record) -> tuple[RecordField, ...]:
    """Return every non-empty field of a stored record: identifiers by column, then details."""
    found = []
    for column, attribute in IDENTIFIER_FIELDS.items():
        value = getattr(record, attribute)
        text = ";".join(value) if isinstance(value, tuple) else value
        if text:
            found.append(RecordField(column, text))
    return (*found, *record.details)


def released_fields(
    held: tuple[RecordField, ...], asked: tuple[str, ...]
) -> tuple[tuple[RecordField, ...], tuple[str, ...]]:
    """Return the fields of ``held`` named in ``asked``, and the names withheld as source fields.

    Source fields are never released, whoever asks; an asked field the record
    does not hold is simply absent.
    """
    present = {f.name: f for f in held}
    released = tuple(
        present[name] for name in asked if name in present and not present[name].source
    )
    withheld = tuple(name for name in asked if name in present and present[name].source)
    return released, withheld


def check_field_names(asked: tuple[str, ...]) -> None:
    """Refuse an empty list or a name that is no column of the schema.

    Raises:
        InvalidInput: no field, or an unknown one.
    """
    if not asked:
        raise InvalidInput("an approval names the fields to release (--fields)")
    for name in asked:
        if name not in IDENTIFIER_FIELDS and not name.startswith(("release.", "source.")):
            raise InvalidInput("unknown field (see docs/input-format.md for the columns)")


def dumps(document: object) -> bytes:
    """Return canonical JSON bytes of a message body."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def loads(data: bytes) -> dict[str, Any]:
    """Return a message body's JSON object.

    Raises:
        InvalidInput: not a JSON object.
    """
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("follow-up body is not JSON") from None
    if not isinstance(document, dict):
        raise InvalidInput("follow-up body is not a JSON object")
    return document
