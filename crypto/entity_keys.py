"""Identifier keys of entities and transactions, and every key of one record.

Key spec v1 and v2 (:mod:`liaison.crypto.keys`) describe persons. This module
adds the *identifier keys* (``docs/keyspec.md``, "Identifier keys"): a
document number without its issuing country, an organisation's name with its
country, registration numbers, LEIs, vessels' IMO numbers and transaction
references. They are keys of new kinds in v1's format
(``1|<kind>|<part>...``), so they can equal no key of an older release: a
node that does not derive them only misses those hits.

:func:`derive_record_keys` is what nodes derive from a record, when importing
and when querying: the v2 keys of a person for each of its dates of birth,
the identifier-only keys of an organisation or a vessel, and the identifier
keys of either. ``tests/data/keyspec_identifier_vectors.json`` pins
:func:`derive_identifier_keys`.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator

from stdnum import imo as stdnum_imo
from stdnum import lei as stdnum_lei

from liaison.core.records import EntityType, KeyKind, KeyRole, KeyStrength, MatchKey, Record
from liaison.crypto.identifiers import normalise_country, normalise_id
from liaison.crypto.keys import KEY_SPEC_VERSION, MAX_NAMES_V2, derive_keys_v3
from liaison.crypto.normalise import SEPARATOR, name_tokens

MAX_DATES_OF_BIRTH = 5
"""Dates of birth of one person that give keys: the first five, in file order."""

KIND_STRENGTHS = {
    KeyKind.DOCUMENT_NUMBER: KeyStrength.STRONG,
    KeyKind.ORGANISATION: KeyStrength.STRONG,
    KeyKind.REGISTRATION: KeyStrength.EXACT,
    KeyKind.LEI: KeyStrength.EXACT,
    KeyKind.IMO: KeyStrength.EXACT,
    KeyKind.TRANSACTION: KeyStrength.EXACT,
}
"""The strength of each identifier kind.

