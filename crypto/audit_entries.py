"""Entries of the broker's audit log as bytes: canonical encoding, salted commitments, sealing.

An :class:`~liaison.core.audit.AuditEvent` (the vocabulary of what happened,
in :mod:`liaison.core.audit`) is stored as three pieces (``docs/audit.md``,
"Canonical bytes (version 1)"):

* the **body**: canonical JSON of the event;
* a random 32-byte **salt**, so that a body cannot be guessed from its hash;
* the **header** (the Merkle leaf data): canonical JSON of the kind, the
  time and ``SHA-256(domain || salt || body)``.

Erasure after the retention period deletes salt and body and keeps the
header, so the tree and every proof stay valid. Every parser here raises only
:class:`~liaison.core.errors.InvalidInput` (or its subclass ``ProofError``) and
accepts exactly the bytes the encoder produces, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from liaison.core.audit import AuditEvent, EntryKind, check_time_ms, entry_kind, ms_to_datetime
from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto import merkle

#: Version of the canonical encoding, the ``v`` of every body and header.
VERSION: Final = 1
SALT_SIZE: Final = 32
COMMITMENT_SIZE: Final = 32
#: Domain separation of the body commitment (docs/audit.md).
COMMITMENT_DOMAIN: Final = b"liaison-audit-body-v1\x00"
_HEX_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


# -- canonical bytes ------------------------------------------------------


def _canonical(document: Mapping[str, Any]) -> bytes:
    """Keys sorted, no whitespace, UTF-8 as is (docs/audit.md, "Canonical bytes")."""
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _parse_canonical(data: object, what: str, keys: frozenset[str]) -> dict[str, Any]:
    """Parse canonical JSON holding exactly ``keys``, version 1; the re-encoding is checked later.

    Raises:
        InvalidInput: not bytes, not UTF-8 JSON, not an object, other keys, other version.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInput(f"audit {what} must be bytes")
    try:
        # Decoded first: json.loads would guess UTF-16 or UTF-32 from bytes.
        document = json.loads(bytes(data).decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, UnicodeDecodeError and huge integers.
        raise InvalidInput(f"audit {what} is not UTF-8 JSON") from exc
    if not isinstance(document, dict):
        raise InvalidInput(f"audit {what} is not a JSON object")
    if set(document) != keys:
        raise InvalidInput(f"audit {what} must have exactly the keys {', '.join(sorted(keys))}")
    version = document["v"]
    if type(version) is not int or version != VERSION:
        raise InvalidInput(f"audit {what} has an unknown version")
    return document


def _no_constant(name: str) -> None:
    # NaN and Infinity are not JSON; json.loads accepts them unless told otherwise.
    raise ValueError(f"JSON constant {name} is not allowed")


def encode_body(event: AuditEvent) -> bytes:
    """Return the canonical body of an event (docs/audit.md, "Canonical bytes")."""
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in event.fields.items()}
    return _canonical(
        {"fields": fields, "kind": event.kind.value, "time_ms": event.time_ms, "v": VERSION}
    )


_BODY_KEYS: Final = frozenset({"fields", "kind", "time_ms", "v"})
_HEADER_KEYS: Final = frozenset({"commitment", "kind", "time_ms", "v"})


def decode_body(data: bytes) -> AuditEvent:
    """Parse a body; only the canonical encoding of a valid event is accepted.

    Raises:
        InvalidInput: malformed JSON, another version, an unknown kind, a
            field schema violation, or bytes that are not the canonical form.
    """
    document = _parse_canonical(data, "body", _BODY_KEYS)
    fields = document["fields"]
    if not isinstance(fields, dict):
        raise InvalidInput("audit body fields are not a JSON object")
    kind = entry_kind(document["kind"])
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    event = AuditEvent(kind, ms_to_datetime(document["time_ms"]), values)
    if encode_body(event) != bytes(data):
        raise InvalidInput("audit body is not in canonical form")
    return event


def new_salt() -> bytes:
    """Return a fresh random salt (32 bytes from the OS's CSPRNG)."""
    return secrets.token_bytes(SALT_SIZE)


def commitment(salt: bytes, body: bytes) -> bytes:
    """Return ``SHA-256(b"liaison-audit-body-v1\\x00" || salt || body)``.

    Raises:
        InvalidInput: the salt is not 32 bytes.
    """
    if not isinstance(salt, bytes) or len(salt) != SALT_SIZE:
        raise InvalidInput(f"audit salt must be {SALT_SIZE} bytes")
    return hashlib.sha256(COMMITMENT_DOMAIN + salt + bytes(body)).digest()


@dataclass(frozen=True, slots=True)
class Header:
    """The parsed leaf data of an entry: what stays visible after erasure."""

    kind: EntryKind
    time_ms: int
    commitment: bytes


