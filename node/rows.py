"""The schema of the canonical input format, and one row checked into a Record.

One row (CSV cells or a JSON Lines object) is one
:class:`~core.records.Record`; the columns (CSV header = JSON keys) are
:data:`COLUMNS`, of which only ``ref`` is required, plus :data:`ALIASES`.
Several values of one kind are separated by ``;``. Values are validated with
the key spec's own normalisers, so every accepted value yields a match key
except where ``docs/keyspec.md`` says otherwise (names without a full date
of birth). The parsers are in :mod:`node.records`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType, Record
from liaison.crypto import entity_keys, identifiers, keys
from liaison.node.details import details_of, is_detail_column
from liaison.node.problems import (
    CONTROL_CHARACTER,
    Problem,
    has_control_character,
    json_type,
    raise_if,
    report,
)

COLUMNS = (
    "ref",
    "full_name",
    "date_of_birth",
    "nationality",
    "document_number",
    "document_country",
    "national_id",
    "phone",
    "email",
    "iban",
    "wallet",
)
"""The schema, in documentation order: CSV header names and JSON keys."""

ALIASES = "aliases"
"""Other names of the person, ``;``-separated; key spec v2 derives keys from each."""

ENTITY_COLUMNS = ("type", "country", "registration_number", "lei", "imo", "transaction")
"""Columns for organisations, vessels and transactions (identifier keys)."""

ACCEPTED_COLUMNS = (*COLUMNS, ALIASES, *ENTITY_COLUMNS)
"""Every column the parser accepts: the v1 schema, the aliases, the entity columns."""

SINGLE_VALUED = frozenset({"ref", "nationality", "type", "country"})
VALUE_SEPARATOR = ";"

ENTITY_TYPES = {
    "person": EntityType.PERSON,
    "organisation": EntityType.ORGANISATION,
    "organization": EntityType.ORGANISATION,
    "vessel": EntityType.VESSEL,
}
"""The ``type`` column's words (empty: a person)."""

_UNKNOWN_COUNTRY = "unknown country (use an ISO 3166 alpha-2 or alpha-3 code, or the English name)"


def unknown_name(name: str) -> str:
    """Explain an unknown column or key without repeating it (it may be data)."""
    if not name:
        return "empty name"
    close = difflib.get_close_matches(name.lower(), ACCEPTED_COLUMNS, n=1)
    if close:
        return f"unknown name (did you mean '{close[0]}'?)"
    return "unknown name (the schema is in docs/input-format.md)"


def record_from_mapping(mapping: Mapping[str, object], line: int) -> Record:
    """Validate one row (CSV cells or a JSON object) and build its record.

    Args:
        mapping: Column name to value: a string, a list of strings or ``None``.
        line: The row's first physical line, for messages.

    Returns:
        The record, values stripped of surrounding blanks but not normalised.

    Raises:
        InvalidInput: The row is invalid; the message lists every problem.
    """
    problems: list[Problem] = []
    record = _identity(mapping, line, problems)
    if record is None:
        raise InvalidInput(report(problems, f"line {line}"))
    return record


def rows_to_records(
    rows: list[tuple[int, Mapping[str, object]]], problems: list[Problem], source: str
) -> list[Record]:
    """Build the records of a file's rows, or reject the file whole.

    Args:
        rows: Each row's first physical line and its values.
        problems: The problems the parser already found; this adds each row's.
        source: How to name the input in error messages.

    Returns:
        One record per row, in order.

    Raises:
        InvalidInput: Any problem was found (the message lists them all), or
            there is no row.
    """
    return [record for _, record in numbered_records(rows, problems, source)]


def numbered_records(
    rows: Iterable[tuple[int, Mapping[str, object]]], problems: list[Problem], source: str
) -> list[tuple[int, Record]]:
    """Like :func:`rows_to_records`, each record with its row's first line.

    Raises:
        InvalidInput: as :func:`rows_to_records`.
    """
    return list(iter_numbered_records(rows, problems, source))


def iter_records(
    rows: Iterable[tuple[int, Mapping[str, object]]], problems: list[Problem], source: str
) -> Iterator[Record]:
    """Yield the records of :func:`iter_numbered_records`, without their lines."""
    for _, record in iter_numbered_records(rows, problems, source):
        yield record


