"""Signed directory entries: an agency's contact points and follow-up encryption key.

Each node publishes one entry through the broker: its contact points per
data category and its X25519 follow-up key (:mod:`crypto.followup_seal`),
signed with its agency key (ECDSA P-256, the key of its federation
certificate). The broker stores and serves the entry with that certificate;
every reader checks the certificate against the federation CA, that it is
the agency's node certificate, and the signature over the exact bytes. So
the broker can withhold an entry, or serve an older one it kept, but it
cannot rewrite a contact or substitute an encryption key.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import EnvelopeRejected, InvalidInput, PermissionDenied
from liaison.crypto.certificates import Role, parse_certificate, verify_certificate

ENTRY_DOMAIN: Final = b"liaison-directory-entry-v1\n"
ENTRY_VERSION: Final = 1
#: Most contact points one entry holds.
MAX_CONTACTS: Final = 32
_MAX_TEXT: Final = 200
_SIGNATURE = ec.ECDSA(hashes.SHA256())
_CONTACT_TEXT = ("category", "unit", "role", "phone", "email", "hours", "time_zone")


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """Whom to contact about one data category (a dataset name, or ``*`` for any)."""

    category: str
    unit: str
    role: str = ""
    phone: str = ""
    email: str = ""
    languages: tuple[str, ...] = ()
    hours: str = ""
    time_zone: str = ""

    def __post_init__(self) -> None:
        """Refuse values that are not short printable text."""
        for name in _CONTACT_TEXT:
            _check_text(getattr(self, name), f"contact {name}")
        if not self.category or not self.unit:
            raise InvalidInput("a contact point needs a category and a unit")
        if not isinstance(self.languages, tuple):
            raise InvalidInput("contact languages must be a list")
        for language in self.languages:
            _check_text(language, "contact language")


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """What one agency publishes about itself."""

    agency: str
    encryption_key: bytes
    contacts: tuple[ContactPoint, ...]
    published_at_ms: int

    def __post_init__(self) -> None:
        """Refuse an entry that could not be signed or read back faithfully."""
        if not NAME_PATTERN.fullmatch(self.agency):
            raise InvalidInput("directory entry agency must be an agency code")
        if not isinstance(self.encryption_key, bytes) or len(self.encryption_key) != 32:
            raise InvalidInput("directory entry encryption key must be 32 bytes")
        if len(self.contacts) > MAX_CONTACTS:
            raise InvalidInput(f"a directory entry holds at most {MAX_CONTACTS} contact points")
        if type(self.published_at_ms) is not int or self.published_at_ms < 0:
            raise InvalidInput("directory entry time must be a non-negative integer")

    def to_bytes(self) -> bytes:
        """Return the canonical bytes (sorted-key JSON) that the agency signs."""
        document: dict[str, Any] = {
            "v": ENTRY_VERSION,
            "agency": self.agency,
            "encryption_key": self.encryption_key.hex(),
            "contacts": [asdict(c) for c in self.contacts],
            "published_at_ms": self.published_at_ms,
        }
        for contact in document["contacts"]:
            contact["languages"] = list(contact["languages"])
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def contact_for(self, category: str) -> ContactPoint | None:
        """Return the contact point of ``category``, else the ``*`` one, else None."""
        for wanted in (category, "*"):
            for contact in self.contacts:
                if contact.category == wanted:
                    return contact
        return None


@dataclass(frozen=True, slots=True)
class SignedEntry:
    """A directory entry as served: its bytes, the signature, the signer's certificate (DER)."""

    entry: bytes
    signature: bytes
    certificate: bytes


def sign_entry(entry: DirectoryEntry, key: ec.EllipticCurvePrivateKey) -> SignedEntry:
    """Sign ``entry`` with the agency key; the certificate is added by the broker."""
    data = entry.to_bytes()
    return SignedEntry(data, key.sign(ENTRY_DOMAIN + data, _SIGNATURE), b"")


def parse_entry(data: bytes) -> DirectoryEntry:
    """Parse an entry's canonical bytes.

    Raises:
        InvalidInput: not a version-1 entry in canonical form.
    """
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("v") != ENTRY_VERSION:
            raise InvalidInput("directory entry of an unknown version")
        contacts = tuple(
            ContactPoint(**{**c, "languages": tuple(c.get("languages", ()))})
            for c in document["contacts"]
        )
        entry = DirectoryEntry(
            agency=document["agency"],
            encryption_key=bytes.fromhex(document["encryption_key"]),
            contacts=contacts,
            published_at_ms=document["published_at_ms"],
        )
    except InvalidInput:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput("directory entry is malformed") from None
    if entry.to_bytes() != data:
        raise InvalidInput("directory entry is not in canonical form")
    return entry


def verify_entry(
    signed: SignedEntry, ca_certificate: x509.Certificate, *, now: datetime
) -> DirectoryEntry:
    """Return the entry if its certificate is the agency's node certificate and it signed it.

    Raises:
        EnvelopeRejected: the certificate is not the federation's or not the
            entry agency's node certificate, or the signature does not verify.
        InvalidInput: the entry is malformed.
    """
    try:
        identity = verify_certificate(signed.certificate, ca_certificate, now=now)
    except PermissionDenied:
        raise EnvelopeRejected("directory entry certificate is not the federation's") from None
    entry = parse_entry(signed.entry)
    if identity.role is not Role.NODE or identity.name != entry.agency:
        raise EnvelopeRejected("directory entry is not signed by the agency's node")
    check_entry_signature(signed, parse_certificate(signed.certificate))
    return entry


def check_entry_signature(signed: SignedEntry, certificate: x509.Certificate) -> None:
    """Check the entry's signature with the certificate's key.

    Raises:
        EnvelopeRejected: the key is not ECDSA P-256 or the signature does not verify.
    """
    public = certificate.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise EnvelopeRejected("directory entry signer key is not ECDSA")
    try:
        public.verify(signed.signature, ENTRY_DOMAIN + signed.entry, _SIGNATURE)
    except (InvalidSignature, ValueError):
        raise EnvelopeRejected("directory entry signature does not verify") from None


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str) or len(value) > _MAX_TEXT or not value.isprintable():
        raise InvalidInput(f"{what} must be printable text of at most {_MAX_TEXT} characters")