def header(event_kind: EntryKind | str, time_ms: int, commitment: bytes) -> bytes:
    """Return the canonical leaf data (header) of an entry.

    Raises:
        InvalidInput: unknown kind, time out of range, or a commitment that is not 32 bytes.
    """
    kind = entry_kind(event_kind)
    check_time_ms(time_ms)
    if not isinstance(commitment, bytes) or len(commitment) != COMMITMENT_SIZE:
        raise InvalidInput(f"audit commitment must be {COMMITMENT_SIZE} bytes")
    document = {
        "commitment": commitment.hex(),
        "kind": kind.value,
        "time_ms": time_ms,
        "v": VERSION,
    }
    return _canonical(document)


def parse_header(data: bytes) -> Header:
    """Parse leaf data; only the canonical encoding is accepted.

    Raises:
        InvalidInput: malformed JSON, another version, an unknown kind, a bad
            time or commitment, or bytes that are not the canonical form.
    """
    document = _parse_canonical(data, "header", _HEADER_KEYS)
    digest = document["commitment"]
    if not isinstance(digest, str) or _HEX_DIGEST.fullmatch(digest) is None:
        raise InvalidInput("audit header commitment is not a hex SHA-256")
    parsed = Header(
        entry_kind(document["kind"]), check_time_ms(document["time_ms"]), bytes.fromhex(digest)
    )
    if header(parsed.kind, parsed.time_ms, parsed.commitment) != bytes(data):
        raise InvalidInput("audit header is not in canonical form")
    return parsed


# -- records --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A stored entry: its position, header, leaf hash, and salt and body unless erased."""

    index: int
    header: bytes
    leaf_hash: bytes
    salt: bytes | None
    body: bytes | None

    @property
    def erased(self) -> bool:
        """Whether salt and body were erased after the retention period."""
        return self.body is None

    def header_fields(self) -> Header:
        """Return the parsed header.

        Raises:
            InvalidInput: the header is malformed.
        """
        return parse_header(self.header)

    def verify(self) -> None:
        """Check the leaf hash, and for an unerased entry the salted commitment and the body.

        Raises:
            ProofError: the leaf hash does not match the header, the header is
                malformed, salt and body are not both present or both erased,
                the body does not match the header's commitment, or the body
                is malformed or disagrees with the header's kind or time;
                the message names the entry's index and what failed.
        """
        where = f"audit entry {self.index}"
        if not hmac.compare_digest(self.leaf_hash, merkle.leaf_hash(self.header)):
            raise ProofError(f"{where}: leaf hash does not match its header")
        try:
            parsed = parse_header(self.header)
        except InvalidInput as exc:
            raise ProofError(f"{where}: header is malformed") from exc
        if self.salt is None and self.body is None:
            return
        if self.salt is None or self.body is None or len(self.salt) != SALT_SIZE:
            raise ProofError(f"{where}: salt and body must both be present ({SALT_SIZE}-byte salt)")
        if not hmac.compare_digest(commitment(self.salt, self.body), parsed.commitment):
            raise ProofError(f"{where}: body does not match the header's commitment")
        try:
            event = decode_body(self.body)
        except InvalidInput as exc:
            raise ProofError(f"{where}: body is malformed") from exc
        if event.kind is not parsed.kind or event.time_ms != parsed.time_ms:
            raise ProofError(f"{where}: body's kind or time differs from the header's")

    def event(self) -> AuditEvent | None:
        """Return the decoded event, or None if the body was erased.

        Decoding does not verify: call :meth:`verify` first to trust the result.

        Raises:
            InvalidInput: the body is malformed.
        """
        return None if self.body is None else decode_body(self.body)


@dataclass(frozen=True, slots=True)
class SealedEntry:
    """An event ready to be appended: header, leaf hash, salt and body; no index yet."""

    kind: EntryKind
    time_ms: int
    header: bytes
    leaf_hash: bytes
    salt: bytes
    body: bytes

    def at(self, index: int) -> AuditRecord:
        """Return the record this entry becomes at position ``index``."""
        return AuditRecord(index, self.header, self.leaf_hash, self.salt, self.body)


def seal(event: AuditEvent, *, salt: bytes | None = None) -> SealedEntry:
    """Encode an event, commit to it under a fresh (or the given) salt, build its header.

    Args:
        event: the event.
        salt: 32 bytes for test vectors; a fresh random salt when None.

    Raises:
        InvalidInput: the given salt is not 32 bytes.
    """
    salt = new_salt() if salt is None else salt
    body = encode_body(event)
    leaf_data = header(event.kind, event.time_ms, commitment(salt, body))
    return SealedEntry(
        event.kind, event.time_ms, leaf_data, merkle.leaf_hash(leaf_data), salt, body
    )