def iter_numbered_records(
    rows: Iterable[tuple[int, Mapping[str, object]]], problems: list[Problem], source: str
) -> Iterator[tuple[int, Record]]:
    """Yield each record of a file's rows with its line as they come; reject the file at its end.

    The streaming form of :func:`rows_to_records`: a consumer that keeps
    nothing until the end (a staged import) reads a file of any size in
    bounded memory, and still gets every problem of the file at once, as
    the :class:`~core.errors.InvalidInput` raised after the last row.

    Raises:
        InvalidInput: Any problem was found (the message lists them all), or
            there is no row.
    """
    count = 0
    first_line_of_ref: dict[str, int] = {}
    for line, mapping in rows:
        record = _identity(mapping, line, problems)
        if record is not None:
            count += 1
            yield line, record
        # Checked on the raw ref so that a duplicate of an invalid row is
        # reported in the same run, not after the user fixes that row.
        ref = mapping.get("ref")
        if not isinstance(ref, str) or not ref.strip():
            continue
        if ref.strip() in first_line_of_ref:
            reason = f"same ref as line {first_line_of_ref[ref.strip()]}"
            problems.append(Problem(line, "ref", reason))
        else:
            first_line_of_ref[ref.strip()] = line
    raise_if(problems, source)
    if not count:
        raise InvalidInput(f"{source}: no records")


def _identity(mapping: Mapping[str, object], line: int, problems: list[Problem]) -> Record | None:
    """Build one record, or append this row's problems and return None."""
    row = _Row(line, problems)
    for name in mapping:
        if name not in ACCEPTED_COLUMNS and not is_detail_column(name):
            row.report("field", unknown_name(name))
    details = details_of(mapping, row.report)
    values = {column: row.values_of(column, mapping.get(column)) for column in ACCEPTED_COLUMNS}
    if not values["ref"] and not row.reported("ref"):
        row.report("ref", "missing (every row needs a ref)")
    row.check(values)
    entity_type = row.check_entity(values)
    if row.failed or entity_type is None:
        return None
    # Several spellings in one name cell: the first is the name, the others aliases.
    names = values["full_name"]
    return Record(
        ref=_first(values, "ref"),
        full_name=_first(values, "full_name"),
        date_of_birth=_first(values, "date_of_birth"),
        nationality=_first(values, "nationality"),
        document_numbers=values["document_number"],
        document_countries=values["document_country"],
        national_ids=values["national_id"],
        phones=values["phone"],
        emails=values["email"],
        ibans=values["iban"],
        wallets=values["wallet"],
        aliases=tuple(dict.fromkeys(alias for alias in (*names[1:], *values[ALIASES]))),
        entity_type=entity_type,
        country=_first(values, "country"),
        other_dates_of_birth=values["date_of_birth"][1:],
        registration_numbers=values["registration_number"],
        leis=values["lei"],
        imo_numbers=values["imo"],
        transactions=values["transaction"],
        details=details,
    )


