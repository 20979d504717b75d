"""Reading an input file of records: its format, from the suffix or by name, then its parser.

The formats are CSV and JSON Lines (:mod:`node.records`, described in
``docs/input-format.md``), FollowTheMoney entities (:mod:`node.ftm`) and
published lists (:mod:`node.lists`: the UN Security Council consolidated list
XML, ``un``, and OFAC's ``sdnList`` XML, ``ofac-xml``). Either way a file is
accepted whole or not at all, and every problem is reported in one
:class:`~core.errors.InvalidInput`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.node.ftm import parse_ftm_numbered
from liaison.node.lists.ofac_records import read_ofac_numbered
from liaison.node.lists.un import parse_un
from liaison.node.problems import Problem, report
from liaison.node.records import (
    parse_csv_numbered,
    parse_jsonl_numbered,
    stream_csv,
    stream_jsonl,
)

FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    # OpenSanctions' and Aleph's names for FollowTheMoney entity files.
    ".ftm.json": "ftm",
    ".ftm.jsonl": "ftm",
    ".ijson": "ftm",
}
"""File name endings (any case) and their format; the longest ending wins."""

PARSED_FORMATS = ("csv", "jsonl", "ftm", "un", "ofac-xml")
_FORMAT_NAMES = "'csv', 'jsonl', 'ftm', 'un' or 'ofac-xml'"
_CHUNK_BYTES = 64 * 1024


def format_of(path: Path) -> str | None:
    """The format a file name implies (``entities.ftm.json`` is FtM), or None."""
    name = path.name.lower()
    endings = sorted(FORMATS, key=len, reverse=True)
    return next((FORMATS[ending] for ending in endings if name.endswith(ending)), None)


def parse_file(path: Path, fmt: str | None = None) -> list[Record]:
    """Parse a CSV, JSON Lines, FollowTheMoney, UN or OFAC list file of records.

    Args:
        path: The file; read as UTF-8, a leading byte-order mark is allowed
            (XML: the encoding its declaration names).
        fmt: ``"csv"``, ``"jsonl"``, ``"ftm"`` (FollowTheMoney entities, one
            JSON object a line: :mod:`node.ftm`), ``"un"`` (the UN Security
            Council consolidated list) or ``"ofac-xml"`` (OFAC's ``sdnList``
            XML); ``None`` takes it from the name
            (:data:`FORMATS`: ``.csv``, ``.jsonl``, ``.ndjson``, ``.ftm.json``,
            ``.ftm.jsonl``, ``.ijson``, any case).

    Returns:
        One record per data row, in file order.

    Raises:
        InvalidInput: The format cannot be told, the file cannot be read, or
            any row is invalid (the message lists every problem found).
    """
    return [record for _, record in parse_file_numbered(path, fmt)]


def parse_file_numbered(path: Path, fmt: str | None = None) -> list[tuple[int, Record]]:
    """Like :func:`parse_file`, each record with the line its row or entity starts on.

    Raises:
        InvalidInput: as :func:`parse_file`.
    """
    fmt = _format(path, fmt)
    try:
        if fmt == "un":
            with path.open("rb") as binary:
                return parse_un(_chunks(binary), str(path))
        if fmt == "ofac-xml":
            with path.open("rb") as binary:
                return read_ofac_numbered(binary, str(path))
        # Streamed, line by line (no line read past MAX_LINE_CHARS); bytes that
        # are not UTF-8 become surrogate escapes, refused naming their line.
        # CSV: newline="" keeps "\r\n" inside quoted cells for the csv module.
        newline = "" if fmt == "csv" else "\n"
        with path.open(encoding="utf-8", errors="surrogateescape", newline=newline) as stream:
            return _parse_lines(stream, fmt, str(path))
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None


def _chunks(binary: BinaryIO) -> Iterator[bytes]:
    while chunk := binary.read(_CHUNK_BYTES):
        yield chunk


def stream_file(path: Path, fmt: str | None = None) -> Iterator[Record]:
    """Yield the records of a file as :func:`parse_file` would return them, reading as it goes.

    For a consumer that keeps nothing until the file is over (an import
    stages its batches and applies them at the end): memory stays bounded
    whatever the file's size, and the file is still accepted whole or not
    at all, since every problem is raised after the last record.
    FollowTheMoney files and published lists are parsed whole (entities
    refer to each other; a list is one XML document).

    Raises:
        InvalidInput: as :func:`parse_file`; problems in rows only after the
            last record has been yielded.
    """
    fmt = _format(path, fmt)
    if fmt not in {"csv", "jsonl"}:
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
        fmt = format_of(path)
        if fmt is None:
            raise InvalidInput(
                f"{path}: unknown suffix; use .csv, .jsonl, .ndjson, .ftm.json or .ijson,"
                " or name the format (--format csv, jsonl, ftm, un or ofac-xml)"
            )
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"{path}: unknown format {fmt!r}; use {_FORMAT_NAMES}")
    return fmt


def _parse_lines(lines: Iterable[str], fmt: str, source: str) -> list[tuple[int, Record]]:
    if fmt == "csv":
        return parse_csv_numbered(lines, source)
    if fmt == "ftm":
        return parse_ftm_numbered(lines, source)
    return parse_jsonl_numbered(lines, source)


def parse_bytes(data: bytes, fmt: str, source: str) -> list[Record]:
    """Parse the bytes of an input file (UTF-8, optional BOM; XML as declared).

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
    if fmt == "un":
        return [record for _, record in parse_un([data], source)]
    if fmt == "ofac-xml":
        return [record for _, record in read_ofac_numbered(io.BytesIO(data), source)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = Problem(line, "encoding", "not valid UTF-8")
        raise InvalidInput(report([problem], source)) from None
    if fmt == "csv":
        # newline="" keeps "\r\n" inside quoted cells for the csv module to see.
        return [record for _, record in parse_csv_numbered(io.StringIO(text, newline=""), source)]
    # JSON Lines separates records by "\n" only; a lone "\r" is JSON whitespace.
    lines = io.StringIO(text, newline="\n")
    return [record for _, record in _parse_lines(lines, fmt, source)]
