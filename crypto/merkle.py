"""The Merkle tree of the audit log (RFC 9162, section 2.1).

Hashes are SHA-256. A leaf hash is ``SHA-256(0x00 || data)`` and an interior
node hash ``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1), so a leaf can
never be passed off as an interior node.
"""

from __future__ import annotations

import hashlib

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
#: The root of the empty tree: the hash of the empty string (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 hash of a leaf holding ``data``."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 hash of an interior node over two child hashes."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()
