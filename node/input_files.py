"""Reading an input file of records: its format, from the suffix or by name, then its parser.

The formats are CSV and JSON Lines (:mod:`node.records`, described in
``docs/input-format.md``), FollowTheMoney entities (:mod:`node.ftm`) and
published watchlists (:mod:`node.lists`: ``ofac-xml``).
Either way a file is accepted whole or not at all, and every problem is
reported in one :class:`~core.errors.InvalidInput`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.node.ftm import parse_ftm
from liaison.node.lists.ofac_records import read_ofac
from liaison.node.problems import Problem, report
from liaison.node.records import parse_csv, parse_jsonl

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
PARSED_FORMATS = ("csv", "jsonl", "ftm", "ofac-xml")
_FORMAT_NAMES = "'csv', 'jsonl', 'ftm' or 'ofac-xml'"


def parse_file(path: Path, fmt: str | None = None) -> list[Record]:
    """Parse a CSV, JSON Lines or FollowTheMoney file of records.

    Args:
        path: The file; read as UTF-8, a leading byte-order mark is allowed.
        fmt: ``"csv"``, ``"jsonl"``, ``"ftm"`` (FollowTheMoney entities, one
            JSON object a line: :mod:`node.ftm`) or ``"ofac-xml"`` (OFAC's
            ``sdnList`` XML: :mod:`node.lists.ofac`); ``None`` takes it from
            the suffix (``.csv``, ``.jsonl``, ``.ndjson``, any case).

    Returns:
        One record per data row, in file order.

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
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"{path}: unknown format {fmt!r}; use {_FORMAT_NAMES}")
    if fmt == "ofac-xml":
        try:
            with path.open("rb") as binary:
                return read_ofac(binary, str(path))
        except OSError as error:
            raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None
    # Streamed, line by line (no line read past MAX_LINE_CHARS); bytes that
    # are not UTF-8 become surrogate escapes, refused naming their line.
    # CSV: newline="" keeps "\r\n" inside quoted cells for the csv module.
    newline = "" if fmt == "csv" else "\n"
    try:
        with path.open(encoding="utf-8", errors="surrogateescape", newline=newline) as stream:
            return _parse_lines(stream, fmt, str(path))
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None


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
        fmt: One of :data:`PARSED_FORMATS`.
        source: How to name the input in error messages (usually the path).

    Returns:
        One record per data row, in file order.

    Raises:
        InvalidInput: Unknown format, bytes that are not UTF-8, or invalid rows.
    """
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"{source}: unknown format {fmt!r}; use {_FORMAT_NAMES}")
    if fmt == "ofac-xml":
        return read_ofac(io.BytesIO(data), source)
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
