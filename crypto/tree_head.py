"""Signed tree heads: the broker's Ed25519 signature over a log size and root.

A tree head commits the broker to the first ``size`` entries of its audit log
(their Merkle root, see :mod:`crypto.merkle`) at a time. The signed bytes are

    b"liaison-tree-head-v1\\n" + f"{size}\\n{root.hex()}\\n{timestamp_ms}\\n".encode()

(docs/audit.md, "Tree heads"); size and root are signed together, which is
what binds an inclusion or consistency proof to one tree. The JSON form is
``{"size": n, "root": hex, "timestamp_ms": t, "signature": base64}``.

The audit key lives in ``audit.key.sealed`` (its PKCS8 PEM sealed under the
broker's master key, :mod:`crypto.keystore`, mode 0600; brokers set up before
sealing keep a plain ``audit.key``) and its public half in ``audit.pub``
(SubjectPublicKeyInfo PEM, mode 0644), given to nodes and auditors.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from liaison.core.errors import ConfigError, InvalidInput, ProofError
from liaison.core.files import read_file, write_new
from liaison.crypto.keystore import MasterKey, read_sealed, sealed_key_context, write_sealed
from liaison.crypto.merkle import HASH_SIZE

SIGNATURE_SIZE = 64
_DOMAIN = b"liaison-tree-head-v1\n"
# The wire types (proto TreeHead): size is a uint64, timestamp_ms an int64.
_MAX_SIZE = 2**64 - 1
_MAX_TIMESTAMP_MS = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_JSON_FIELDS = frozenset({"size", "root", "timestamp_ms", "signature"})
_HEX_DIGITS = frozenset("0123456789abcdef")
_PRIVATE_MODE = 0o600
_PUBLIC_MODE = 0o644
#: Associated data of ``audit.key.sealed``: what the sealed key is for.
AUDIT_KEY_CONTEXT = sealed_key_context("broker-audit-key")


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """The broker's signed statement of its log's size and root at a time.

    Construction checks the shape only (types, ranges, 32-byte root, 64-byte
    signature); :func:`verify_tree_head` checks the signature.

    Raises:
        ProofError: a field is malformed.
    """

    size: int
    root: bytes
    timestamp_ms: int
    signature: bytes

    def __post_init__(self) -> None:
        """Reject a malformed head, whatever its origin (wire, JSON, code)."""
        problem = _fields_problem(self.size, self.root, self.timestamp_ms)
        if problem is None and not _is_bytes(self.signature, SIGNATURE_SIZE):
            problem = f"signature must be {SIGNATURE_SIZE} bytes"
        if problem is not None:
            raise ProofError(f"tree head: {problem}")


def signed_bytes(size: int, root: bytes, timestamp_ms: int) -> bytes:
    """Return the canonical bytes a tree head's signature covers (version 1).

    Raises:
        InvalidInput: ``size`` or ``timestamp_ms`` is out of range, or
            ``root`` is not 32 bytes.
    """
    problem = _fields_problem(size, root, timestamp_ms)
    if problem is not None:
        raise InvalidInput(f"tree head: {problem}")
    return _DOMAIN + f"{size}\n{root.hex()}\n{timestamp_ms}\n".encode()


def sign_tree_head(
    size: int, root: bytes, key: Ed25519PrivateKey, *, now: datetime
) -> SignedTreeHead:
    """Sign the tree of ``size`` leaves with root ``root`` at time ``now``.

    Args:
        size: The number of entries the head covers.
        root: Their Merkle root (``MerkleTree.root(size)``).
        key: The broker's audit key.
        now: The signing time, timezone-aware; kept to the millisecond.

    Returns:
        The signed tree head.

    Raises:
        InvalidInput: ``now`` is naive or before 1970, ``size`` is out of
            range, or ``root`` is not 32 bytes.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("tree head: time must be timezone-aware")
    # Integer arithmetic: a float timestamp would round some milliseconds.
    timestamp_ms = (now - _EPOCH) // timedelta(milliseconds=1)
    signature = key.sign(signed_bytes(size, root, timestamp_ms))
    return SignedTreeHead(size, root, timestamp_ms, signature)


