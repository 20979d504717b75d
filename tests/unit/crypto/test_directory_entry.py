"""Signed directory entries: the broker cannot rewrite a contact or swap a key."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.errors import EnvelopeRejected, InvalidInput
from liaison.crypto.certificates import load_certificate, load_private_key
from liaison.crypto.directory_entry import (
    ContactPoint,
    DirectoryEntry,
    SignedEntry,
    parse_entry,
    sign_entry,
    verify_entry,
)
from tests.pki_support import Federation, make_federation

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DESK = ContactPoint("watchlist", "NL CT desk", phone="+31 70", languages=("en", "nl"))
ENTRY = DirectoryEntry("NL", bytes(range(32)), (DESK, ContactPoint("*", "NL intl")), 1)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    return make_federation(tmp_path_factory.mktemp("pki"), agencies=("FR", "NL"), now=NOW)


def signed_by(pki: Federation, agency: str, entry: DirectoryEntry = ENTRY) -> SignedEntry:
    files = pki.nodes[agency]
    signed = sign_entry(entry, load_private_key(files.private_key))
    der = load_certificate(files.certificate).public_bytes(Encoding.DER)
    return dataclasses.replace(signed, certificate=der)


def test_an_entry_verifies_and_names_contacts_per_category(pki: Federation) -> None:
    ca = load_certificate(pki.ca_certificate)
    entry = verify_entry(signed_by(pki, "NL"), ca, now=NOW)
    assert entry == ENTRY
    assert entry.contact_for("watchlist") == DESK
    assert entry.contact_for("passports") == ContactPoint("*", "NL intl")


def test_a_rewritten_contact_or_key_is_rejected(pki: Federation) -> None:
    ca = load_certificate(pki.ca_certificate)
    signed = signed_by(pki, "NL")
    for forged in (
        signed.entry.replace(b"NL CT desk", b"NL CT fake"),
        dataclasses.replace(ENTRY, encryption_key=bytes(32)).to_bytes(),
    ):
        with pytest.raises(EnvelopeRejected, match="signature"):
            verify_entry(dataclasses.replace(signed, entry=forged), ca, now=NOW)


def test_an_entry_signed_by_another_agency_is_rejected(pki: Federation) -> None:
    ca = load_certificate(pki.ca_certificate)
    with pytest.raises(EnvelopeRejected, match="agency's node"):
        verify_entry(signed_by(pki, "FR"), ca, now=NOW)


@pytest.mark.parametrize(
    "data", [b"", b"{}", b'{"v":1}', ENTRY.to_bytes().replace(b":", b": ", 1), b"\xff"]
)
def test_a_malformed_entry_is_invalid_input(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_entry(data)


def test_contact_points_refuse_control_characters_and_blank_units() -> None:
    with pytest.raises(InvalidInput):
        ContactPoint("*", "desk\n")
    with pytest.raises(InvalidInput):
        ContactPoint("*", "")
