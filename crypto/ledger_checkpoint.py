"""Signed ledger checkpoints: an agency's ledger head, signed with its node key.

A node's ledger is a hash chain (``docs/audit.md``, "Node ledgers"): the
hash of its last entry commits to every entry before it. A *checkpoint* is
that head, ``(agency, size, head_hash)``, signed with the agency's
certificate key (ECDSA P-256, SHA-256, DER) and anchored as a
``ledger_checkpoint`` entry in the broker's Merkle log. An agency that later
rewrites its ledger and recomputes the chain cannot reproduce a head it
signed and anchored before: the auditor compares the export with every
anchored head (``docs/audit.md``, "Anchored ledger heads").

Signed bytes (version 1)::

    b"liaison-ledger-checkpoint-v1\\n" + f"{agency}\\n{size}\\n{head_hash.hex()}\\n".encode()
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import Certificate

from liaison.core.errors import InvalidInput, PermissionDenied, ProofError
from liaison.crypto.certificates import (
    HOLDER_NAME,
    Role,
    identity_from_certificate,
    parse_certificate,
    verify_certificate,
)

CHECKPOINT_DOMAIN: Final = b"liaison-ledger-checkpoint-v1\n"
HASH_SIZE: Final = 32
_SIGNATURE: Final = ec.ECDSA(hashes.SHA256())


@dataclass(frozen=True, slots=True)
class LedgerCheckpoint:
    """The head of an agency's ledger: ``size`` entries, the last one hashing to ``head_hash``.

    Raises:
        InvalidInput: an agency that is not a holder name, a size below 1,
            or a hash that is not 32 bytes.
    """

    agency: str
    size: int
    head_hash: bytes

    def __post_init__(self) -> None:
        """Refuse what could not be signed unambiguously."""
        if not isinstance(self.agency, str) or not HOLDER_NAME.fullmatch(self.agency):
            raise InvalidInput("checkpoint agency is not an agency code")
        if type(self.size) is not int or self.size < 1:
            raise InvalidInput("checkpoint size must be a positive integer")
        if not isinstance(self.head_hash, bytes) or len(self.head_hash) != HASH_SIZE:
            raise InvalidInput(f"checkpoint head hash must be {HASH_SIZE} bytes")

    def signed_bytes(self) -> bytes:
        """Return the canonical bytes the agency signs."""
        text = f"{self.agency}\n{self.size}\n{self.head_hash.hex()}\n"
        return CHECKPOINT_DOMAIN + text.encode("ascii")


def sign_checkpoint(checkpoint: LedgerCheckpoint, key: ec.EllipticCurvePrivateKey) -> bytes:
    """Sign a checkpoint with the agency's node key; return the DER signature."""
    return key.sign(checkpoint.signed_bytes(), _SIGNATURE)


def check_signature(checkpoint: LedgerCheckpoint, signature: bytes, certificate: bytes) -> None:
    """Check that ``certificate`` (DER or PEM) is the checkpoint agency's node and signed it.

    The certificate itself is not judged against a CA here (the broker takes
    it from a verified TLS session; an auditor uses :func:`verify_checkpoint`).

    Raises:
        ProofError: the certificate is not the agency's node certificate, its
            key is not ECDSA P-256, or the signature does not verify.
    """
    try:
        identity = identity_from_certificate(certificate)
    except PermissionDenied as exc:
        raise ProofError(f"checkpoint certificate: {exc}") from None
    if identity.role is not Role.NODE or identity.name != checkpoint.agency:
        raise ProofError("checkpoint is not signed by the agency's node certificate")
    public_key = parse_certificate(certificate).public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise ProofError("checkpoint signer key is not ECDSA P-256")
    try:
        public_key.verify(signature, checkpoint.signed_bytes(), _SIGNATURE)
    except (InvalidSignature, ValueError):
        raise ProofError("checkpoint signature does not verify") from None


def verify_checkpoint(
    checkpoint: LedgerCheckpoint,
    signature: bytes,
    certificate: bytes,
    ca_certificate: Certificate,
    *,
    at: datetime,
) -> None:
    """Check a checkpoint as an auditor: certificate issued by the CA and valid ``at``, signature.

    ``at`` is the time the checkpoint was anchored (its log entry's time), so
    a certificate that expired since still proves what was signed then.

    Raises:
        ProofError: the certificate is not the federation's, or :func:`check_signature` fails.
    """
    try:
        verify_certificate(certificate, ca_certificate, now=at)
    except PermissionDenied as exc:
        raise ProofError(f"checkpoint certificate: {exc}") from None
    check_signature(checkpoint, signature, certificate)