A document number without its country, or an organisation's name in its
country, can belong to two different holders: strong, not exact.
"""

LEGAL_FORMS = frozenset(
    {"ltd", "limited", "llc", "llp", "lp", "plc", "inc", "incorporated", "corp", "corporation"}
    | {"co", "company", "gmbh", "ag", "kg", "sa", "sarl", "sas", "srl", "spa", "bv", "nv"}
    | {"ab", "as", "oy", "jsc", "ojsc", "cjsc", "pjsc", "oao", "zao", "ooo", "pao", "ao"}
    | {"fze", "fzco", "fzc", "fzllc", "wll", "pte", "pvt", "bhd", "sdn", "tbk", "pt", "cv"}
)
"""Legal-form words dropped from organisation names ("Acme Trading L.L.C." = "ACME TRADING")."""

_HEX_64 = re.compile(r"(?:0[xX])?([0-9a-fA-F]{64})")
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
_UUID_VERSION_4 = 4


def normalise_lei(text: str) -> str | None:
    """Normalise a Legal Entity Identifier (ISO 17442), checked with python-stdnum.

    Returns:
        The 20 characters, upper-case, or ``None`` if the format or the
        ISO 7064 mod 97-10 check digits fail.
    """
    if not stdnum_lei.is_valid(text):
        return None
    compact = str(stdnum_lei.compact(text))
    return compact if compact.isascii() and compact.isalnum() else None


def normalise_imo(text: str) -> str | None:
    """Normalise a ship's IMO number (``IMO 9074729``), checked with python-stdnum.

    Returns:
        The seven digits, or ``None`` if the check digit fails.
    """
    if not stdnum_imo.is_valid(text):
        return None
    compact = str(stdnum_imo.compact(text))
    return compact if compact.isascii() and compact.isdigit() else None


def normalise_transaction(text: str) -> str | None:
    """Normalise a transaction reference: a blockchain transaction id or a UETR.

    A transaction id is 64 hexadecimal digits (a bitcoin txid; an ``0x``
    prefix, as Ethereum writes hashes, is dropped), lower-cased; a UETR (the
    end-to-end reference of a SWIFT gpi or ISO 20022 payment) is a version-4
    UUID, written lower-case with hyphens.

    Returns:
        ``txid|<hex>`` or ``uetr|<uuid>`` (two key parts), or ``None``.
    """
    text = text.strip()
    txid = _HEX_64.fullmatch(text)
    if txid:
        return f"txid{SEPARATOR}{txid.group(1).lower()}"
    if _UUID.fullmatch(text):
        reference = uuid.UUID(text)
        if reference.version == _UUID_VERSION_4 and reference.variant == uuid.RFC_4122:
            return f"uetr{SEPARATOR}{reference}"
    return None


def normalise_organisation_name(text: str) -> str:
    """Normalise an organisation's name: folded tokens without legal forms, sorted.

    Dots are removed before splitting, so ``L.L.C.`` is the word ``llc``. When
    every word is a legal form, none is dropped.

    Returns:
        The normalised name, or ``""`` when it has no letter or digit.
    """
    tokens = name_tokens(text.replace(".", ""))
    kept = [token for token in tokens if token not in LEGAL_FORMS] or tokens
    return " ".join(sorted(kept))


def derive_identifier_keys(record: Record) -> tuple[MatchKey, ...]:
    """Derive the identifier keys of one record (``docs/keyspec.md``).

    Args:
        record: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value.
    """
    return tuple(sorted(set(_identifier_keys(record))))


def derive_record_keys(record: Record, role: KeyRole = KeyRole.LISTED) -> tuple[MatchKey, ...]:
    """Derive every key a node imports or queries for one record.

    A person gives the key spec v3 keys (on ``role``'s side) for each of its first
    :data:`MAX_DATES_OF_BIRTH` dates of birth (for none when it has none);
    an organisation or a vessel gives v3's identifier keys only (phones,
    e-mails, IBANs, wallets: never a name with a date of birth, with its
    ``country`` as the region of national phone numbers); both give
    :func:`derive_identifier_keys`.

    Returns:
        The keys, deduplicated and sorted by kind then value.
    """
    keys = set(_identifier_keys(record))
    if record.entity_type is EntityType.PERSON:
        for date in record.dates_of_birth[:MAX_DATES_OF_BIRTH] or ("",):
            one_date = dataclasses.replace(record, date_of_birth=date, other_dates_of_birth=())
            keys.update(derive_keys_v3(one_date, role))
    else:
        identifiers_only = dataclasses.replace(
            record,
            full_name="",
            aliases=(),
            date_of_birth="",
            other_dates_of_birth=(),
            nationality=record.country or record.nationality,
        )
        keys.update(derive_keys_v3(identifiers_only, role))
    return tuple(sorted(keys))


def _identifier_keys(record: Record) -> Iterator[MatchKey]:
    country = normalise_country(record.country or record.nationality)
    for number in record.document_numbers:
        yield from _key(KeyKind.DOCUMENT_NUMBER, normalise_id(number))
    if record.entity_type is EntityType.ORGANISATION and country is not None:
        names = dict.fromkeys(name for name in (record.full_name, *record.aliases) if name)
        for name in list(names)[:MAX_NAMES_V2]:
            yield from _key(KeyKind.ORGANISATION, country, normalise_organisation_name(name))
    if country is not None:
        for number in record.registration_numbers:
            yield from _key(KeyKind.REGISTRATION, country, normalise_id(number))
    for code in record.leis:
        yield from _key(KeyKind.LEI, normalise_lei(code))
    for number in record.imo_numbers:
        yield from _key(KeyKind.IMO, normalise_imo(number))
    for reference in record.transactions:
        yield from _key(KeyKind.TRANSACTION, normalise_transaction(reference))


def _key(kind: KeyKind, *parts: str | None) -> Iterator[MatchKey]:
    """Yield one key, or nothing when a part is missing (``None`` or empty)."""
    present = [part for part in parts if part]
    if len(present) == len(parts):
        value = SEPARATOR.join((KEY_SPEC_VERSION, kind.value, *present))
        yield MatchKey(kind, value, KIND_STRENGTHS[kind])
