"""The federation certificate authority: creating the CA, issuing leaf certificates.

One CA per federation signs every broker, node and auditor certificate. Keys are
ECDSA P-256 and signatures SHA-256 throughout, which gRPC's BoringSSL accepts on
every platform. The identity a leaf carries (SAN URI, CN, OU, O) and how a
peer verifies and loads certificates are in :mod:`liaison.crypto.certificates`.
Private keys are written once, mode 0600, never overwritten.

Every function that takes a time takes it as ``now``, so tests never touch
the clock.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from liaison.core.errors import ConfigError, InvalidInput
from liaison.core.files import write_new
from liaison.crypto.certificates import (
    HOLDER_NAME,
    Role,
    federation_of,
    identity_uri,
    load_certificate,
    load_private_key,
    require_aware,
)

__all__ = ["CA_CERT_FILE", "CA_KEY_FILE", "CaFiles", "IssuedFiles", "init_ca", "issue"]

CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca.key"

# X.509 caps a CN at 64 characters and the CA's CN appends " Liaison CA" (11).
_FEDERATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,52}")
_DNS_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
# Certificates start five minutes early so that a peer whose clock runs a little
# behind the issuer's does not refuse a certificate issued a moment ago.
_BACKDATE = timedelta(minutes=5)
_KEY_MODE = 0o600
_CERT_MODE = 0o644


@dataclass(frozen=True, slots=True)
class CaFiles:
    """Where :func:`init_ca` wrote the CA certificate and its private key."""

    certificate: Path
    private_key: Path


@dataclass(frozen=True, slots=True)
class IssuedFiles:
    """Where :func:`issue` wrote a leaf certificate and its private key."""

    certificate: Path
    private_key: Path


def init_ca(directory: Path, federation: str, *, now: datetime, days: int = 3650) -> CaFiles:
    """Create the federation CA: ``ca.pem`` and ``ca.key`` (mode 0600) in ``directory``.

    Args:
        directory: Folder to write into; created (mode 0700) if missing.
        federation: Federation name; becomes the O of every certificate.
        now: Current time (timezone-aware).
        days: Validity of the CA certificate.

    Returns:
        The paths written.

    Raises:
        InvalidInput: ``federation``, ``now`` or ``days`` is not acceptable.
        ConfigError: A CA already exists in ``directory``, or it cannot be written.
    """
    if not _FEDERATION.fullmatch(federation) or federation != federation.strip():
        raise InvalidInput("federation: 1-53 letters, digits, spaces, '.', '_' or '-'")
    not_before = require_aware(now) - _BACKDATE
    files = CaFiles(directory / CA_CERT_FILE, directory / CA_KEY_FILE)
    _refuse_existing(files.certificate, files.private_key)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{federation} Liaison CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, federation),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + _validity(days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    _mkdir(directory)
    _write_pair(files.certificate, files.private_key, cert, key)
    return files


def issue(
    directory: Path,
    name: str,
    role: Role,
    *,
    hosts: Sequence[str] = (),
    now: datetime,
    days: int = 825,
    not_before: datetime | None = None,
) -> IssuedFiles:
    """Issue a leaf certificate signed by the CA in ``directory``.

    Writes ``<name>.pem`` (the leaf certificate alone) and ``<name>.key``
    (PKCS8 PEM, mode 0600). The certificate is valid for TLS server and client
    authentication and carries the identity URI ``urn:liaison:<role>:<name>``.

    Args:
        directory: Folder holding ``ca.pem`` and ``ca.key``.
        name: Holder name, for example an agency code: 1-64 ASCII letters,
            digits, ``.``, ``_`` or ``-``, starting with a letter or digit.
        role: The holder's role.
        hosts: DNS names and IP addresses the holder serves on (SAN entries).
        now: Current time (timezone-aware).
        days: Validity, counted from ``not_before``.
        not_before: Start of validity; defaults to ``now`` minus five minutes.
            Tests pass a past (or future) value to make expired (or
            not-yet-valid) certificates.

    Returns:
        The paths written.

    Raises:
        InvalidInput: ``name``, ``role``, a host, a time or ``days`` is not acceptable.
        ConfigError: The CA cannot be loaded, or ``<name>.pem``/``<name>.key``
            already exists (remove both to re-issue).
    """
    role = _role(role)
    start = require_aware(now) - _BACKDATE if not_before is None else require_aware(not_before)
    if not HOLDER_NAME.fullmatch(name) or name.casefold() == "ca":
        # "ca" would overwrite the CA's own files (on any file system).
        raise InvalidInput("name: 1-64 letters, digits, '.', '_' or '-' and not 'ca'")
    san = [*(_host_name(i, host) for i, host in enumerate(hosts))]
    san.append(x509.UniformResourceIdentifier(identity_uri(name, role)))
    files = IssuedFiles(directory / f"{name}.pem", directory / f"{name}.key")
    ca_cert = load_certificate(directory / CA_CERT_FILE)
    ca_key = load_private_key(directory / CA_KEY_FILE)
    _refuse_existing(files.certificate, files.private_key)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_leaf_subject(name, role, federation_of(ca_cert)))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + _validity(days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_pair(files.certificate, files.private_key, cert, key)
    return files


def _validity(days: int) -> timedelta:
    if days < 1:
        raise InvalidInput("days must be at least 1")
    return timedelta(days=days)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput("role must be broker, node or auditor") from None


def _host_name(index: int, host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.split(".")
    if len(host) > 253 or not all(_DNS_LABEL.fullmatch(label) for label in labels):
        raise InvalidInput(f"hosts[{index}]: not a DNS name or IP address")
    return x509.DNSName(host)


def _leaf_subject(name: str, role: Role, federation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, federation),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role.value),
        ]
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _mkdir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{directory}: cannot create ({exc.strerror})") from None


def _refuse_existing(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            raise ConfigError(f"{path} already exists; refusing to overwrite it")


def _write_pair(
    cert_path: Path, key_path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> None:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_new(key_path, key_pem, _KEY_MODE)
    try:
        write_new(cert_path, cert.public_bytes(serialization.Encoding.PEM), _CERT_MODE)
    except ConfigError:
        # Leave no orphan key behind, or the next attempt would refuse to run.
        key_path.unlink(missing_ok=True)
        raise
