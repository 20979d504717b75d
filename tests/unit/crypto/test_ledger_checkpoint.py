"""Signed ledger checkpoints: canonical bytes, signature by the agency's node key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto.certificates import Role, load_certificate, load_private_key
from liaison.crypto.ledger_checkpoint import (
    LedgerCheckpoint,
    check_signature,
    sign_checkpoint,
    verify_checkpoint,
)
from liaison.crypto.pki import init_ca, issue

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HEAD = bytes(range(32))


@dataclass(frozen=True)
class Pki:
    ca: x509.Certificate
    fr_der: bytes
    nl_der: bytes
    auditor_der: bytes
    fr: Path
    other_ca: x509.Certificate


def _der(path: Path) -> bytes:
    return load_certificate(path).public_bytes(Encoding.DER)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    base = tmp_path_factory.mktemp("pki")
    ca = init_ca(base, "Test Federation", now=NOW)
    fr = issue(base, "FR", Role.NODE, hosts=("localhost",), now=NOW)
    nl = issue(base, "NL", Role.NODE, hosts=("localhost",), now=NOW)
    auditor = issue(base, "FR2", Role.AUDITOR, hosts=("localhost",), now=NOW)
    other = init_ca(tmp_path_factory.mktemp("other"), "Test Federation", now=NOW)
    return Pki(
        load_certificate(ca.certificate),
        _der(fr.certificate),
        _der(nl.certificate),
        _der(auditor.certificate),
        fr.private_key,
        load_certificate(other.certificate),
    )


def test_signed_bytes_are_canonical() -> None:
    checkpoint = LedgerCheckpoint("FR", 3, HEAD)
    assert checkpoint.signed_bytes() == (
        b"liaison-ledger-checkpoint-v1\nFR\n3\n" + HEAD.hex().encode() + b"\n"
    )


@pytest.mark.parametrize(
    ("agency", "size", "head"),
    [("", 1, HEAD), ("F\nR", 1, HEAD), ("FR", 0, HEAD), ("FR", True, HEAD), ("FR", 1, b"x" * 31)],
)
def test_malformed_checkpoints_are_refused(agency: str, size: int, head: bytes) -> None:
    with pytest.raises(InvalidInput):
        LedgerCheckpoint(agency, size, head)


def test_the_agency_signature_verifies_and_any_change_does_not(pki: Pki) -> None:
    checkpoint = LedgerCheckpoint("FR", 3, HEAD)
    signature = sign_checkpoint(checkpoint, load_private_key(pki.fr))
    check_signature(checkpoint, signature, pki.fr_der)
    verify_checkpoint(checkpoint, signature, pki.fr_der, pki.ca, at=NOW + timedelta(days=1))
    for changed in (
        LedgerCheckpoint("FR", 4, HEAD),
        LedgerCheckpoint("FR", 3, bytes(32)),
    ):
        with pytest.raises(ProofError, match="signature does not verify"):
            check_signature(changed, signature, pki.fr_der)


def test_another_agency_or_role_cannot_sign_for_it(pki: Pki) -> None:
    checkpoint = LedgerCheckpoint("FR", 3, HEAD)
    signature = sign_checkpoint(checkpoint, load_private_key(pki.fr))
    with pytest.raises(ProofError, match="not signed by the agency"):
        check_signature(checkpoint, signature, pki.nl_der)
    with pytest.raises(ProofError, match="not signed by the agency"):
        check_signature(LedgerCheckpoint("FR2", 3, HEAD), signature, pki.auditor_der)


def test_an_auditor_refuses_a_certificate_of_another_ca(pki: Pki) -> None:
    checkpoint = LedgerCheckpoint("FR", 3, HEAD)
    signature = sign_checkpoint(checkpoint, load_private_key(pki.fr))
    with pytest.raises(ProofError, match="checkpoint certificate"):
        verify_checkpoint(checkpoint, signature, pki.fr_der, pki.other_ca, at=NOW)
