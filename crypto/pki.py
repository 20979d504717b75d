"""The federation certificate authority and the identities its certificates carry.

One CA per federation signs every broker, node and auditor certificate. Keys are
ECDSA P-256 and signatures SHA-256 throughout, which gRPC's BoringSSL accepts on
every platform. A leaf certificate names its holder three times, and the three
must agree: the SAN URI ``urn:liaison:<role>:<name>`` (authoritative), the
subject CN (name) and the subject OU (role); the subject O is the federation.

Every function that judges time takes ``now`` as a parameter, so tests never
touch the clock.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from liaison.core.errors import ConfigError, InvalidInput, PermissionDenied
from liaison.core.files import read_file, write_new

__all__ = [
    "CA_CERT_FILE",
    "CA_KEY_FILE",
    "CaFiles",
    "IssuedFiles",
    "PeerIdentity",
    "Role",
    "TlsMaterial",
    "identity_from_certificate",
    "identity_uri",
    "init_ca",
    "issue",
    "load_certificate",
    "load_private_key",
    "load_tls_material",
    "parse_certificate",
    "verify_certificate",
]

CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca.key"

_URI_PREFIX = "urn:liaison:"
# ASCII only and no path separator: the name becomes a file name and a URI part.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# X.509 caps a CN at 64 characters and the CA's CN appends " Liaison CA" (11).
_FEDERATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,52}")
_DNS_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
# Certificates start five minutes early so that a peer whose clock runs a little
# behind the issuer's does not refuse a certificate issued a moment ago.
_BACKDATE = timedelta(minutes=5)
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
_KEY_MODE = 0o600
_CERT_MODE = 0o644


class Role(StrEnum):
    """What a certificate holder is in the federation (the OU of its subject)."""

    BROKER = "broker"
    NODE = "node"
    AUDITOR = "auditor"


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
    not_before = _require_aware(now) - _BACKDATE
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
    start = _require_aware(now) - _BACKDATE if not_before is None else _require_aware(not_before)
    if not _NAME.fullmatch(name) or name.casefold() == "ca":
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
        .subject_name(_leaf_subject(name, role, _federation_of(ca_cert)))
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
        or not _NAME.fullmatch(name)
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
    now = _require_aware(now)
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
    if identity.federation != _federation_of(ca_cert):
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
    try:
        key = serialization.load_pem_private_key(read_file(path), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # TypeError: the key is encrypted and we passed no password.
        raise ConfigError(f"{path}: not an unencrypted PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ConfigError(f"{path}: not an ECDSA P-256 private key")
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
    cert = load_certificate(cert_path)
    key = load_private_key(key_path)
    load_certificate(ca_path)
    # gRPC reports a mismatched key only as a failed handshake; say it here.
    if cert.public_key() != key.public_key():
        raise ConfigError(f"{key_path}: key does not match {cert_path}")
    return TlsMaterial(
        certificate_chain=read_file(cert_path),
        private_key=read_file(key_path),
        root_certificates=read_file(ca_path),
    )


def _require_aware(now: datetime) -> datetime:
    # A naive datetime would be read as local time by .timestamp(): refuse it.
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("time must be timezone-aware")
    return now


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


def _federation_of(ca_cert: x509.Certificate) -> str:
    values = [a.value for a in ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if len(values) != 1 or not isinstance(values[0], str):
        raise ConfigError("CA certificate names no federation (subject O)")
    return values[0]


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