def verify_tree_head(head: SignedTreeHead, public_key: Ed25519PublicKey) -> None:
    """Check a tree head's signature against the broker's audit public key.

    Raises:
        ProofError: the signature does not verify.
    """
    try:
        public_key.verify(head.signature, signed_bytes(head.size, head.root, head.timestamp_ms))
    except (InvalidSignature, InvalidInput):
        # InvalidInput only if a head's fields were altered behind the dataclass.
        raise ProofError("tree head signature does not verify") from None


def to_json(head: SignedTreeHead) -> dict[str, int | str]:
    """Return the JSON form ``{"size", "root" (hex), "timestamp_ms", "signature" (base64)}``."""
    return {
        "size": head.size,
        "root": head.root.hex(),
        "timestamp_ms": head.timestamp_ms,
        "signature": base64.b64encode(head.signature).decode("ascii"),
    }


def from_json(obj: object) -> SignedTreeHead:
    """Parse the JSON form written by :func:`to_json` (the signature is not checked).

    The form is strict: exactly the four fields, integers as JSON integers,
    the root as 64 lowercase hex digits, the signature as canonical base64.

    Args:
        obj: A value decoded by :func:`json.loads`.

    Returns:
        The tree head, still to be verified with :func:`verify_tree_head`.

    Raises:
        ProofError: ``obj`` is not a well-formed tree head.
    """
    if not isinstance(obj, dict):
        raise ProofError("tree head: not a JSON object")
    missing = sorted(_JSON_FIELDS - obj.keys())
    if missing:
        raise ProofError(f"tree head: missing {', '.join(missing)}")
    if len(obj) != len(_JSON_FIELDS):
        raise ProofError("tree head: unknown fields")
    root, signature = obj["root"], obj["signature"]
    if not isinstance(root, str) or len(root) != 2 * HASH_SIZE or not _HEX_DIGITS.issuperset(root):
        raise ProofError(f"tree head: root must be {2 * HASH_SIZE} lowercase hex digits")
    return SignedTreeHead(
        size=obj["size"],
        root=bytes.fromhex(root),
        timestamp_ms=obj["timestamp_ms"],
        signature=_decode_signature(signature),
    )


def generate_audit_key(path_private: Path, path_public: Path) -> None:
    """Create the broker's audit key pair, the private half in plain PEM.

    Brokers now seal the private half (:func:`generate_sealed_audit_key`);
    this form remains for tools and tests that need a plain key file.

    Args:
        path_private: Where to write the private key (PKCS8 PEM, mode 0600).
        path_public: Where to write the public key (SubjectPublicKeyInfo PEM,
            mode 0644), for nodes and auditors.

    Raises:
        ConfigError: either file exists already (an audit key is never
            replaced: every tree head signed with it would lose its checker),
            or a file cannot be written.
    """
    _write_key_pair(
        path_private, path_public, lambda pem: write_new(path_private, pem, _PRIVATE_MODE)
    )


def generate_sealed_audit_key(path_sealed: Path, path_public: Path, master: MasterKey) -> None:
    """Create the broker's audit key pair, the private half sealed under ``master``.

    Args:
        path_sealed: Where to write the sealed private key (mode 0600; it
            holds no PEM, only :func:`crypto.keystore.write_sealed`'s format).
        path_public: Where to write the public key (SubjectPublicKeyInfo PEM,
            mode 0644), for nodes and auditors.
        master: The broker's master key.

    Raises:
        ConfigError: either file exists already, or a file cannot be written.
    """
    _write_key_pair(
        path_sealed,
        path_public,
        lambda pem: write_sealed(path_sealed, pem, master, context=AUDIT_KEY_CONTEXT),
    )


