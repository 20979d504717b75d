"""A node ledger's JSON forms: the JSON Lines export, written and parsed, and a receipt's.

An export (``docs/audit.md``, "Node ledgers") is a header line naming the
agency, then one canonical JSON object per entry (:func:`node.ledger.entry_object`
plus its ``entry_hash``). :func:`read_export` accepts exactly what
:func:`export_jsonl` writes; it does not verify the chain
(:func:`node.ledger.verify_chain` does), so that an auditor can report a
broken chain as a finding. :func:`receipt_to_json` and
:func:`receipt_from_json` are the form :mod:`node.sql_ledger` stores.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final, TextIO

from liaison.core.errors import InvalidInput
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import from_json as tree_head_from_json
from liaison.node.ledger.chain import (
    HASH_SIZE,
    Direction,
    LedgerEntry,
    canonical_json,
    entry_object,
    format_time,
    receipt_object,
)

#: Version of the export format (the ``v`` of its first line).
EXPORT_VERSION: Final = 1

_HEX: Final = re.compile(r"(?:[0-9a-f]{2})*")
_ENTRY_KEYS: Final = frozenset(
    {
        "seq", "time", "direction", "query_id", "counterpart", "investigator_id", "case_id",
        "purpose", "legal_basis", "key_count", "outcome", "receipt", "prev_hash",
    }
)  # fmt: skip
_RECEIPT_KEYS: Final = frozenset(
    {"entry_index", "header", "salt", "body", "tree_head", "inclusion_proof"}
)


def export_jsonl(agency: str, entries: Iterable[LedgerEntry], out: TextIO) -> None:
    """Write a ledger export: a header line, then one JSON object per entry.

    The header is ``{"agency": ..., "ledger": "liaison", "v": 1}``; each entry
    line is :func:`entry_object` plus ``"entry_hash"`` (hex). Lines are
    canonical JSON (as :func:`canonical_bytes`), ended by ``"\\n"``.
    """
    out.write(canonical_json({"ledger": "liaison", "v": EXPORT_VERSION, "agency": agency}))
    out.write("\n")
    for entry in entries:
        out.write(canonical_json(entry_object(entry) | {"entry_hash": entry.entry_hash.hex()}))
        out.write("\n")


def read_export(lines: Iterable[str]) -> tuple[str, list[LedgerEntry]]:
    """Parse a ledger export into its agency and entries; blank lines are skipped.

    The chain is not verified here (call :func:`verify_chain`), so that an
    auditor can report a broken chain as a finding.

    Raises:
        InvalidInput: the export is empty, or a line is not valid JSON or not
            a valid header or entry (the message gives the line number).
    """
    agency: str | None = None
    entries: list[LedgerEntry] = []
    for number, line in _numbered(lines):
        if not line.strip():
            continue
        with _at_line(number):
            value = _json_object(line)
            if agency is None:
                agency = _parse_header(value)
            else:
                entries.append(entry_from_object(value))
    if agency is None:
        raise InvalidInput("ledger export is empty")
    return agency, entries


def entry_from_object(value: dict[str, Any]) -> LedgerEntry:
    """Rebuild an entry from :func:`entry_object` plus ``entry_hash``.

    The entry hash is taken as given, not recomputed (see :func:`verify_chain`).

    Raises:
        InvalidInput: a field is missing, unexpected, of the wrong type or not canonical.
    """
    _check_keys(value, _ENTRY_KEYS | {"entry_hash"}, "ledger entry")
    direction = _str(value, "direction")
    if direction not in {d.value for d in Direction}:
        raise InvalidInput("ledger entry direction must be 'sent', 'served', 'watch' or 'followup'")
    receipt = value["receipt"]
    return LedgerEntry(
        seq=_int(value, "seq"),
        time=parse_time(_str(value, "time")),
        direction=Direction(direction),
        query_id=_str(value, "query_id"),
        counterpart=_str(value, "counterpart"),
        investigator_id=_str(value, "investigator_id"),
        case_id=_str(value, "case_id"),
        purpose=_str(value, "purpose"),
        legal_basis=_str(value, "legal_basis"),
        key_count=_int(value, "key_count"),
        outcome=_str(value, "outcome"),
        receipt=None if receipt is None else receipt_from_object(_object(value, "receipt")),
        prev_hash=_hex(value, "prev_hash", HASH_SIZE),
        entry_hash=_hex(value, "entry_hash", HASH_SIZE),
    )


def receipt_to_json(receipt: Receipt) -> str:
    """Return a receipt as canonical JSON text (:func:`receipt_object`)."""
    return canonical_json(receipt_object(receipt))


def receipt_from_json(text: str) -> Receipt:
    """Parse :func:`receipt_to_json` output.

    Raises:
        InvalidInput: not a valid receipt object.
    """
    return receipt_from_object(_json_object(text))


def receipt_from_object(value: dict[str, Any]) -> Receipt:
    """Rebuild a receipt from :func:`receipt_object`.

    Raises:
        InvalidInput: a field is missing, unexpected or of the wrong type.
    """
    _check_keys(value, _RECEIPT_KEYS, "receipt")
    proof = value["inclusion_proof"]
    if not isinstance(proof, list) or not all(isinstance(node, str) for node in proof):
        raise InvalidInput("receipt inclusion_proof must be a list of hex strings")
    return Receipt(
        entry_index=_int(value, "entry_index"),
        header=_unb64(value, "header"),
        salt=_hex(value, "salt", None),
        body=_unb64(value, "body"),
        tree_head=tree_head_from_json(value["tree_head"]),
        inclusion_proof=tuple(_hex_text(node, "inclusion_proof", HASH_SIZE) for node in proof),
    )


def parse_time(text: str) -> datetime:
    """Parse :func:`format_time` output, accepting nothing else.

    Raises:
        InvalidInput: not a canonical UTC time.
    """
    try:
        when = datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput("time must be YYYY-MM-DDTHH:MM:SS.ffffffZ") from None
    if not text.endswith("Z") or format_time(when) != text:
        raise InvalidInput("time must be YYYY-MM-DDTHH:MM:SS.ffffffZ")
    return when


@contextmanager
def _at_line(number: int) -> Iterator[None]:
    try:
        yield
    except InvalidInput as exc:
        raise type(exc)(f"ledger export line {number}: {exc}") from exc


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    iterator = iter(lines)
    number = 0
    while True:
        number += 1
        try:
            line = next(iterator)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise InvalidInput(f"ledger export line {number}: not UTF-8") from None
        yield number, line


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidInput("not a JSON object") from None
    if not isinstance(value, dict):
        raise InvalidInput("not a JSON object")
    return value


def _parse_header(value: dict[str, Any]) -> str:
    _check_keys(value, frozenset({"ledger", "v", "agency"}), "ledger export header")
    if value["ledger"] != "liaison" or type(value["v"]) is not int:
        raise InvalidInput("not a Liaison ledger export")
    if value["v"] != EXPORT_VERSION:
        raise InvalidInput(f"ledger export version {value['v']} is not supported")
    agency = _str(value, "agency")
    if not agency:
        raise InvalidInput("ledger export agency is empty")
    return agency


def _check_keys(value: dict[str, Any], expected: frozenset[str], what: str) -> None:
    if missing := sorted(expected - value.keys()):
        raise InvalidInput(f"{what}: missing field {missing[0]}")
    if extra := value.keys() - expected:
        raise InvalidInput(f"{what}: {len(extra)} unexpected field(s)")


def _object(value: dict[str, Any], key: str) -> dict[str, Any]:
    item = value[key]
    if not isinstance(item, dict):
        raise InvalidInput(f"{key} must be an object")
    return item


def _str(value: dict[str, Any], key: str) -> str:
    item = value[key]
    if not isinstance(item, str):
        raise InvalidInput(f"{key} must be a string")
    return item


def _int(value: dict[str, Any], key: str) -> int:
    item = value[key]
    if type(item) is not int or item < 0:
        raise InvalidInput(f"{key} must be a non-negative integer")
    return item


def _hex(value: dict[str, Any], key: str, size: int | None) -> bytes:
    return _hex_text(_str(value, key), key, size)


def _hex_text(text: str, key: str, size: int | None) -> bytes:
    if _HEX.fullmatch(text) is None or (size is not None and len(text) != 2 * size):
        raise InvalidInput(f"{key} must be lowercase hex" + (f" of {size} bytes" if size else ""))
    return bytes.fromhex(text)


def _unb64(value: dict[str, Any], key: str) -> bytes:
    try:
        return base64.b64decode(_str(value, key).encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise InvalidInput(f"{key} must be base64") from None
