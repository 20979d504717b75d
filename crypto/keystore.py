"""Secrets at rest: the node's master key seals each dataset's PSI server key.

A PSI server key lets whoever holds it test guesses against the dataset's
filter, so it never sits in the database in clear. It is sealed with
AES-256-GCM (pycryptodome) under a master key kept in a separate 0600 file,
with the dataset name bound in as associated data so a sealed key cannot be
moved to another dataset unnoticed.

Sealed format: ``b"LSK1" || nonce (12) || tag (16) || ciphertext``.

Where the master key comes from is the operator's choice, first found wins:
the environment variable ``LIAISON_MASTER_KEY`` (the base64 key itself, for
a secrets manager that injects it), ``LIAISON_MASTER_KEY_FILE`` (a path, for
a key on a mounted secret or a separate volume), else the config's
``master_key`` file (``master.key`` beside ``node.toml`` or ``broker.toml``).

Private key files are sealed the same way (:func:`write_sealed`,
:func:`read_sealed`): the agency's certificate key (``agency.key.sealed``)
under the node's master key, the broker's audit key (``audit.key.sealed``)
under the broker's. Their associated data names what the key is for
(:func:`sealed_key_context`), so a sealed file cannot stand in for another.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes

from liaison.core.errors import ConfigError
from liaison.core.files import PRIVATE_FILE_MODE, read_file, write_new

MASTER_KEY_BYTES = 32
#: The master key itself, base64, when the operator injects it.
MASTER_KEY_ENV = "LIAISON_MASTER_KEY"
#: A master key file that replaces the config's ``master_key``.
MASTER_KEY_FILE_ENV = "LIAISON_MASTER_KEY_FILE"
_MAGIC = b"LSK1"
_KEY_CONTEXT_DOMAIN = b"liaison-sealed-key-v1"
_NONCE = 12
_TAG = 16


def create_master_key(path: Path) -> None:
    """Write a new random master key to ``path`` (mode 0600).

    Raises:
        ConfigError: the file exists already (a master key is never replaced
            silently: the sealed server keys would become unreadable).
    """
    write_master_key(path, get_random_bytes(MASTER_KEY_BYTES))


def write_master_key(path: Path, key: bytes) -> None:
    """Write ``key`` to a new master key file (mode 0600): a new key, or one restored.

    Raises:
        ConfigError: the key is not 32 bytes, or the file exists already.
    """
    if len(key) != MASTER_KEY_BYTES:
        raise ConfigError("master key must be 32 bytes")
    encoded = base64.b64encode(key) + b"\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise ConfigError(f"{path}: a master key exists already; refusing to replace it") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the master key ({exc.strerror})") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(encoded)


def master_key_from_environment(environ: Mapping[str, str]) -> str | None:
    """Name the environment variable that supplies the master key, if one does."""
    for name in (MASTER_KEY_ENV, MASTER_KEY_FILE_ENV):
        if environ.get(name):
            return name
    return None


def _decode(raw: bytes, where: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except binascii.Error as exc:
        raise ConfigError(f"{where}: the master key is not base64") from exc
    if len(key) != MASTER_KEY_BYTES:
        raise ConfigError(f"{where}: the master key must be 32 bytes")
    return key


class MasterKey:
    """Seals and unseals small secrets with AES-256-GCM."""

    def __init__(self, key: bytes) -> None:
        """Wrap raw key bytes.

        Raises:
            ConfigError: the key is not 32 bytes.
        """
        if len(key) != MASTER_KEY_BYTES:
            raise ConfigError("master key must be 32 bytes")
        self._key = key

    def export(self) -> bytes:
        """Return the raw key, for the key backup only (``liaison node keys backup``)."""
        return self._key

    @classmethod
    def load(cls, path: Path) -> MasterKey:
        """Read a master key file written by :func:`create_master_key`.

        Raises:
            ConfigError: missing, unreadable or malformed.
        """
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the master key") from exc
        return cls(_decode(raw, str(path)))

    @classmethod
    def from_environment(cls, configured: Path, environ: Mapping[str, str]) -> MasterKey:
        """Return the master key from the environment, else from ``configured``.

        Raises:
            ConfigError: the chosen source is missing, unreadable or malformed
                (the message names the variable or the file, never the key).
        """
        inline = environ.get(MASTER_KEY_ENV)
        if inline:
            return cls(_decode(inline.encode("ascii", "replace"), MASTER_KEY_ENV))
        named = environ.get(MASTER_KEY_FILE_ENV)
        return cls.load(Path(named) if named else configured)

    def derive(self, purpose: bytes) -> bytes:
        """Return a 32-byte secret for ``purpose``, derived from the master key (HMAC-SHA256).

        The node derives its follow-up encryption key this way
        (``docs/followups.md``, "Keys"): nothing more to store or seal.
        """
        return hmac.new(self._key, _KEY_CONTEXT_DOMAIN + b"\nderive\n" + purpose, "sha256").digest()

    def seal(self, secret: bytes, *, context: bytes) -> bytes:
        """Encrypt and authenticate ``secret`` bound to ``context``."""
        cipher = AES.new(self._key, AES.MODE_GCM, nonce=get_random_bytes(_NONCE))
        cipher.update(context)
        ciphertext, tag = cipher.encrypt_and_digest(secret)
        return _MAGIC + cipher.nonce + tag + ciphertext

    def unseal(self, sealed: bytes, *, context: bytes) -> bytes:
        """Decrypt a sealed secret, checking its tag and context.

        Raises:
            ConfigError: wrong master key, wrong context, or corrupted data.
        """
        header = len(_MAGIC) + _NONCE + _TAG
        if len(sealed) < header or not sealed.startswith(_MAGIC):
            raise ConfigError("sealed secret is malformed")
        nonce = sealed[len(_MAGIC) : len(_MAGIC) + _NONCE]
        tag = sealed[len(_MAGIC) + _NONCE : header]
        cipher = AES.new(self._key, AES.MODE_GCM, nonce=nonce)
        cipher.update(context)
        try:
            secret: bytes = cipher.decrypt_and_verify(sealed[header:], tag)
        except ValueError as exc:
            raise ConfigError("sealed secret does not open with this master key") from exc
        return secret


def sealed_key_context(purpose: str, holder: str = "") -> bytes:
    """Return the associated data of a sealed private key file.

    Args:
        purpose: What the key is for (``"agency-key"``, ``"broker-audit-key"``).
        holder: Whose key it is (the agency code), if it names one.

    Returns:
        ``b"liaison-sealed-key-v1\\n<purpose>\\n<holder>"``.
    """
    return b"\n".join((_KEY_CONTEXT_DOMAIN, purpose.encode(), holder.encode()))


def write_sealed(path: Path, secret: bytes, master: MasterKey, *, context: bytes) -> None:
    """Write ``secret`` sealed under ``master`` to a new file (mode 0600).

    Raises:
        ConfigError: the file exists already or cannot be written (nothing is
            left behind); the message names the file.
    """
    write_new(path, master.seal(secret, context=context), PRIVATE_FILE_MODE)


def read_sealed(path: Path, master: MasterKey, *, context: bytes) -> bytes:
    """Return the secret of a file written by :func:`write_sealed`, in memory only.

    Raises:
        ConfigError: the file is missing or unreadable, truncated, altered,
            sealed under another master key or for another purpose; the
            message names the file, never the key.
    """
    sealed = read_file(path)
    try:
        return master.unseal(sealed, context=context)
    except ConfigError:
        if len(sealed) <= len(_MAGIC) + _NONCE + _TAG or not sealed.startswith(_MAGIC):
            raise ConfigError(f"{path}: not a sealed key file (truncated or damaged)") from None
        raise ConfigError(
            f"{path}: does not open with this master key "
            "(another master key, or the file was altered)"
        ) from None
