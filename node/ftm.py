"""FollowTheMoney import: persons, organisations and vessels (with what they hold) as records.

FollowTheMoney (FtM) is the entity format of OpenSanctions and Aleph: one JSON
object a line, ``{"id": ..., "schema": "Person", "properties": {"name": [...],
...}}``, every property a list of strings. One ``Person``, organisation
(``Company``, ``Organization``, ``LegalEntity``, ``PublicBody``) or
``Vessel`` becomes one :class:`~core.records.Record` (ref = entity id);
``Passport``, ``Identification`` and ``CryptoWallet`` entities join their
holder by ``holder`` id, a ``BankAccount`` its owner through an
``Ownership`` (``owner``, ``asset``). Other schemas (sanctions, addresses...)
are skipped.

As with the canonical formats (:mod:`node.records`), a file is accepted whole
or not at all (:mod:`node.problems`), and messages name lines and properties,
never values. The rule differs for values: sanctions data carries values that give no key ("TIN:
1831...", territory codes outside ISO 3166), so a value that no key could use
is dropped rather than rejected; only the file's structure is checked.
``docs/matching.md`` lists which properties are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType, Record
from liaison.crypto import entity_keys, identifiers, keys
from liaison.node.problems import (
    CONTROL_CHARACTER,
    Problem,
    bounded_lines,
    has_control_character,
    json_line,
    report,
)

PERSON = "Person"
SUBJECT_SCHEMAS = {
    PERSON: EntityType.PERSON,
    "Company": EntityType.ORGANISATION,
    "Organization": EntityType.ORGANISATION,
    "LegalEntity": EntityType.ORGANISATION,
    "PublicBody": EntityType.ORGANISATION,
    "Vessel": EntityType.VESSEL,
}
"""The schemas that become records, and what each describes."""

DOCUMENT_SCHEMAS = frozenset({"Passport", "Identification"})
WALLET_SCHEMA = "CryptoWallet"
ACCOUNT_SCHEMA = "BankAccount"
OWNERSHIP_SCHEMA = "Ownership"
ATTACHED_SCHEMAS = DOCUMENT_SCHEMAS | {WALLET_SCHEMA, ACCOUNT_SCHEMA, OWNERSHIP_SCHEMA}

COUNTRY_PROPERTIES = {
    EntityType.ORGANISATION: ("jurisdiction", "country", "mainCountry"),
    EntityType.VESSEL: ("flag",),
}
"""Where an organisation's country and a vessel's flag are read, first resolvable first."""

NAME_PROPERTIES = ("name", "alias", "previousName")
"""Names, in this order: the first ``name`` is the full name, the rest aliases.

