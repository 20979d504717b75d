"""How a record is stored: its identifier rows, and the hash that tells a changed record.

Pure helpers every store shares (:mod:`node.sql_store`, the follow-ups'
record reader): the mapping between a :class:`~core.records.Record` and its
identifier rows, and its content hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Final

from liaison.core.records import EntityType, Record


class IdentifierKind(StrEnum):
    """The canonical schema's column names, as stored in the identifiers table."""

    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    NATIONALITY = "nationality"
    DOCUMENT_NUMBER = "document_number"
    DOCUMENT_COUNTRY = "document_country"
    NATIONAL_ID = "national_id"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    WALLET = "wallet"
    ENTITY_TYPE = "type"
    COUNTRY = "country"
    OTHER_DATE_OF_BIRTH = "other_date_of_birth"
    REGISTRATION_NUMBER = "registration_number"
    LEI = "lei"
    IMO = "imo"
    TRANSACTION = "transaction"


#: Record attribute -> identifier kind, for the attributes holding one value.
_SCALAR_FIELDS: Final[dict[str, IdentifierKind]] = {
    "full_name": IdentifierKind.FULL_NAME,
    "date_of_birth": IdentifierKind.DATE_OF_BIRTH,
    "nationality": IdentifierKind.NATIONALITY,
    "country": IdentifierKind.COUNTRY,
}
#: Record attribute -> identifier kind, for the tuple attributes (one row per position).
_TUPLE_FIELDS: Final[dict[str, IdentifierKind]] = {
    "document_numbers": IdentifierKind.DOCUMENT_NUMBER,
    "document_countries": IdentifierKind.DOCUMENT_COUNTRY,
    "national_ids": IdentifierKind.NATIONAL_ID,
    "phones": IdentifierKind.PHONE,
    "emails": IdentifierKind.EMAIL,
    "ibans": IdentifierKind.IBAN,
    "wallets": IdentifierKind.WALLET,
    "other_dates_of_birth": IdentifierKind.OTHER_DATE_OF_BIRTH,
    "registration_numbers": IdentifierKind.REGISTRATION_NUMBER,
    "leis": IdentifierKind.LEI,
    "imo_numbers": IdentifierKind.IMO,
    "transactions": IdentifierKind.TRANSACTION,
}
_FIELD_OF_KIND: Final = {kind: name for name, kind in (_SCALAR_FIELDS | _TUPLE_FIELDS).items()} | {
    IdentifierKind.ENTITY_TYPE: "entity_type"
}


@dataclass(frozen=True, slots=True)
class IdentifierRow:
    """One stored identifier value: which column, which position in it, the value."""

    kind: IdentifierKind
    position: int
    value: str


def content_hash(record: Record, key_spec: str) -> str:
    """Return a hex SHA-256 over the record's fields and the key-spec version.

    The key spec is included so that importing the same data under a new spec
    re-derives every key instead of keeping the old spec's keys.
    """
    canonical: list[object] = [
        key_spec,
        *([f.name, getattr(record, f.name)] for f in fields(record) if f.name != "details"),
    ]
    if record.details:
        # Only when present, so that records without details keep their hash.
        canonical.append(["details", [[d.name, d.value] for d in record.details]])
    encoded = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def identifier_rows(record: Record) -> list[IdentifierRow]:
    """Split an record into identifier rows (empty scalar columns are skipped).

    Tuple values are kept even when empty so that positions stay aligned
    across columns (document number *i* pairs with document country *i*).
    """
    rows = [
        IdentifierRow(kind, 0, value)
        for name, kind in _SCALAR_FIELDS.items()
        if (value := getattr(record, name))
    ]
    if record.entity_type is not EntityType.PERSON:
        rows.append(IdentifierRow(IdentifierKind.ENTITY_TYPE, 0, record.entity_type.value))
    for name, kind in _TUPLE_FIELDS.items():
        values: tuple[str, ...] = getattr(record, name)
        rows.extend(IdentifierRow(kind, i, value) for i, value in enumerate(values))
    return rows


def record_from_rows(ref: str, rows: Iterable[IdentifierRow]) -> Record:
    """Rebuild the record that :func:`identifier_rows` split."""
    scalars: dict[str, str] = {}
    positioned: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        name = _FIELD_OF_KIND[row.kind]
        if name in _TUPLE_FIELDS:
            positioned.setdefault(name, []).append((row.position, row.value))
        else:
            scalars[name] = row.value

    def column(name: str) -> tuple[str, ...]:
        return tuple(value for _, value in sorted(positioned.get(name, ())))

    return Record(
        ref=ref,
        full_name=scalars.get("full_name", ""),
        date_of_birth=scalars.get("date_of_birth", ""),
        nationality=scalars.get("nationality", ""),
        document_numbers=column("document_numbers"),
        document_countries=column("document_countries"),
        national_ids=column("national_ids"),
        phones=column("phones"),
        emails=column("emails"),
        ibans=column("ibans"),
        wallets=column("wallets"),
        entity_type=EntityType(scalars.get("entity_type", EntityType.PERSON.value)),
        country=scalars.get("country", ""),
        other_dates_of_birth=column("other_dates_of_birth"),
        registration_numbers=column("registration_numbers"),
        leis=column("leis"),
        imo_numbers=column("imo_numbers"),
        transactions=column("transactions"),
    )
