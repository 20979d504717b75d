"""Key and certificate files: read with a clear error, write once with a fixed mode.

Shared by the PKI (certificates, node keys) and the audit key files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from liaison.core.errors import ConfigError


def read_file(path: Path) -> bytes:
    """Return a file's bytes.

    Raises:
        ConfigError: it cannot be read; the message names the file.
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None


def write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``data`` and exactly ``mode``; never overwrite.

    Raises:
        ConfigError: the file exists, or cannot be written (nothing is left behind).
    """
    # O_EXCL: never overwrite, even when racing another writer; the mode is set
    # at creation so a private key is never readable by others, not even briefly.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise ConfigError(f"{path} already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            # The umask may have removed bits we want (a certificate or audit.pub
            # readable by the service user).
            os.fchmod(out.fileno(), mode)
            out.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write ({exc.strerror})") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old file or the new, never half.

    Raises:
        ConfigError: the file cannot be written.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None


#: Files that hold secrets or records (databases, keys, exports, configs).
PRIVATE_FILE_MODE = 0o600
#: Folders Liaison creates to hold them.
PRIVATE_FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by its owner only, if it is missing.

    An existing folder is left as the operator made it.

    Raises:
        ConfigError: it cannot be created.
    """
    try:
        path.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the folder ({exc.strerror})") from None


def open_private(path: Path) -> TextIO:
    """Open ``path`` for writing text, created or truncated with mode 0600.

    Raises:
        ConfigError: it cannot be opened.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        # An existing file keeps its mode through O_TRUNC: narrow it too.
        os.fchmod(fd, PRIVATE_FILE_MODE)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror})") from None
    return os.fdopen(fd, "w", encoding="utf-8")
