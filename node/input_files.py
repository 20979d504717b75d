"""Reading an input file of records: its format, from the suffix or by name, then its parser.

The formats are CSV and JSON Lines (:mod:`node.records`, described in
``docs/input-format.md``) and FollowTheMoney entities (:mod:`node.ftm`).
Either way a file is accepted whole or not at all, and every problem is
reported in one :class:`~core.errors.InvalidInput`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.node.ftm import parse_ftm
from liaison.node.problems import Problem, report
from liaison.node.records import parse_csv, parse_jsonl, stream_csv, stream_jsonl

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
PARSED_FORMATS = ("csv", "jsonl", "ftm")


def parse_file(path: Path, fmt: str | None = None) -> list[Record]:
    """Parse a CSV, JSON Lines or FollowTheMoney file of records.

    Args:
        path: The file; read as UTF-8, a leading byte-order mark is allowed.
        fmt: ``"csv"``, ``"jsonl"`` or ``"ftm"`` (FollowTheMoney entities, one
            JSON object a line: :mod:`node.ftm`); ``None`` takes it from the
            suffix (``.csv``, ``.jsonl``, ``.ndjson``, any case).

    Returns:
        One record per data row, in file order.

    Raises:
        InvalidInput: The format cannot be told, the file cannot be read, or
            any row is invalid (the message lists every problem found).
    """
    fmt = _format(path, fmt)
    # Streamed, line by line (no line read past MAX_LINE_CHARS); bytes that
    # are not UTF-8 become surrogate escapes, refused naming their line.
    # CSV: newline="" keeps "\r\n" inside quoted cells for the csv module.
    newline = "" if fmt == "csv" else "\n"
    try:
        with path.open(encoding="utf-8", errors="surrogateescape", newline=newline) as stream:
            return _parse_lines(stream, fmt, str(path))
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None


def stream_file(path: Path, fmt: str | None = None) -> Iterator[Record]:
    """Yield the records of a file as :func:`parse_file` would return them, reading as it goes.

    For a consumer that keeps nothing until the file is over (an import
    stages its batches and applies them at the end): memory stays bounded
    whatever the file's size, and the file is still accepted whole or not
    at all, since every problem is raised after the last record. FollowTheMoney
    files are parsed whole (entities refer to each other).

    Raises:
        InvalidInput: as :func:`parse_file`; problems in rows only after the
            last record has been yielded.
    """
    fmt = _format(path, fmt)
    if fmt == "ftm":
        yield from parse_file(path, fmt)
        return
    newline = "" if fmt == "csv" else "\n"
    try:
        with path.open(encoding="utf-8", errors="surrogateescape", newline=newline) as stream:
            if fmt == "csv":
                yield from stream_csv(stream, str(path))
            else:
                yield from stream_jsonl(stream, str(path))
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None


def _format(path: Path, fmt: str | None) -> str:
    if fmt is None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InvalidInput(
                f"{path}: unknown suffix; use .csv, .jsonl or .ndjson, or name the format"
            )
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"{path}: unknown format {fmt!r}; use 'csv', 'jsonl' or 'ftm'")
    return fmt


def _parse_lines(lines: Iterable[str], fmt: str, source: str) -> list[Record]:
    if fmt == "csv":
        return parse_csv(lines, source)
    if fmt == "ftm":
        return parse_ftm(lines, source)
    return parse_jsonl(lines, source)


def parse_bytes(data: bytes, fmt: str, source: str) -> list[Record]:
    """Parse the bytes of a CSV or JSON Lines file (UTF-8, optional BOM).

    Args:
        data: The whole file.
        fmt: ``"csv"``, ``"jsonl"`` or ``"ftm"``.
        source: How to name the input in error messages (usually the path).

    Returns:
        One record per data row, in file order.

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
        raise InvalidInput(report([problem], source)) from None
    if fmt == "csv":
        # newline="" keeps "\r\n" inside quoted cells for the csv module to see.
        return parse_csv(io.StringIO(text, newline=""), source)
    # JSON Lines separates records by "\n" only; a lone "\r" is JSON whitespace.
    lines = io.StringIO(text, newline="\n")
    if fmt == "ftm":
        return parse_ftm(lines, source)
    return parse_jsonl(lines, source)
