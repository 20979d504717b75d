"""Key custody: a master key split into Shamir shares that officers hold apart.

pycryptodome's ``Crypto.Protocol.SecretSharing.Shamir`` shares a 16-byte
secret (a polynomial over GF(2^128)). The master key is 32 bytes, so it is
split **per 16-byte block**, each block under its own random polynomial,
and a share holds one piece of each block at the same index. The other way,
sharing a random 16-byte key that wraps the master key, would bring the
whole key down to AES-128 and add a ciphertext every share must carry;
per block keeps Shamir's guarantee for all 256 bits (fewer than the
threshold of shares say nothing about either block) at the cost of a
32-byte share instead of 16.

Each share also carries the backup's random id (shares of two backups do
not mix), the threshold, a *key check* (8 bytes of SHA-256 over the key,
which tells a right reconstruction from a wrong one and gives nothing
usable about a 256-bit random key) and a checksum over all of it (a share
mistyped or damaged is named before anything is combined). The text form
is for printing: ``share_to_text`` / ``share_from_text``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from Crypto.Random import get_random_bytes

from liaison.core.errors import InvalidInput

#: Shamir's block: pycryptodome shares secrets of exactly 16 bytes.
BLOCK_BYTES = 16
#: Most shares of one backup (each officer holds one; indices are 1..n).
MAX_SHARES = 16
_VERSION = "1"
_BACKUP_ID_BYTES = 8
_KEY_CHECK_BYTES = 8
_CHECKSUM_BYTES = 4
_KEY_CHECK_DOMAIN = b"liaison-key-share-check-v1\x00"
_BEGIN = "-----BEGIN LIAISON KEY SHARE-----"
_END = "-----END LIAISON KEY SHARE-----"
_FIELDS = ("version", "holder", "backup", "share", "threshold", "key-check", "data", "checksum")
_SHARE_OF = re.compile(r"^(\d{1,2}) of (\d{1,2})$")


@dataclass(frozen=True, slots=True)
class KeyShare:
    """One officer's share of a master key."""

    #: Whose key it is: the agency code of a node, or the broker's name.
    holder: str
    #: Random id common to every share of one backup.
    backup_id: bytes
    #: Shares needed to restore the key.
    threshold: int
    #: Shares the backup made.
    total: int
    #: This share's index, 1..total (Shamir's x coordinate).
    index: int
    #: One 16-byte Shamir share per 16-byte block of the key.
    data: bytes
    #: The first bytes of SHA-256 over the key, to check a reconstruction.
    key_check: bytes

    def checksum(self) -> bytes:
        """Return the checksum of every field (detects a damaged or mistyped share)."""
        body = "|".join(
            (
                _VERSION,
                self.holder,
                self.backup_id.hex(),
                str(self.index),
                str(self.total),
                str(self.threshold),
                self.key_check.hex(),
                self.data.hex(),
            )
        )
        return hashlib.sha256(body.encode("utf-8")).digest()[:_CHECKSUM_BYTES]


def key_check(secret: bytes) -> bytes:
    """Return the key check value of ``secret``."""
    return hashlib.sha256(_KEY_CHECK_DOMAIN + secret).digest()[:_KEY_CHECK_BYTES]


def split_key(secret: bytes, *, holder: str, total: int, threshold: int) -> list[KeyShare]:
    """Split ``secret`` into ``total`` shares, any ``threshold`` of which restore it.

    Raises:
        InvalidInput: the key is not a whole number of 16-byte blocks, or the
            counts are out of range (2 <= threshold <= total <= 16).
    """
    if not secret or len(secret) % BLOCK_BYTES:
        raise InvalidInput(f"a key to share must be a multiple of {BLOCK_BYTES} bytes")
    if not 2 <= threshold <= total <= MAX_SHARES:
        raise InvalidInput(
            f"--threshold {threshold} of --shares {total}: need 2 <= threshold <= shares "
            f"<= {MAX_SHARES}"
        )
    blocks = [secret[i : i + BLOCK_BYTES] for i in range(0, len(secret), BLOCK_BYTES)]
    pieces = [Shamir.split(threshold, total, block) for block in blocks]
    backup_id = get_random_bytes(_BACKUP_ID_BYTES)
    check = key_check(secret)
    return [
        KeyShare(
            holder=holder,
            backup_id=backup_id,
            threshold=threshold,
            total=total,
            index=index,
            data=b"".join(piece[index - 1][1] for piece in pieces),
            key_check=check,
        )
        for index in range(1, total + 1)
    ]


