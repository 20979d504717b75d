"""The canonical input format: CSV or JSON Lines files of identities.

``docs/input-format.md`` is the user-facing description. One row is one
:class:`~crypto.identity.Identity`; the columns (CSV header = JSON keys) are
:data:`COLUMNS`, of which only ``ref`` is required. Several values of one kind
are separated by ``;`` (in JSON Lines a list of strings also works).

A file is accepted whole or not at all: every problem found is collected and
raised as one :class:`~crypto.errors.InvalidInput` listing ``line N: <field>:
<reason>``. Messages never repeat a value from the file (not even a header
cell, which in a file without header is data), because they reach logs.
Values are validated with the key spec's own normalisers, so every accepted
value yields a match key except where ``docs/keyspec.md`` says otherwise
(names without a full date of birth).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.crypto import identifiers, keys

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

ACCEPTED_COLUMNS = (*COLUMNS, ALIASES)
"""Every column the parser accepts: the v1 schema, then the aliases."""

SINGLE_VALUED = frozenset({"ref", "full_name", "date_of_birth", "nationality"})
VALUE_SEPARATOR = ";"
MAX_LISTED_PROBLEMS = 50
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
PARSED_FORMATS = ("csv", "jsonl", "ftm")

_BOM = "\ufeff"
_UNKNOWN_COUNTRY = "unknown country (use an ISO 3166 alpha-2 or alpha-3 code, or the English name)"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file is rejected; ``str()`` gives ``line N: field: reason``."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


def parse_file(path: Path, fmt: str | None = None) -> list[Record]:
    """Parse a CSV, JSON Lines or FollowTheMoney file of identities.

    Args:
        path: The file; read as UTF-8, a leading byte-order mark is allowed.
        fmt: ``"csv"``, ``"jsonl"`` or ``"ftm"`` (FollowTheMoney entities, one
            JSON object a line: :mod:`node.ftm`); ``None`` takes it from the
            suffix (``.csv``, ``.jsonl``, ``.ndjson``, any case).

    Returns:
        One identity per data row, in file order.

    Raises:
        InvalidInput: The format cannot be told, the file cannot be read, or
            any row is invalid (the message lists every problem found).
    """
    if fmt is None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InvalidInput(
                f"{path}: unknown suffix; use .csv, .jsonl or .ndjson, or name the format"
            )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None
    return parse_bytes(data, fmt, str(path))


def parse_bytes(data: bytes, fmt: str, source: str) -> list[Record]:
    """Parse the bytes of a CSV or JSON Lines file (UTF-8, optional BOM).

    Args:
        data: The whole file.
        fmt: ``"csv"``, ``"jsonl"`` or ``"ftm"``.
        source: How to name the input in error messages (usually the path).

    Returns:
        One identity per data row, in file order.

    Raises:
        InvalidInput: Unknown format, bytes that are not UTF-8, or invalid rows.
    """
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"{source}: unknown format {fmt!r}; use 'csv', 'jsonl' or 'ftm'")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = Problem(line, "encoding", "not valid UTF-8")
        raise InvalidInput(_report([problem], source)) from None
    if fmt == "csv":
        # newline="" keeps "\r\n" inside quoted cells for the csv module to see.
        return parse_csv(io.StringIO(text, newline=""), source)
    # JSON Lines separates records by "\n" only; a lone "\r" is JSON whitespace.
    lines = io.StringIO(text, newline="\n")
    if fmt == "ftm":
        # Imported here: node.ftm reports its problems with this module's types.
        from liaison.node.ftm import parse_ftm

        return parse_ftm(lines, source)
    return parse_jsonl(lines, source)


def parse_csv(lines: Iterable[str], source: str) -> list[Record]:
    """Parse CSV text: a header line naming columns, then one row per identity.

    Rows whose cells are all blank are skipped. Cells are RFC 4180: comma
    separated, ``"``-quoted when they contain a comma, quote or line break.

    Args:
        lines: The lines of the file (an open text file works), each one
            physical line; a leading byte-order mark is ignored.
        source: How to name the input in error messages.

    Returns:
        One identity per data row, in file order.

    Raises:
        InvalidInput: Empty file, bad header, malformed CSV or invalid rows.
    """
    problems: list[Problem] = []
    records = _csv_records(_without_bom(lines), problems)
    first = next(records, None)
    if first is None:
        _raise_if(problems, source)
        raise InvalidInput(f"{source}: empty file (expected a header line)")
    header = _check_header(first[1], problems)
    _raise_if(problems, source)
    rows: list[tuple[int, Mapping[str, object]]] = []
    for line, cells in records:
        if all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            reason = (
                f"{len(cells)} cells but the header has {len(header)} (quote cells with commas)"
            )
            problems.append(Problem(line, "row", reason))
            continue
        rows.append((line, dict(zip(header, cells, strict=True))))
    return _identities(rows, problems, source)


def _csv_records(lines: Iterable[str], problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, cells); a fatal CSV error ends with a problem."""
    reader = csv.reader(lines, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The csv module's messages are fixed texts about quoting and
            # sizes, never cell contents.
            problems.append(Problem(start, "csv", f"malformed CSV ({error})"))
            return
        except UnicodeDecodeError:
            problems.append(Problem(reader.line_num + 1, "encoding", "not valid UTF-8"))
            return
        yield start, cells


def _check_header(cells: list[str], problems: list[Problem]) -> list[str]:
    names = [cell.strip() for cell in cells]
    if len(names) == 1 and VALUE_SEPARATOR in names[0]:
        parts = {part.strip() for part in names[0].split(VALUE_SEPARATOR)}
        if parts <= set(COLUMNS):
            reason = "columns are separated by ';' but must be by ',' (';' separates values)"
            problems.append(Problem(1, "header", reason))
            return names
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name not in ACCEPTED_COLUMNS:
            problems.append(Problem(1, "header", f"column {position}: {_unknown_name(name)}"))
        elif name in seen:
            reason = f"column {position}: '{name}' already given in column {seen[name]}"
            problems.append(Problem(1, "header", reason))
        else:
            seen[name] = position
    if "ref" not in seen:
        reason = "no 'ref' column (the first line must be the header)"
        problems.append(Problem(1, "header", reason))
    return names


def _unknown_name(name: str) -> str:
    """Explain an unknown column or key without repeating it (it may be data)."""
    if not name:
        return "empty name"
    close = difflib.get_close_matches(name.lower(), ACCEPTED_COLUMNS, n=1)
    if close:
        return f"unknown name (did you mean '{close[0]}'?)"
    return "unknown name (the schema is in docs/input-format.md)"


def parse_jsonl(lines: Iterable[str], source: str) -> list[Record]:
    """Parse JSON Lines text: one JSON object per line, keys from the schema.

    Blank lines are skipped. A value is a string, a list of strings, or
    ``null`` (absent); ``ref`` must be a string.

    Args:
        lines: The lines of the file (an open text file works); a leading
            byte-order mark is ignored.
        source: How to name the input in error messages.

    Returns:
        One identity per object, in file order.

    Raises:
        InvalidInput: Malformed JSON, a line that is not an object, or invalid
            rows.
    """
    problems: list[Problem] = []
    rows: list[tuple[int, Mapping[str, object]]] = []
    line = 0
    try:
        for line, text in enumerate(_without_bom(lines), start=1):
            if text.strip():
                row = _json_object(text, line, problems)
                if row is not None:
                    rows.append((line, row))
    except UnicodeDecodeError:
        problems.append(Problem(line + 1, "encoding", "not valid UTF-8"))
    return _identities(rows, problems, source)


class _JsonObject(dict[str, object]):
    """A decoded JSON object that remembers keys given twice (json keeps the last)."""

    repeated: tuple[str, ...] = ()


def _pairs_to_object(pairs: list[tuple[str, object]]) -> _JsonObject:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        keys_seen = [key for key, _ in pairs]
        result.repeated = tuple(sorted({key for key in keys_seen if keys_seen.count(key) > 1}))
    return result


def json_line(
    text: str,
    line: int,
    problems: list[Problem],
    *,
    object_pairs_hook: Callable[[list[tuple[str, object]]], object] | None = None,
) -> tuple[bool, object]:
    """Decode one JSON line: ``(True, value)``, or ``(False, None)`` with the
    reason recorded in ``problems`` (never quoting the text).

    Shared by the JSON Lines and FollowTheMoney readers.
    """
    try:
        return True, json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as error:
        # error.msg is a fixed description ("Expecting value"), never the text.
        problems.append(
            Problem(line, "json", f"not valid JSON ({error.msg}, column {error.colno})")
        )
    except (ValueError, RecursionError):
        # Integers too long to convert, or nesting too deep for the decoder.
        problems.append(
            Problem(line, "json", "not valid JSON (number too long or nesting too deep)")
        )
    return False, None


def _json_object(text: str, line: int, problems: list[Problem]) -> Mapping[str, object] | None:
    decoded, value = json_line(text, line, problems, object_pairs_hook=_pairs_to_object)
    if not decoded:
        return None
    if not isinstance(value, _JsonObject):
        problems.append(Problem(line, "json", f"expected a JSON object, got {_json_type(value)}"))
        return None
    for key in value.repeated:
        name = f"'{key}'" if key in ACCEPTED_COLUMNS else "a key"
        problems.append(Problem(line, "json", f"{name} appears more than once"))
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def identity_from_mapping(mapping: Mapping[str, object], line: int) -> Record:
    """Validate one row (CSV cells or a JSON object) and build its identity.

    Args:
        mapping: Column name to value: a string, a list of strings or ``None``.
        line: The row's first physical line, for messages.

    Returns:
        The identity, values stripped of surrounding blanks but not normalised.

    Raises:
        InvalidInput: The row is invalid; the message lists every problem.
    """
    problems: list[Problem] = []
    identity = _identity(mapping, line, problems)
    if identity is None:
        raise InvalidInput(_report(problems, f"line {line}"))
    return identity


def _identities(
    rows: list[tuple[int, Mapping[str, object]]], problems: list[Problem], source: str
) -> list[Record]:
    identities: list[Record] = []
    first_line_of_ref: dict[str, int] = {}
    for line, mapping in rows:
        identity = _identity(mapping, line, problems)
        if identity is not None:
            identities.append(identity)
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
    _raise_if(problems, source)
    if not identities:
        raise InvalidInput(f"{source}: no records")
    return identities


def _identity(mapping: Mapping[str, object], line: int, problems: list[Problem]) -> Record | None:
    """Build one identity, or append this row's problems and return None."""
    row = _Row(line, problems)
    for name in mapping:
        if name not in ACCEPTED_COLUMNS:
            row.report("field", _unknown_name(name))
    values = {column: row.values_of(column, mapping.get(column)) for column in ACCEPTED_COLUMNS}
    if not values["ref"] and not row.reported("ref"):
        row.report("ref", "missing (every row needs a ref)")
    row.check(values)
    if row.failed:
        return None
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
        aliases=values[ALIASES],
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
            self.report(column, f"expected {expected}, got {_json_type(raw)}")
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
        name, date, nationality = (
            _first(values, column) for column in ("full_name", "date_of_birth", "nationality")
        )
        if name and not keys.normalise_name(name):
            self.report("full_name", "no letter or digit")
        self.check_each(values, ALIASES, keys.normalise_name, "no letter or digit")
        if date and keys.normalise_date_of_birth(date) is None:
            self.report("date_of_birth", "not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
        region = identifiers.normalise_country(nationality)
        if nationality and region is None:
            self.report("nationality", _UNKNOWN_COUNTRY)
        # A given but unknown nationality is reported once, above; the checks
        # below only complain when no nationality was given at all.
        self.check_documents(values, has_nationality=bool(nationality))
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

    def check_documents(self, values: dict[str, tuple[str, ...]], *, has_nationality: bool) -> None:
        """Check numbers, countries, and that every number has an issuer."""
        numbers, countries = values["document_number"], values["document_country"]
        self.check_each(values, "document_number", identifiers.normalise_id, "no letter or digit")
        self.check_each(values, "document_country", identifiers.normalise_country, _UNKNOWN_COUNTRY)
        if numbers and len(countries) not in (0, 1, len(numbers)):
            reason = (
                f"{len(countries)} countries for {len(numbers)} numbers (give 1 or {len(numbers)})"
            )
            self.report("document_country", reason)
        elif numbers and not countries and not has_nationality:
            self.report(
                "document_number", "no issuing country (fill document_country or nationality)"
            )

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


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is not None:
        yield first.removeprefix(_BOM)
        yield from iterator


def _raise_if(problems: list[Problem], source: str) -> None:
    if problems:
        raise InvalidInput(_report(problems, source))


def _report(problems: list[Problem], source: str) -> str:
    # Stable sort: a row's structural problems (JSON) come before its values'.
    ordered = sorted(problems, key=lambda problem: problem.line)
    listed = [str(problem) for problem in ordered[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(f"and {len(problems) - MAX_LISTED_PROBLEMS} more")
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return f"{source}: {count}, nothing imported:\n" + "\n".join(listed)
