"""The canonical input format: CSV or JSON Lines files of records.

``docs/input-format.md`` is the user-facing description; the columns and the
checks of one row are in :mod:`node.rows`, and :mod:`node.input_files` picks
this parser or :mod:`node.ftm` by format. Several values of one kind are
separated by ``;`` (in JSON Lines a list of strings also works).

A file is accepted whole or not at all: every problem found is collected and
raised as one :class:`~core.errors.InvalidInput` (:mod:`node.problems`).
Messages never repeat a value from the file (not even a header cell, which in
a file without header is data), because they reach logs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.node.details import is_detail_column
from liaison.node.problems import Problem, bounded_lines, json_line, json_type, raise_if
from liaison.node.rows import (
    ACCEPTED_COLUMNS,
    COLUMNS,
    VALUE_SEPARATOR,
    iter_numbered_records,
    unknown_name,
)

_BOM = "\ufeff"


def parse_csv(lines: Iterable[str], source: str) -> list[Record]:
    """Parse CSV text: a header line naming columns, then one row per record.

    Rows whose cells are all blank are skipped. Cells are RFC 4180: comma
    separated, ``"``-quoted when they contain a comma, quote or line break.

    Args:
        lines: The lines of the file (an open text file works), each one
            physical line; a leading byte-order mark is ignored.
        source: How to name the input in error messages.

    Returns:
        One record per data row, in file order.

    Raises:
        InvalidInput: Empty file, bad header, malformed CSV or invalid rows.
    """
    return [record for _, record in stream_csv_numbered(lines, source)]


def parse_csv_numbered(lines: Iterable[str], source: str) -> list[tuple[int, Record]]:
    """Like :func:`parse_csv`, each record with its row's first physical line.

    Raises:
        InvalidInput: as :func:`parse_csv`.
    """
    return list(stream_csv_numbered(lines, source))


def stream_csv(lines: Iterable[str], source: str) -> Iterator[Record]:
    """Yield :func:`parse_csv`'s records as they are read; raise its error at the end."""
    for _, record in stream_csv_numbered(lines, source):
        yield record


def stream_csv_numbered(lines: Iterable[str], source: str) -> Iterator[tuple[int, Record]]:
    """Yield :func:`parse_csv_numbered`'s pairs as they are read; raise its error at the end.

    Raises:
        InvalidInput: as :func:`parse_csv`, after the last record (a bad
            header or an empty file before the first).
    """
    problems: list[Problem] = []
    records = _csv_records(_without_bom(bounded_lines(lines, source)), problems)
    first = next(records, None)
    if first is None:
        raise_if(problems, source)
        raise InvalidInput(f"{source}: empty file (expected a header line)")
    header = _check_header(first[1], problems)
    raise_if(problems, source)
    yield from iter_numbered_records(_csv_rows(records, header, problems), problems, source)


def _csv_rows(
    records: Iterator[tuple[int, list[str]]], header: list[str], problems: list[Problem]
) -> Iterator[tuple[int, Mapping[str, object]]]:
    for line, cells in records:
        if all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            reason = (
                f"{len(cells)} cells but the header has {len(header)} (quote cells with commas)"
            )
            problems.append(Problem(line, "row", reason))
            continue
        yield line, dict(zip(header, cells, strict=True))


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
        if name not in ACCEPTED_COLUMNS and not is_detail_column(name):
            problems.append(Problem(1, "header", f"column {position}: {unknown_name(name)}"))
        elif name in seen:
            reason = f"column {position}: '{name}' already given in column {seen[name]}"
            problems.append(Problem(1, "header", reason))
        else:
            seen[name] = position
    if "ref" not in seen:
        reason = "no 'ref' column (the first line must be the header)"
        problems.append(Problem(1, "header", reason))
    return names


def parse_jsonl(lines: Iterable[str], source: str) -> list[Record]:
    """Parse JSON Lines text: one JSON object per line, keys from the schema.

    Blank lines are skipped. A value is a string, a list of strings, or
    ``null`` (absent); ``ref`` must be a string.

    Args:
        lines: The lines of the file (an open text file works); a leading
            byte-order mark is ignored.
        source: How to name the input in error messages.

    Returns:
        One record per object, in file order.

    Raises:
        InvalidInput: Malformed JSON, a line that is not an object, or invalid
            rows.
    """
    return [record for _, record in stream_jsonl_numbered(lines, source)]


def parse_jsonl_numbered(lines: Iterable[str], source: str) -> list[tuple[int, Record]]:
    """Like :func:`parse_jsonl`, each record with its line.

    Raises:
        InvalidInput: as :func:`parse_jsonl`.
    """
    return list(stream_jsonl_numbered(lines, source))


def stream_jsonl(lines: Iterable[str], source: str) -> Iterator[Record]:
    """Yield :func:`parse_jsonl`'s records as they are read; raise its error at the end."""
    for _, record in stream_jsonl_numbered(lines, source):
        yield record


def stream_jsonl_numbered(lines: Iterable[str], source: str) -> Iterator[tuple[int, Record]]:
    """Yield :func:`parse_jsonl_numbered`'s pairs as they are read; raise its error at the end.

    Raises:
        InvalidInput: as :func:`parse_jsonl`, after the last record.
    """
    problems: list[Problem] = []
    yield from iter_numbered_records(_json_rows(lines, source, problems), problems, source)


def _json_rows(
    lines: Iterable[str], source: str, problems: list[Problem]
) -> Iterator[tuple[int, Mapping[str, object]]]:
    line = 0
    try:
        for line, text in enumerate(_without_bom(bounded_lines(lines, source)), start=1):
            if text.strip():
                row = _json_object(text, line, problems)
                if row is not None:
                    yield line, row
    except UnicodeDecodeError:
        problems.append(Problem(line + 1, "encoding", "not valid UTF-8"))


class _JsonObject(dict[str, object]):
    """A decoded JSON object that remembers keys given twice (json keeps the last)."""

    repeated: tuple[str, ...] = ()


def _pairs_to_object(pairs: list[tuple[str, object]]) -> _JsonObject:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        keys_seen = [key for key, _ in pairs]
        result.repeated = tuple(sorted({key for key in keys_seen if keys_seen.count(key) > 1}))
    return result


def _json_object(text: str, line: int, problems: list[Problem]) -> Mapping[str, object] | None:
    decoded, value = json_line(text, line, problems, object_pairs_hook=_pairs_to_object)
    if not decoded:
        return None
    if not isinstance(value, _JsonObject):
        problems.append(Problem(line, "json", f"expected a JSON object, got {json_type(value)}"))
        return None
    for key in value.repeated:
        name = f"'{key}'" if key in ACCEPTED_COLUMNS else "a key"
        problems.append(Problem(line, "json", f"{name} appears more than once"))
    return value


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is not None:
        yield first.removeprefix(_BOM)
        yield from iterator