def seal_audit_key(path_plain: Path, path_sealed: Path, master: MasterKey) -> None:
    """Write the plain PEM audit key ``path_plain`` sealed to ``path_sealed`` (mode 0600).

    For a broker set up before audit keys were sealed; the public half does
    not change, so nodes and auditors keep their ``audit.pub``.

    Raises:
        ConfigError: the plain key is missing or not an Ed25519 PEM key, or
            ``path_sealed`` exists already.
    """
    pem = read_file(path_plain)
    parse_audit_private_key(pem, where=str(path_plain))
    write_sealed(path_sealed, pem, master, context=AUDIT_KEY_CONTEXT)


def _write_key_pair(
    path_private: Path, path_public: Path, write_private: Callable[[bytes], None]
) -> None:
    for path in (path_private, path_public):
        if path.exists():
            raise ConfigError(f"{path} already exists; refusing to overwrite it")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_private(private_pem)
    try:
        write_new(path_public, public_pem, _PUBLIC_MODE)
    except ConfigError:
        # Leave no orphan private key, or the next attempt would refuse to run.
        path_private.unlink(missing_ok=True)
        raise


def load_audit_private_key(path: Path) -> Ed25519PrivateKey:
    """Load a plain PEM audit key written by :func:`generate_audit_key`.

    Raises:
        ConfigError: the file is missing, unreadable, not an unencrypted PEM
            private key, or not an Ed25519 key; the message names the file.
    """
    return parse_audit_private_key(read_file(path), where=str(path))


def load_sealed_audit_private_key(path: Path, master: MasterKey) -> Ed25519PrivateKey:
    """Unseal, in memory, the audit key written by :func:`generate_sealed_audit_key`.

    Raises:
        ConfigError: the file is missing, truncated, altered, sealed under
            another master key or for another purpose, or does not hold an
            Ed25519 key; the message names the file, never the key.
    """
    return parse_audit_private_key(
        read_sealed(path, master, context=AUDIT_KEY_CONTEXT), where=str(path)
    )


def parse_audit_private_key(pem: bytes, *, where: str) -> Ed25519PrivateKey:
    """Parse an unencrypted PEM Ed25519 private key.

    Raises:
        ConfigError: not an unencrypted PEM private key, or not Ed25519; the
            message names ``where``.
    """
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # TypeError: the key is encrypted and no password was given.
        raise ConfigError(f"{where}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{where}: not an Ed25519 private key")
    return key


def load_audit_public_key(path: Path) -> Ed25519PublicKey:
    """Load the broker's audit public key (``audit.pub``).

    Raises:
        ConfigError: the file is missing, unreadable, not a PEM public key, or
            not an Ed25519 key; the message names the file.
    """
    try:
        key = serialization.load_pem_public_key(read_file(path))
    except (ValueError, UnsupportedAlgorithm):
        raise ConfigError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"{path}: not an Ed25519 public key")
    return key


def _fields_problem(size: object, root: object, timestamp_ms: object) -> str | None:
    if not _is_int_within(size, _MAX_SIZE):
        return f"size must be an integer from 0 to {_MAX_SIZE}"
    if not _is_bytes(root, HASH_SIZE):
        return f"root must be {HASH_SIZE} bytes"
    if not _is_int_within(timestamp_ms, _MAX_TIMESTAMP_MS):
        return f"timestamp_ms must be an integer from 0 to {_MAX_TIMESTAMP_MS}"
    return None


def _is_int_within(value: object, maximum: int) -> bool:
    # bool is an int subclass; JSON true must not pass for 1.
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum


def _is_bytes(value: object, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length


def _decode_signature(value: object) -> bytes:
    error = ProofError(f"tree head: signature must be {SIGNATURE_SIZE} bytes in canonical base64")
    if not isinstance(value, str) or not value.isascii():
        raise error
    try:
        signature = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise error from None
    # Canonical: one text per signature (b64decode ignores stray padding bits).
    if len(signature) != SIGNATURE_SIZE or base64.b64encode(signature).decode() != value:
        raise error
    return signature
