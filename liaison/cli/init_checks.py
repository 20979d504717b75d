"""What ``node init``, ``broker init`` and ``audit init`` check before they write anything.

Every file an init names is checked first (the handed-over certificate and
key, the CA, the broker's ``audit.pub``), so a wrong path is a clear error
at once rather than at ``serve``; and a folder that already holds a set-up
process is refused with what to do instead, before a byte is written. What
an init writes is removed again if a later step fails (:func:`new_folder`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509

from liaison.core.errors import ConfigError, LiaisonError
from liaison.crypto.certificates import (
    Role,
    identity_from_certificate,
    load_certificate,
    load_tls_material,
)
from liaison.crypto.tree_head import load_audit_public_key


def refuse_set_up_folder(folder: Path, config_name: str, *, holds: tuple[str, ...]) -> None:
    """Refuse a folder where an init ran already, saying what to do instead.

    Raises:
        ConfigError: ``folder`` holds the config or any file of ``holds``.
    """
    present = [name for name in (config_name, *holds) if (folder / name).exists()]
    if not present:
        return
    keep = " (keep its master.key: it opens what it sealed)" if "master.key" in holds else ""
    raise ConfigError(
        f"{folder} is set up already (it holds {', '.join(present)}); init only sets up a new "
        f"folder. To change a setting, edit {folder / config_name}; to start over, move {folder} "
        f"away first{keep}"
    )


def check_certificate(pki: Path, name: str, role: Role, *, key_too: bool = True) -> None:
    """Check the handover of ``name``: its certificate (for that role), key and the CA.

    Raises:
        ConfigError: a file is missing or unreadable, the certificate is not
            ``name``'s of ``role``, or the key does not belong to it.
    """
    ca, cert, key = pki / "ca.pem", pki / f"{name}.pem", pki / f"{name}.key"
    if not pki.is_dir():
        raise ConfigError(f"--pki {pki}: no such folder (it holds ca.pem, {name}.pem, {name}.key)")
    if not cert.exists():
        host = "" if role is Role.AUDITOR else " --host HOST"
        raise ConfigError(
            f"{cert}: no certificate for {name}: the federation operator issues it with "
            f"'liaison pki issue --name {name} --role {role}{host}' and hands over "
            f"{name}.pem, {name}.key and ca.pem"
        )
    if not ca.exists():
        raise ConfigError(f"{ca}: missing: the federation CA's certificate comes with {cert.name}")
    _check_identity(cert, load_certificate(cert), name, role)
    if key_too:
        if not key.exists():
            raise ConfigError(f"{key}: missing: the private key handed over with {cert.name}")
        load_tls_material(cert, key, ca)


def _check_identity(path: Path, certificate: x509.Certificate, name: str, role: Role) -> None:
    try:
        identity = identity_from_certificate(certificate)
    except LiaisonError:
        raise ConfigError(f"{path}: not a Liaison certificate") from None
    if (identity.name, identity.role) != (name, role):
        raise ConfigError(
            f"{path}: a certificate of {identity.role} {identity.name}, not of {role} {name}"
        )


def check_audit_key(path: Path | None, option: str) -> None:
    """Check the broker's ``audit.pub`` named by ``option``, if any.

    Raises:
        ConfigError: missing or not the broker's Ed25519 public key.
    """
    if path is None:
        return
    if not path.exists():
        raise ConfigError(
            f"{option} {path}: no such file (the broker's audit.pub, written by "
            "'liaison broker init' beside broker.toml)"
        )
    load_audit_public_key(path)


@contextmanager
def new_folder(folder: Path) -> Iterator[None]:
    """Remove whatever the block created in ``folder`` (and the folder, if new) if it fails."""
    existed = folder.exists()
    before = set(os.listdir(folder)) if existed else set()
    try:
        yield
    except BaseException:
        if folder.exists():
            for name in set(os.listdir(folder)) - before:
                if not (folder / name).is_dir():
                    (folder / name).unlink(missing_ok=True)
            if not existed and not any(folder.iterdir()):
                folder.rmdir()
        raise
