"""The UN Security Council consolidated list (XML, as published) as records.

The list (``CONSOLIDATED_LIST``, schema ``sc-sanctions.xsd``) holds
``INDIVIDUAL`` and ``ENTITY`` elements. Each becomes one
:class:`~core.records.Record`, ref = its ``DATAID``:

* name: ``FIRST_NAME`` to ``FOURTH_NAME`` joined; ``NAME_ORIGINAL_SCRIPT``
  and every ``INDIVIDUAL_ALIAS`` / ``ENTITY_ALIAS`` of quality "Good" (or
  none) are aliases, several spellings in one ``ALIAS_NAME`` split on ``;``;
  "Low" quality aliases are not read (as FollowTheMoney's ``weakAlias``);
* ``NATIONALITY``: the first value that resolves (names, codes, demonyms);
* ``INDIVIDUAL_DATE_OF_BIRTH``: every one, ``DATE`` (YYYY-MM-DD), ``YEAR``,
  or the years ``FROM_YEAR`` to ``TO_YEAR`` (at most five);
* ``INDIVIDUAL_DOCUMENT``: a national identification number is a national
  id, any other document a document number, with its ``ISSUING_COUNTRY``
  (or ``COUNTRY_OF_ISSUE``), else the nationality, else none (a number-only
  key);
* an ``ENTITY`` is an organisation, its country that of its first
  ``ENTITY_ADDRESS``; one whose comments give an IMO number (``IMO:
  9074729``, as vessels are listed) is a vessel with that number.

As for FollowTheMoney (:mod:`node.ftm`), a value that gives no key (an
unknown country, a malformed document number) is dropped; the file is
rejected whole, naming line and reason, when a record has no ``DATAID``,
repeats one, has no name, holds a date that is not one, a control character,
or when the XML is malformed. ``docs/input-format.md`` describes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType, Record
from liaison.crypto import entity_keys, identifiers, keys
from liaison.node.lists.xml_events import Element, records
from liaison.node.problems import CONTROL_CHARACTER, Problem, has_control_character, report

INDIVIDUAL = "INDIVIDUAL"
ENTITY = "ENTITY"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
WEAK_QUALITY = "low"
MAX_YEAR_RANGE = 5
"""Most years a ``FROM_YEAR``..``TO_YEAR`` date of birth spans to be read."""

#: Tags of the published schema: a message names one of these, never another
#: tag (a tag of a hostile file may hold data).
KNOWN_TAGS = frozenset(
    {INDIVIDUAL, ENTITY, "DATAID", "VERSIONNUM", *NAME_PARTS, "UN_LIST_TYPE", "REFERENCE_NUMBER"}
    | {"LISTED_ON", "COMMENTS1", "DESIGNATION", "TITLE", "NATIONALITY", "LIST_TYPE", "VALUE"}
    | {"LAST_DAY_UPDATED", "NAME_ORIGINAL_SCRIPT", "INDIVIDUAL_ALIAS", "ENTITY_ALIAS"}
    | {"QUALITY", "ALIAS_NAME", "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS", "STREET", "CITY"}
    | {"STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE", "INDIVIDUAL_DATE_OF_BIRTH"}
    | {"TYPE_OF_DATE", "DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "INDIVIDUAL_PLACE_OF_BIRTH"}
    | {"INDIVIDUAL_DOCUMENT", "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2", "NUMBER"}
    | {"ISSUING_COUNTRY", "COUNTRY_OF_ISSUE", "DATE_OF_ISSUE", "CITY_OF_ISSUE"}
    | {"SORT_KEY", "SORT_KEY_LAST_MOD", "SUBMITTED_BY", "GENDER"}
)

_IMO_IN_COMMENTS = re.compile(r"\bIMO(?:\s+number)?\s*[:.]?\s*([0-9]{7})\b", re.IGNORECASE)
_NATIONAL_ID = re.compile(r"national\s+identi", re.IGNORECASE)


def parse_un(chunks: Iterable[bytes], source: str) -> list[tuple[int, Record]]:
    """Parse the UN consolidated list: one record per individual or entity.

    Args:
        chunks: The file's bytes, in pieces.
        source: How to name the input in error messages.

    Returns:
        ``(line, record)`` per ``INDIVIDUAL`` and ``ENTITY``, in file order.

    Raises:
        InvalidInput: Malformed XML, or a record without ``DATAID`` or name,
            a repeated ``DATAID``, a bad date or a control character (the
            message lists every problem), or no record at all.
    """
    problems: list[Problem] = []
    parsed: list[tuple[int, Record]] = []
    seen: dict[str, int] = {}
    for element in records(chunks, frozenset({INDIVIDUAL, ENTITY}), source):
        record = _record(element, problems)
        if record is None:
            continue
        if record.ref in seen:
            problems.append(
                Problem(element.line, "DATAID", f"same DATAID as line {seen[record.ref]}")
            )
            continue
        seen[record.ref] = element.line
        parsed.append((element.line, record))
    if problems:
        raise InvalidInput(report(problems, source))
    if not parsed:
        raise InvalidInput(f"{source}: no INDIVIDUAL or ENTITY element")
    return parsed


def _record(element: Element, problems: list[Problem]) -> Record | None:
    before = len(problems)
    for child in _walk(element):
        if has_control_character(child.text):
            field = child.tag if child.tag in KNOWN_TAGS else "element"
            problems.append(Problem(child.line, field, CONTROL_CHARACTER))
    ref = element.text_of("DATAID")
    if not ref:
        problems.append(Problem(element.line, "DATAID", "missing (every record needs one)"))
    names = _names(element)
    if not names:
        problems.append(Problem(element.line, "FIRST_NAME", "no name with a letter or digit"))
    dates = _dates_of_birth(element, problems) if element.tag == INDIVIDUAL else []
    if len(problems) > before:
        return None
    if element.tag == ENTITY:
        return _entity(element, ref, names)
    nationality = _first_country(v for n in element.all("NATIONALITY") for v in n.texts_of("VALUE"))
    numbers, countries, national_ids = _documents(element, nationality)
    return Record(
        ref=ref,
        full_name=names[0],
        aliases=names[1:],
        date_of_birth=dates[0] if dates else "",
        other_dates_of_birth=tuple(dates[1:]),
        nationality=nationality,
        document_numbers=numbers,
        document_countries=countries,
        national_ids=national_ids if nationality else (),
    )


def _entity(element: Element, ref: str, names: tuple[str, ...]) -> Record:
    country = _first_country(a.text_of("COUNTRY") for a in element.all("ENTITY_ADDRESS"))
    comments = " ".join(element.texts_of("COMMENTS1"))
    imo_numbers = tuple(
        dict.fromkeys(n for n in _IMO_IN_COMMENTS.findall(comments) if entity_keys.normalise_imo(n))
    )
    return Record(
        ref=ref,
        entity_type=EntityType.VESSEL if imo_numbers else EntityType.ORGANISATION,
        full_name=names[0],
        aliases=names[1:],
        country=country,
        imo_numbers=imo_numbers,
    )


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element.children:
        yield from _walk(child)


def _names(element: Element) -> tuple[str, ...]:
    full = " ".join(part for part in (element.text_of(tag) for tag in NAME_PARTS) if part)
    spellings = [full, element.text_of("NAME_ORIGINAL_SCRIPT")]
    for alias in element.all(f"{element.tag}_ALIAS"):
        if alias.text_of("QUALITY").strip().lower() == WEAK_QUALITY:
            continue
        spellings.extend(alias.text_of("ALIAS_NAME").split(";"))
    cleaned = (" ".join(spelling.split()) for spelling in spellings)
    return tuple(dict.fromkeys(name for name in cleaned if keys.normalise_name(name)))


def _dates_of_birth(element: Element, problems: list[Problem]) -> list[str]:
    dates: list[str] = []
    for birth in element.all("INDIVIDUAL_DATE_OF_BIRTH"):
        written = [(tag, birth.text_of(tag)) for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR")]
        for tag, value in written:
            if value and keys.normalise_date_of_birth(value[:10]) is None:
                problems.append(Problem(birth.line, tag, "not a date (YYYY-MM-DD or YYYY)"))
                return []
        date, year, start, end = (value for _, value in written)
        if date:
            dates.append(date[:10])
        elif year:
            dates.append(year)
        elif start and end and 0 <= int(end[:4]) - int(start[:4]) < MAX_YEAR_RANGE:
            dates.extend(str(y) for y in range(int(start[:4]), int(end[:4]) + 1))
    return list(dict.fromkeys(dates))


def _documents(
    element: Element, nationality: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Document numbers with their countries aligned (``""`` when none), national ids."""
    numbers: list[str] = []
    countries: list[str] = []
    national_ids: list[str] = []
    for document in element.all("INDIVIDUAL_DOCUMENT"):
        number = document.text_of("NUMBER")
        if not identifiers.normalise_id(number):
            continue
        kind = f"{document.text_of('TYPE_OF_DOCUMENT')} {document.text_of('TYPE_OF_DOCUMENT2')}"
        if _NATIONAL_ID.search(kind):
            national_ids.append(number)
            continue
        issuer = _first_country(
            [document.text_of("ISSUING_COUNTRY"), document.text_of("COUNTRY_OF_ISSUE")]
        )
        numbers.append(number)
        countries.append(issuer or nationality)
    if not any(countries):
        countries = []
    return tuple(numbers), tuple(countries), tuple(national_ids)


def _first_country(values: Iterable[str]) -> str:
    for value in values:
        if value.strip() and identifiers.normalise_country(value.strip()):
            return value.strip()
    return ""
