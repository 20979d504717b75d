"""Federation certificates as a peer reads them: roles, identities, verification, TLS files.

A leaf certificate names its holder three times, and the three must agree:
the SAN URI ``urn:liaison:<role>:<name>`` (authoritative), the subject CN
(name) and the subject OU (role); the subject O is the federation. Issuing
certificates is :mod:`liaison.crypto.pki`'s job; this module judges and loads
them. Every function that judges time takes ``now`` as a parameter, so tests
never touch the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from liaison.core.errors import ConfigError, InvalidInput, PermissionDenied
from liaison.core.files import read_file

__all__ = [
    "HOLDER_NAME",
    "PeerIdentity",
    "Role",
    "TlsMaterial",
    "federation_of",
    "identity_from_certificate",
    "identity_uri",
    "load_certificate",
    "load_private_key",
    "load_tls_material",
    "parse_certificate",
    "parse_private_key",
    "require_aware",
    "tls_material",
    "verify_certificate",
]

_URI_PREFIX = "urn:liaison:"
#: A holder name: ASCII only and no path separator, as it becomes a file name and a URI part.
HOLDER_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# What cryptography raises on malformed DER, some of it lazily (on first access
# to the subject or the extensions; a subject attribute of the wrong string type
# is a TypeError from NameAttribute). Some defects (a serial number RFC 5280
# forbids, a country name of the wrong length) are only warnings: raised where
# warnings are errors, as in our tests, and elsewhere printed, after which such a
# certificate fails verification anyway.
_MALFORMED = (
    ValueError,
    TypeError,
    UserWarning,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


class Role(StrEnum):
    """What a certificate holder is in the federation (the OU of its subject)."""

    BROKER = "broker"
    NODE = "node"
    AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class PeerIdentity:
    """Who holds a federation certificate."""

    name: str
    role: Role
    federation: str


@dataclass(frozen=True, slots=True)
class TlsMaterial:
    """PEM bytes in the shape ``grpc.ssl_server_credentials`` and friends expect."""

    certificate_chain: bytes
    private_key: bytes
    root_certificates: bytes


def identity_uri(name: str, role: Role) -> str:
    """Return the SAN URI that names a certificate holder.

    Args:
        name: The holder's name, for example an agency code such as ``"FR"``.
        role: The holder's role.

    Returns:
        ``urn:liaison:<role>:<name>``.
    """
    return f"{_URI_PREFIX}{role.value}:{name}"


def parse_certificate(data: bytes) -> x509.Certificate:
    """Parse one certificate given as DER or PEM bytes.

    Args:
        data: DER bytes, or PEM (as gRPC's auth context hands it over).

    Returns:
        The certificate (the first one, for PEM holding several).

    Raises:
        PermissionDenied: ``data`` is not an X.509 certificate.
    """
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except _MALFORMED:
        raise PermissionDenied("certificate could not be parsed") from None


def identity_from_certificate(cert: x509.Certificate | bytes) -> PeerIdentity:
    """Read the Liaison identity a certificate carries, without judging its issuer.

    The SAN URI ``urn:liaison:<role>:<name>`` is authoritative; the subject CN
    and OU must repeat name and role, and the subject O names the federation.
    Use :func:`verify_certificate` for a certificate that has not already been
    verified (by the TLS handshake, say).

    Args:
        cert: A certificate, or its DER or PEM bytes.

    Returns:
        The holder's identity.

    Raises:
        PermissionDenied: The certificate cannot be parsed, carries no Liaison
            identity, or its URI, CN, OU and O disagree.
    """
    if isinstance(cert, bytes):
        cert = parse_certificate(cert)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        uris = san.get_values_for_type(x509.UniformResourceIdentifier)
        subject = cert.subject
        common_names = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        units = subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        organisations = subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    except x509.ExtensionNotFound:
        raise PermissionDenied("certificate carries no Liaison identity") from None
    except _MALFORMED:
        # The subject and extensions are parsed lazily; malformed ones surface here.
        raise PermissionDenied("certificate could not be parsed") from None
    ours = [u.removeprefix(_URI_PREFIX) for u in uris if u.startswith(_URI_PREFIX)]
    if not ours:
        raise PermissionDenied("certificate carries no Liaison identity")
    role_text, _, name = ours[0].partition(":")
    if (
        len(ours) != 1
        or role_text not in {r.value for r in Role}
        or not HOLDER_NAME.fullmatch(name)
        or [a.value for a in common_names] != [name]
        or [a.value for a in units] != [role_text]
        or len(organisations) != 1
        or not isinstance(organisations[0].value, str)
    ):
        raise PermissionDenied("certificate identity is inconsistent")
    return PeerIdentity(name=name, role=Role(role_text), federation=organisations[0].value)


def verify_certificate(
    cert_der_or_pem: bytes, ca_cert: x509.Certificate, *, now: datetime
) -> PeerIdentity:
    """Check that a leaf certificate was issued by the federation CA and is valid now.

    Chain building, the signature, validity periods (leaf and CA), CA-ness of
    the issuer and end-entity-ness of the leaf are checked by
    ``cryptography.x509.verification`` with the RFC 5280 client-certificate
    policy; our leaves carry the clientAuth EKU that policy requires. The
    validity window is also checked here first, only so that an expired
    certificate gets its own (still generic) message.

    Args:
        cert_der_or_pem: The leaf certificate, DER or PEM.
        ca_cert: The federation CA certificate (the only trust anchor).
        now: Current time (timezone-aware).

    Returns:
        The identity the certificate carries, with the federation checked
        against the CA's.

    Raises:
        InvalidInput: ``now`` is naive.
        PermissionDenied: The certificate is unparsable, expired or not yet
            valid, not issued by ``ca_cert``, a CA itself, or carries no
            consistent identity of this federation.
        ConfigError: ``ca_cert`` names no federation (no single subject O).
    """
    now = require_aware(now)
    cert = parse_certificate(cert_der_or_pem)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise PermissionDenied("certificate expired or not yet valid")
    verifier = PolicyBuilder().store(Store([ca_cert])).time(now).build_client_verifier()
    try:
        verifier.verify(cert, [])
    except (VerificationError, *_MALFORMED):
        # The reason names certificate fields; keep it out of messages and logs.
        raise PermissionDenied("certificate not issued by the federation CA") from None
    identity = identity_from_certificate(cert)
    if identity.federation != federation_of(ca_cert):
        raise PermissionDenied("certificate identity is inconsistent")
    return identity


def load_certificate(path: Path) -> x509.Certificate:
    """Load one PEM certificate from a file.

    Args:
        path: The PEM file.

    Returns:
        The first certificate in the file.

    Raises:
        ConfigError: The file is missing, unreadable or not a PEM certificate.
    """
    try:
        return x509.load_pem_x509_certificate(read_file(path))
    except ValueError:
        raise ConfigError(f"{path}: not a PEM certificate") from None


def load_private_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """Load an unencrypted PEM ECDSA P-256 private key from a file.

    Args:
        path: The PEM file (PKCS8, as :func:`init_ca` and :func:`issue` write).

    Returns:
        The key.

    Raises:
        ConfigError: The file is missing, unreadable, not a PEM private key,
            encrypted, or not an ECDSA P-256 key.
    """
    return parse_private_key(read_file(path), where=str(path))


def parse_private_key(pem: bytes, *, where: str) -> ec.EllipticCurvePrivateKey:
    """Parse an unencrypted PEM ECDSA P-256 private key (unsealed in memory, say).

    Args:
        pem: The PKCS8 PEM bytes.
        where: The file they came from, for error messages.

    Returns:
        The key.

    Raises:
        ConfigError: not a PEM private key, encrypted, or not an ECDSA P-256
            key; the message names ``where``, never the key.
    """
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # TypeError: the key is encrypted and we passed no password.
        raise ConfigError(f"{where}: not an unencrypted PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ConfigError(f"{where}: not an ECDSA P-256 private key")
    return key


def load_tls_material(cert_path: Path, key_path: Path, ca_path: Path) -> TlsMaterial:
    """Load and cross-check the PEM files a gRPC server or channel needs.

    Args:
        cert_path: This peer's certificate (``<name>.pem``).
        key_path: Its private key (``<name>.key``).
        ca_path: The federation CA certificate (``ca.pem``).

    Returns:
        The three files' bytes, as read.

    Raises:
        ConfigError: A file is missing, unreadable or not PEM of the right
            kind, or the key does not belong to the certificate.
    """
    return tls_material(cert_path, read_file(key_path), ca_path, key_where=str(key_path))


def tls_material(cert_path: Path, key_pem: bytes, ca_path: Path, *, key_where: str) -> TlsMaterial:
    """Cross-check a private key held in memory with the certificate files.

    Args:
        cert_path: This peer's certificate (``<name>.pem``).
        key_pem: Its private key, PKCS8 PEM (read from a file or unsealed).
        ca_path: The federation CA certificate (``ca.pem``).
        key_where: The file the key came from, for error messages.

    Returns:
        The certificate and CA files' bytes and ``key_pem``.

    Raises:
        ConfigError: A file is missing, unreadable or not PEM of the right
            kind, or the key does not belong to the certificate.
    """
    cert = load_certificate(cert_path)
    key = parse_private_key(key_pem, where=key_where)
    load_certificate(ca_path)
    # gRPC reports a mismatched key only as a failed handshake; say it here.
    if cert.public_key() != key.public_key():
        raise ConfigError(f"{key_where}: key does not match {cert_path}")
    return TlsMaterial(
        certificate_chain=read_file(cert_path),
        private_key=key_pem,
        root_certificates=read_file(ca_path),
    )


def require_aware(now: datetime) -> datetime:
    """Return ``now`` unchanged if it is timezone-aware.

    A naive datetime would be read as local time by ``.timestamp()``.

    Raises:
        InvalidInput: ``now`` is naive.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("time must be timezone-aware")
    return now


def federation_of(ca_cert: x509.Certificate) -> str:
    """Return the federation a CA certificate names (its single subject O).

    Raises:
        ConfigError: the subject has no single string O.
    """
    values = [a.value for a in ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if len(values) != 1 or not isinstance(values[0], str):
        raise ConfigError("CA certificate names no federation (subject O)")
    return values[0]
