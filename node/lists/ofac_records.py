"""OFAC list entries as records: each individual with names, aliases, date of birth, documents.

:mod:`.ofac` parses the XML; this module maps what a match can use. A person
(``sdnType`` ``Individual``) becomes one :class:`~core.records.Record` whose
ref is ``ofac-<uid>``. As with FollowTheMoney (:mod:`node.ftm`), a value that
no key could use is dropped, not rejected: published lists carry "Gender"
rows, dates such as "1960 to 1962" and countries such as "Palestinian".
Every date of birth is read (a range of at most five years as its years, at
most :data:`~crypto.entity_keys.MAX_DATES_OF_BIRTH`). An ``Entity`` is an
organisation, a ``Vessel`` a vessel (IMO from its ids, flag from
``vesselInfo``); aircraft are parsed but give no record.
``docs/input-format.md`` lists the fields read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import BinaryIO

from liaison.core.records import EntityType, Record
from liaison.crypto import entity_keys, identifiers, keys
from liaison.node.lists.ofac import OfacEntry, parse_ofac

REF_PREFIX = "ofac-"

ALIAS_KINDS = frozenset({"a.k.a.", "f.k.a.", "n.k.a."})
"""Alias types read; OFAC's ``weak`` aliases (broad nicknames) are not."""

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_MONTH_YEAR = re.compile(
    r"(?:(?:circa|ca\.?)\s+)?(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})\s+)?(\d{4})"
)

_RANGE = re.compile(r"(\d{4})\s+to\s+(\d{4})")
MAX_YEAR_RANGE = 5
"""Most years a ``1960 to 1962`` date of birth spans to be read (as the UN reader)."""
_REGISTRATION = re.compile(r"registration (id|number)|unified social credit", re.IGNORECASE)
_LEI = re.compile(r"legal entity number", re.IGNORECASE)
_IMO = re.compile(r"\bIMO\b|vessel registration", re.IGNORECASE)
_WALLET = re.compile(r"digital currency address", re.IGNORECASE)
_IBAN = re.compile(r"\bIBAN\b", re.IGNORECASE)
_PASSPORT = re.compile(r"passport", re.IGNORECASE)
_NATIONAL_ID = re.compile(r"national id|cedula|identification number|personal id", re.IGNORECASE)


def read_ofac(stream: BinaryIO, source: str) -> list[Record]:
    """Parse an OFAC ``sdnList`` XML file and map its individuals to records.

    Args:
        stream: The file, opened in binary mode.
        source: How to name the input in error messages.

    Returns:
        One record per individual, in file order.

    Raises:
        InvalidInput: The XML is malformed or an entry lacks uid, type or name.
    """
    return [record for _, record in read_ofac_numbered(stream, source)]


def read_ofac_numbered(stream: BinaryIO, source: str) -> list[tuple[int, Record]]:
    """Like :func:`read_ofac`, each record with the line its entry starts on.

    Raises:
        InvalidInput: as :func:`read_ofac`.
    """
    return [
        (entry.line, record)
        for entry in parse_ofac(stream, source)
        for record in [entry_record(entry)]
        if record is not None
    ]


def entry_record(entry: OfacEntry) -> Record | None:
    """An individual, entity or vessel as a record; ``None`` for an aircraft."""
    if entry.is_person:
        return person_record(entry)
    if entry.sdn_type in ("Entity", "Vessel"):
        return entity_record(entry)
    return None


def entity_record(entry: OfacEntry) -> Record:
    """Map an entity or a vessel: name, aliases, country, registration, LEI, IMO, wallets.

    Args:
        entry: An entry whose ``sdn_type`` is ``Entity`` or ``Vessel``.

    Returns:
        The record (``ref`` ``ofac-<uid>``).
    """
    full_name = _join(entry.first_name, entry.last_name)
    vessel = entry.sdn_type == "Vessel"
    flags = (entry.vessel_flag,) if vessel else ()
    country = next((c for c in (*flags, *entry.countries) if identifiers.normalise_country(c)), "")
    return Record(
        ref=f"{REF_PREFIX}{entry.uid}",
        entity_type=EntityType.VESSEL if vessel else EntityType.ORGANISATION,
        full_name=full_name,
        aliases=_aliases(entry, full_name),
        country=country,
        registration_numbers=_kept(entry, _REGISTRATION, identifiers.normalise_id),
        leis=_kept(entry, _LEI, entity_keys.normalise_lei),
        imo_numbers=_kept(entry, _IMO, entity_keys.normalise_imo) if vessel else (),
        wallets=_kept(entry, _WALLET, identifiers.normalise_wallet),
        ibans=_kept(entry, _IBAN, identifiers.normalise_iban),
    )