def combine_shares(shares: Sequence[KeyShare]) -> bytes:
    """Restore the key from at least ``threshold`` shares of one backup.

    Raises:
        InvalidInput: too few shares, shares of different keys or backups,
            the same share twice, or shares that do not restore the key
            (one is wrong although well-formed).
    """
    if not shares:
        raise InvalidInput("no share given")
    first = shares[0]
    for share in shares[1:]:
        if (share.holder, share.backup_id) != (first.holder, first.backup_id):
            raise InvalidInput(
                f"share {share.index} belongs to another backup than share {first.index} "
                "(holder or backup id differ): use shares of one backup"
            )
    indices = [share.index for share in shares]
    if len(set(indices)) != len(indices):
        raise InvalidInput("the same share is given twice")
    if len(shares) < first.threshold:
        given = ", ".join(str(i) for i in sorted(indices))
        raise InvalidInput(
            f"{len(shares)} share(s) given (share {given}); this backup needs "
            f"{first.threshold} of its {first.total}"
        )
    chosen = shares[: first.threshold]
    blocks = []
    for offset in range(0, len(first.data), BLOCK_BYTES):
        points = [(s.index, s.data[offset : offset + BLOCK_BYTES]) for s in chosen]
        blocks.append(Shamir.combine(points))
    secret = b"".join(blocks)
    if not hmac.compare_digest(key_check(secret), first.key_check):
        raise InvalidInput(
            "the shares do not restore the key (its key check differs): "
            "one of them is wrong although well-formed"
        )
    return secret


def share_to_text(share: KeyShare) -> str:
    """Return the printable form of a share, with a short note for its officer."""
    data = " ".join(share.data.hex()[i : i + 4] for i in range(0, len(share.data) * 2, 4))
    return "\n".join(
        (
            f"Liaison master key share {share.index} of {share.total} for {share.holder}.",
            f"Any {share.threshold} of the {share.total} shares restore the key; fewer say",
            "nothing about it. Keep this one apart from the others and from the host.",
            "",
            _BEGIN,
            f"version: {_VERSION}",
            f"holder: {share.holder}",
            f"backup: {share.backup_id.hex()}",
            f"share: {share.index} of {share.total}",
            f"threshold: {share.threshold}",
            f"key-check: {share.key_check.hex()}",
            f"data: {data}",
            f"checksum: {share.checksum().hex()}",
            _END,
            "",
        )
    )


def share_from_text(text: str, where: str) -> KeyShare:
    """Parse a share written by :func:`share_to_text` (spaces and case in hex ignored).

    Raises:
        InvalidInput: not a share, a field missing or malformed, or its
            checksum does not match (the share is damaged or mistyped).
    """
    fields = _fields(text, where)
    matched = _SHARE_OF.match(fields["share"])
    if fields["version"] != _VERSION or matched is None:
        raise InvalidInput(f"{where}: not a version {_VERSION} key share")
    share = KeyShare(
        holder=fields["holder"],
        backup_id=_hex(fields, "backup", where, _BACKUP_ID_BYTES),
        threshold=_integer(fields, "threshold", where),
        total=int(matched.group(2)),
        index=int(matched.group(1)),
        data=_hex(fields, "data", where, None),
        key_check=_hex(fields, "key-check", where, _KEY_CHECK_BYTES),
    )
    checksum = _hex(fields, "checksum", where, _CHECKSUM_BYTES)
    if not hmac.compare_digest(checksum, share.checksum()):
        raise InvalidInput(
            f"{where}: the share's checksum does not match: it is damaged or mistyped"
        )
    if not 2 <= share.threshold <= share.total or not 1 <= share.index <= share.total:
        raise InvalidInput(f"{where}: share, total and threshold are inconsistent")
    if not share.data or len(share.data) % BLOCK_BYTES:
        raise InvalidInput(f"{where}: data: not whole {BLOCK_BYTES}-byte blocks")
    return share


def _fields(text: str, where: str) -> dict[str, str]:
    begin, end = text.find(_BEGIN), text.find(_END)
    if begin < 0 or end < begin:
        raise InvalidInput(f"{where}: no LIAISON KEY SHARE block")
    fields: dict[str, str] = {}
    for line in text[begin + len(_BEGIN) : end].splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    missing = [name for name in _FIELDS if not fields.get(name)]
    if missing:
        raise InvalidInput(f"{where}: missing {', '.join(missing)}")
    return fields


def _hex(fields: dict[str, str], name: str, where: str, size: int | None) -> bytes:
    try:
        value = bytes.fromhex("".join(fields[name].split()))
    except ValueError:
        raise InvalidInput(f"{where}: {name}: not hexadecimal") from None
    if size is not None and len(value) != size:
        raise InvalidInput(f"{where}: {name}: must be {size} bytes")
    return value


def _integer(fields: dict[str, str], name: str, where: str) -> int:
    if not fields[name].isdigit() or len(fields[name]) > 2:
        raise InvalidInput(f"{where}: {name}: not a small number")
    return int(fields[name])