``weakAlias`` (nicknames, ``Abu X``) is not read: too weak for a hit.
"""

PART_PROPERTIES = ("firstName", "secondName", "middleName", "fatherName", "lastName")
"""Joined into a name when an entity has no ``name``."""


@dataclass(slots=True)
class _Person:
    """What one person, organisation or vessel entity (and what points at it) says."""

    line: int
    properties: Mapping[str, list[str]]
    entity_type: EntityType = EntityType.PERSON
    documents: list[tuple[str, str | None]] = field(default_factory=list)
    national_ids: list[str] = field(default_factory=list)
    wallets: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)


def parse_ftm(lines: Iterable[str], source: str) -> list[Record]:
    """Parse FollowTheMoney JSON lines into records, one per person, organisation or vessel.

    Args:
        lines: The lines of the file (an open text file works).
        source: How to name the input in error messages.

    Returns:
        One record per person, organisation or vessel entity, in file order.

    Raises:
        InvalidInput: A line is not a JSON object, an entity lacks an id or a
            schema, a property is not a list of strings, an id repeats, or the
            file has no person, organisation or vessel (the message lists
            every problem).
    """
    return [record for _, record in parse_ftm_numbered(lines, source)]


def parse_ftm_numbered(lines: Iterable[str], source: str) -> list[tuple[int, Record]]:
    """Like :func:`parse_ftm`, each record with the line of its entity.

    Raises:
        InvalidInput: as :func:`parse_ftm`.
    """
    problems: list[Problem] = []
    people: dict[str, _Person] = {}
    attachments: list[tuple[str, str, Mapping[str, list[str]]]] = []
    seen: dict[str, int] = {}
    for line, text in enumerate(bounded_lines(lines, source), start=1):
        if not text.strip():
            continue
        entity = _entity(text.removeprefix("\ufeff"), line, problems)
        if entity is None:
            continue
        entity_id, schema, properties = entity
        if entity_id in seen:
            problems.append(Problem(line, "id", f"same id as line {seen[entity_id]}"))
            continue
        seen[entity_id] = line
        if schema in SUBJECT_SCHEMAS:
            people[entity_id] = _Person(line, properties, SUBJECT_SCHEMAS[schema])
        elif schema in ATTACHED_SCHEMAS:
            attachments.append((entity_id, schema, properties))
    if problems:
        raise InvalidInput(report(problems, source))
    accounts = {
        entity_id: properties
        for entity_id, schema, properties in attachments
        if schema == ACCOUNT_SCHEMA
    }
    for _, schema, properties in attachments:
        _attach(schema, properties, people, accounts)
    if not people:
        raise InvalidInput(f"{source}: no Person, organisation or Vessel entity")
    return [(person.line, _identity(entity_id, person)) for entity_id, person in people.items()]


def _entity(
    text: str, line: int, problems: list[Problem]
) -> tuple[str, str, Mapping[str, list[str]]] | None:
    decoded, value = json_line(text, line, problems)
    if not decoded:
        return None
    if not isinstance(value, dict):
        problems.append(Problem(line, "json", "expected a JSON object (one entity a line)"))
        return None
    entity_id, schema, properties = (
        value.get("id"),
        value.get("schema"),
        value.get("properties", {}),
    )
    before = len(problems)
    if not isinstance(entity_id, str) or not entity_id.strip():
        problems.append(Problem(line, "id", "missing or not a string"))
    if not isinstance(schema, str) or not schema:
        problems.append(Problem(line, "schema", "missing or not a string"))
    if not isinstance(properties, dict):
        problems.append(Problem(line, "properties", "expected an object"))
    elif not all(_is_list_of_strings(values) for values in properties.values()):
        bad = sorted(name for name, values in properties.items() if not _is_list_of_strings(values))
        # Property names come from the FtM model, not from the data; still,
        # only the first few, and only those that look like identifiers.
        named = ", ".join(name for name in bad[:3] if name.isidentifier()) or "a property"
        problems.append(Problem(line, "properties", f"{named}: expected a list of strings"))
    if len(problems) > before:
        return None
    assert isinstance(entity_id, str) and isinstance(schema, str) and isinstance(properties, dict)
    _check_controls(entity_id, properties, line, problems)
    if len(problems) > before:
        return None
    return entity_id.strip(), schema, properties


def _check_controls(
    entity_id: str, properties: Mapping[str, list[str]], line: int, problems: list[Problem]
) -> None:
    if has_control_character(entity_id):
        problems.append(Problem(line, "id", CONTROL_CHARACTER))
    for name, values in properties.items():
        if any(has_control_character(value) for value in values):
            named = name if name.isidentifier() else "a property"
            problems.append(Problem(line, "properties", f"{named}: {CONTROL_CHARACTER}"))


def _is_list_of_strings(values: object) -> bool:
    return isinstance(values, list) and all(isinstance(item, str) for item in values)


def _attach(
    schema: str,
    properties: Mapping[str, list[str]],
    people: dict[str, _Person],
    accounts: Mapping[str, Mapping[str, list[str]]],
) -> None:
    """Give a document or wallet to each record it names as holder, an account to its owner."""
    if schema == OWNERSHIP_SCHEMA:
        for owner in properties.get("owner", []):
            for asset in properties.get("asset", []):
                if owner in people and asset in accounts:
                    people[owner].ibans.extend(accounts[asset].get("iban", []))
        return
    if schema == ACCOUNT_SCHEMA:
        return  # joins its owner through an Ownership
    for holder in properties.get("holder", []):
        person = people.get(holder)
        if person is None:
            continue  # held by a company, or by an entity outside this file
        if schema == WALLET_SCHEMA:
            person.wallets.extend(properties.get("publicKey", []))
            continue
        countries = properties.get("country", [])
        country = countries[0] if len(countries) == 1 else None
        numbers = properties.get("number", []) + properties.get("passportNumber", [])
        if schema == "Passport":
            person.documents.extend((number, country) for number in numbers)
        else:
            person.national_ids.extend(numbers)


def _identity(entity_id: str, person: _Person) -> Record:
    properties = person.properties
    if person.entity_type is not EntityType.PERSON:
        return _entity_identity(entity_id, person)
    nationality = _first(
        [value for prop in ("nationality", "citizenship") for value in properties.get(prop, [])],
        identifiers.normalise_country,
    )
    region = identifiers.normalise_country(nationality)
    names = _names(properties)
    numbers, countries = _documents(properties, person)
    dates = _kept([value[:10] for value in properties.get("birthDate", [])], _date)
    return Record(
        ref=entity_id,
        full_name=names[0] if names else "",
        date_of_birth=dates[0] if dates else "",
        other_dates_of_birth=dates[1:],
        nationality=nationality,
        document_numbers=numbers,
        document_countries=countries,
        national_ids=_kept(properties.get("idNumber", []) + person.national_ids, _id)
        if region
        else (),
        phones=_kept(
            properties.get("phone", []), lambda phone: identifiers.normalise_phone(phone, region)
        ),
        emails=_kept(properties.get("email", []), identifiers.normalise_email),
        ibans=_kept(properties.get("ibanCode", []) + person.ibans, identifiers.normalise_iban),
        wallets=_kept(person.wallets, identifiers.normalise_wallet),
        aliases=names[1:],
        leis=_kept(properties.get("leiCode", []), entity_keys.normalise_lei),
    )


def _entity_identity(entity_id: str, entity: _Person) -> Record:
    """An organisation or a vessel: names, country, its identifiers, what it holds."""
    properties = entity.properties
    country = _first(
        [
            value
            for prop in COUNTRY_PROPERTIES[entity.entity_type]
            for value in properties.get(prop, [])
        ],
        identifiers.normalise_country,
    )
    region = identifiers.normalise_country(country)
    names = _names(properties)
    return Record(
        ref=entity_id,
        entity_type=entity.entity_type,
        full_name=names[0] if names else "",
        aliases=names[1:],
        country=country,
        registration_numbers=_kept(properties.get("registrationNumber", []), _id) if region else (),
        leis=_kept(properties.get("leiCode", []), entity_keys.normalise_lei),
        imo_numbers=_kept(properties.get("imoNumber", []), entity_keys.normalise_imo),
        phones=_kept(
            properties.get("phone", []), lambda phone: identifiers.normalise_phone(phone, region)
        ),
        emails=_kept(properties.get("email", []), identifiers.normalise_email),
        ibans=_kept(properties.get("ibanCode", []) + entity.ibans, identifiers.normalise_iban),
        wallets=_kept(entity.wallets, identifiers.normalise_wallet),
    )


def _names(properties: Mapping[str, list[str]]) -> tuple[str, ...]:
    """Every distinct name with a letter or digit: ``name``, ``alias``, ``previousName``.

    A value holding several spellings separated by ``;`` gives each of them.
    """
    names = [
        spelling.strip()
        for prop in NAME_PROPERTIES
        for name in properties.get(prop, [])
        for spelling in name.split(";")
    ]
    if not names:
        parts = [properties.get(prop, [""])[0].strip() for prop in PART_PROPERTIES]
        names = [" ".join(part for part in parts if part)]
    return tuple(dict.fromkeys(name for name in names if keys.normalise_name(name)))


def _documents(
    properties: Mapping[str, list[str]], person: _Person
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Document numbers and, when every one has a known issuer, their countries.

    Otherwise the nationality issues them all (``docs/keyspec.md``); with no
    nationality either, the numbers still give number-only keys.
    """
    listed: list[tuple[str, str | None]] = [
        (number, None) for number in properties.get("passportNumber", [])
    ]
    documents = [
        (number.strip(), country) for number, country in listed + person.documents if _id(number)
    ]
    countries = [
        country for _, country in documents if country and identifiers.normalise_country(country)
    ]
    numbers = tuple(number for number, _ in documents)
    if documents and len(countries) == len(documents):
        return numbers, tuple(countries)
    return numbers, ()


def _id(text: str) -> str | None:
    return identifiers.normalise_id(text) or None


def _date(text: str) -> str | None:
    return keys.normalise_date_of_birth(text)


def _first(values: Iterable[str], normalise: Callable[[str], str | None]) -> str:
    """The first value (stripped) that ``normalise`` accepts, or ``""``."""
    for value in values:
        if normalise(value.strip()):
            return value.strip()
    return ""


def _kept(values: Iterable[str], normalise: Callable[[str], str | None]) -> tuple[str, ...]:
    """The distinct values (stripped) that give a key, in file order."""
    return tuple(dict.fromkeys(value.strip() for value in values if normalise(value.strip())))