def _kept(
    entry: OfacEntry, kind: re.Pattern[str], normalise: Callable[[str], str | None]
) -> tuple[str, ...]:
    values = (
        row.number.removeprefix("IMO").strip() for row in entry.ids if kind.search(row.id_type)
    )
    return tuple(dict.fromkeys(value for value in values if normalise(value)))


def _aliases(entry: OfacEntry, full_name: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            name
            for aka in entry.akas
            if aka.kind in ALIAS_KINDS and aka.category != "weak"
            for name in (_join(aka.first_name, aka.last_name),)
            if name and name != full_name
        )
    )


def ofac_dates(written: Iterable[str]) -> list[str]:
    """Every date of birth: single dates, short ranges as their years, at most the key bound."""
    dates: list[str] = []
    for text in written:
        single = ofac_date(text)
        if single:
            dates.append(single)
            continue
        span = _RANGE.fullmatch(text.strip())
        if span and 0 <= int(span[2]) - int(span[1]) < MAX_YEAR_RANGE:
            dates.extend(str(year) for year in range(int(span[1]), int(span[2]) + 1))
    return list(dict.fromkeys(dates))[: entity_keys.MAX_DATES_OF_BIRTH]


def person_records(entries: Iterable[OfacEntry]) -> list[Record]:
    """Map the individuals among ``entries`` to records (other entries are skipped).

    Args:
        entries: Parsed entries.

    Returns:
        One record per individual, in order.
    """
    return [person_record(entry) for entry in entries if entry.is_person]


def person_record(entry: OfacEntry) -> Record:
    """Map one individual: full name, strong aliases, dates of birth, documents, nationality.

    Args:
        entry: An entry whose ``sdn_type`` is ``Individual``.

    Returns:
        The record (``ref`` ``ofac-<uid>``).
    """
    full_name = _join(entry.first_name, entry.last_name)
    aliases = _aliases(entry, full_name)
    dates = ofac_dates(entry.dates_of_birth)
    passports = [row for row in entry.ids if _PASSPORT.search(row.id_type)]
    nationality = next(
        (
            country
            for country in (*entry.nationalities, *entry.citizenships)
            if identifiers.normalise_country(country)
        ),
        "",
    )
    return Record(
        ref=f"{REF_PREFIX}{entry.uid}",
        full_name=full_name,
        date_of_birth=dates[0] if dates else "",
        other_dates_of_birth=tuple(dates[1:]),
        nationality=nationality,
        document_numbers=tuple(row.number for row in passports),
        # Position by position; a document without a country keeps its place.
        document_countries=tuple(row.country for row in passports)
        if any(row.country for row in passports)
        else (),
        national_ids=tuple(row.number for row in entry.ids if _NATIONAL_ID.search(row.id_type)),
        aliases=aliases,
    )


def ofac_date(text: str) -> str:
    """A date of birth as OFAC writes it, in the input format (``YYYY[-MM[-DD]]``).

    ``08 Feb 1980`` → ``1980-02-08``, ``Feb 1980`` → ``1980-02``, ``1962``
    and ``circa 1962`` → ``1962``; a range (``1960 to 1962``) or anything else
    gives ``""``.

    Args:
        text: The date as written.

    Returns:
        The date, or ``""`` when it is not one date.
    """
    match = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if match is None:
        return ""
    day, month_name, year = match.groups()
    month = _MONTHS.get(month_name.lower()) if month_name else None
    if (month_name and month is None) or (day and not month):
        return ""
    date = year if month is None else f"{year}-{month:02d}"
    if day:
        date += f"-{int(day):02d}"
    return date if keys.normalise_date_of_birth(date) else ""


def _join(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split())