class _Row:
    """The checks of one row; problems go to the file's shared list."""

    def __init__(self, line: int, problems: list[Problem]) -> None:
        self.line = line
        self.problems = problems
        self.first_problem = len(problems)

    @property
    def failed(self) -> bool:
        return len(self.problems) > self.first_problem

    def reported(self, field: str) -> bool:
        return any(problem.field == field for problem in self.problems[self.first_problem :])

    def report(self, field: str, reason: str) -> None:
        self.problems.append(Problem(self.line, field, reason))

    def values_of(self, column: str, raw: object) -> tuple[str, ...]:
        """The stripped, non-empty values of one cell or JSON value."""
        if raw is None:
            return ()
        if isinstance(raw, list) and column not in SINGLE_VALUED:
            if not all(isinstance(item, str) for item in raw):
                self.report(column, "expected a list of strings only")
                return ()
            raw = VALUE_SEPARATOR.join(raw)
        if not isinstance(raw, str):
            expected = "a string" if column in SINGLE_VALUED else "a string or a list of strings"
            self.report(column, f"expected {expected}, got {json_type(raw)}")
            return ()
        if has_control_character(raw):
            self.report(column, CONTROL_CHARACTER)
            return ()
        if column == "ref":
            # A ref is opaque: ';' is part of it, not a value separator.
            return (raw.strip(),) if raw.strip() else ()
        values = tuple(part.strip() for part in raw.split(VALUE_SEPARATOR) if part.strip())
        if column in SINGLE_VALUED and len(values) > 1:
            self.report(column, "one value only (';' separates values)")
            return ()
        return values

    def check(self, values: dict[str, tuple[str, ...]]) -> None:
        """Check every value with the key spec's normalisers."""
        nationality = _first(values, "nationality")
        self.check_each(values, "full_name", keys.normalise_name, "no letter or digit")
        self.check_each(values, ALIASES, keys.normalise_name, "no letter or digit")
        self.check_each(
            values,
            "date_of_birth",
            keys.normalise_date_of_birth,
            "not a date in the form YYYY, YYYY-MM or YYYY-MM-DD",
        )
        region = identifiers.normalise_country(nationality)
        if nationality and region is None:
            self.report("nationality", _UNKNOWN_COUNTRY)
        # A given but unknown nationality is reported once, above; the checks
        # below only complain when no nationality was given at all.
        self.check_documents(values)
        self.check_each(values, "national_id", identifiers.normalise_id, "no letter or digit")
        if values["national_id"] and not nationality:
            self.report("national_id", "needs a nationality (the issuing country)")
        for index, phone in enumerate(values["phone"]):
            if identifiers.normalise_phone(phone, region) is not None:
                continue
            if phone.startswith("+") or region is not None:
                self.report(_field("phone", index, values), "not a valid phone number")
            elif not nationality:
                reason = "national number but no nationality (write +<country code>)"
                self.report(_field("phone", index, values), reason)
        for column, normalise, reason in _FORMAT_CHECKS:
            self.check_each(values, column, normalise, reason)

    def check_documents(self, values: dict[str, tuple[str, ...]]) -> None:
        """Check numbers, countries, and that countries pair with numbers."""
        numbers, countries = values["document_number"], values["document_country"]
        self.check_each(values, "document_number", identifiers.normalise_id, "no letter or digit")
        self.check_each(values, "document_country", identifiers.normalise_country, _UNKNOWN_COUNTRY)
        if numbers and len(countries) not in (0, 1, len(numbers)):
            reason = (
                f"{len(countries)} countries for {len(numbers)} numbers (give 1 or {len(numbers)})"
            )
            self.report("document_country", reason)
        # A number without any issuing country is kept: it gives a number-only
        # key, of lower strength (docs/keyspec.md, "Identifier keys").

    def check_entity(self, values: dict[str, tuple[str, ...]]) -> EntityType | None:
        """Check the entity columns; return the row's type (None if invalid)."""
        written = _first(values, "type").lower()
        entity_type = ENTITY_TYPES.get(written) if written else EntityType.PERSON
        if entity_type is None:
            self.report("type", "unknown type (use person, organisation or vessel)")
        country = _first(values, "country")
        if country and identifiers.normalise_country(country) is None:
            self.report("country", _UNKNOWN_COUNTRY)
        if entity_type not in (None, EntityType.PERSON) and values["date_of_birth"]:
            self.report("date_of_birth", "only a person has a date of birth")
        has_country = bool(country or _first(values, "nationality"))
        if values["registration_number"] and not has_country:
            self.report("registration_number", "needs a country (fill country)")
        for column, normalise, reason in _ENTITY_CHECKS:
            self.check_each(values, column, normalise, reason)
        return entity_type

    def check_each(
        self,
        values: dict[str, tuple[str, ...]],
        column: str,
        normalise: Callable[[str], str | None],
        reason: str,
    ) -> None:
        """Report each value of ``column`` that ``normalise`` turns into nothing."""
        for index, value in enumerate(values[column]):
            if not normalise(value):
                self.report(_field(column, index, values), reason)


def _first(values: dict[str, tuple[str, ...]], column: str) -> str:
    return values[column][0] if values[column] else ""


def _field(column: str, index: int, values: dict[str, tuple[str, ...]]) -> str:
    """Name a value by its position when the cell has several: never by content."""
    return f"{column}[{index + 1}]" if len(values[column]) > 1 else column


_ENTITY_CHECKS = (
    ("registration_number", identifiers.normalise_id, "no letter or digit"),
    ("lei", entity_keys.normalise_lei, "not a valid LEI (20 characters, ISO 17442 check digits)"),
    ("imo", entity_keys.normalise_imo, "not a valid IMO number (7 digits with a check digit)"),
    (
        "transaction",
        entity_keys.normalise_transaction,
        "not a transaction reference (64 hex digits, or a UETR: a version-4 UUID)",
    ),
)

_FORMAT_CHECKS = (
    (
        "email",
        identifiers.normalise_email,
        "not an e-mail address (one @, a dot in the domain, no blanks)",
    ),
    ("iban", identifiers.normalise_iban, "not a valid IBAN (country, length or check digits)"),
    (
        "wallet",
        identifiers.normalise_wallet,
        "not a wallet address (14 to 128 ASCII letters and digits)",
    ),
)
