"""Key parts of identifiers other than names: each normalisation rule."""

from __future__ import annotations

from typing import Any

import pycountry
import pytest

from liaison.crypto.identifiers import (
    document_issuers,
    normalise_country,
    normalise_email,
    normalise_iban,
    normalise_id,
    normalise_phone,
    normalise_wallet,
)

# --- identifiers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12 ab-345.67", "12AB34567"),
        ("ＡＢ１２３", "AB123"),  # noqa: RUF001 (the point of the case)
        ("١٢٣", "123"),
        ("ΑΒ 12", "αβ12"),  # noqa: RUF001 (the point of the case)
        ("Straße 1", "STRASSE1"),
        ("x/y\\z", "XYZ"),
        (" - ", ""),
    ],
)
def test_id_normalisation_rule(written: str, expected: str) -> None:
    assert normalise_id(written) == expected


@pytest.mark.parametrize(
    ("numbers", "countries", "nationality", "expected"),
    [
        (("a", "b"), ("FR", "DE"), None, ("FR", "DE")),
        (("a", "b"), ("fra",), None, ("FR", "FR")),
        (("a", "b"), (), "IT", ("IT", "IT")),
        (("a", "b"), (), None, (None, None)),
        (("a", "b", "c"), ("FR", "DE"), "IT", (None, None, None)),
        (("a",), ("nowhere",), "IT", (None,)),
    ],
)
def test_document_issuer_resolution(
    numbers: tuple[str, ...],
    countries: tuple[str, ...],
    nationality: str | None,
    expected: tuple[str | None, ...],
) -> None:
    assert document_issuers(numbers, countries, nationality) == expected


# --- countries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("FR", "FR"),
        (" fra ", "FR"),
        ("France", "FR"),
        ("Czech Republic", "CZ"),
        ("South Korea", "KR"),
        ("Cote d'Ivoire", "CI"),
        ("D", "DE"),
        ("UK", "GB"),
        ("RKS", "XK"),
        ("Atlantis", None),
        ("", None),
        ("FRX", None),
    ],
)
def test_country_spelling_resolves_to_alpha2(written: str, expected: str | None) -> None:
    assert normalise_country(written) == expected


@pytest.mark.parametrize("country", list(pycountry.countries), ids=lambda c: c.alpha_2)
def test_every_iso_country_resolves_to_itself(country: Any) -> None:
    # Catches spellings shadowed by another country in the lookup table.
    for spelling in (country.alpha_2, country.alpha_3, country.name):
        assert normalise_country(spelling) == country.alpha_2


# --- phones, e-mails, IBANs ----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "region", "expected"),
    [
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", None, "+33612345678"),
        ("+33 6 12 34 56 78", "DE", "+33612345678"),
        ("0033 6 12 34 56 78", "FR", "+33612345678"),
        ("(202) 456-1111", "US", "+12024561111"),
        ("06 12 34 56 78", None, None),
        ("06 12 34 56 78", "BE", None),
        ("+33 1 23", None, None),
        ("not a number", "FR", None),
    ],
)
def test_phone_normalisation(written: str, region: str | None, expected: str | None) -> None:
    assert normalise_phone(written, region) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (" John.Doe+Tag@Example.COM ", "john.doe+tag@example.com"),
        ("Ünïcode@Bücher.DE", "ünïcode@bücher.de"),
        ("a@b", None),
        ("a@@b.c", None),
        ("a@b@c.d", None),
        ("@b.c", None),
        ("a@.b.c", None),
        ("a@b.c.", None),
        ("a b@c.d", None),
        ("a|b@c.d", None),
        ("a\u200b@c.d", None),
    ],
)
def test_email_normalisation(written: str, expected: str | None) -> None:
    assert normalise_email(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82-WEST-1234-5698-7654-32", "GB82WEST12345698765432"),
        ("DE89 3704 0044 0532 0130 01", None),
        ("XX89 3704 0044 0532 0130 00", None),
        ("", None),
    ],
)
def test_iban_normalisation(written: str, expected: str | None) -> None:
    assert normalise_iban(written) == expected


# --- wallets -----------------------------------------------------------------

# Valid strings from BIP-173 (bech32) and BIP-350 (bech32m), upper-cased here
# where the BIP lists them in lower case, so that lower-casing is observable.
BECH32_VALID = [
    "ABCDEF1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LMQQQXW",
    "SPLIT1CHECKUPSTAGEHANDSHAKEUPSTREAMERRANTERREDCAPERRED2Y9E3W",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "ABCDEF1L7AUM6ECHK45NJ3S0WDVT2FG8X9YRZPQZD3RYX",
    "SPLIT1CHECKUPSTAGEHANDSHAKEUPSTREAMERRANTERREDCAPERREDLC445V",
    "BC1P0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQZK5JJ0",
]


@pytest.mark.parametrize("address", BECH32_VALID)
def test_bech32_addresses_are_lower_cased(address: str) -> None:
    assert normalise_wallet(address) == address.lower()


@pytest.mark.parametrize(
    "address",
    [
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T5",  # checksum broken
        "bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",  # mixed case is not bech32
        "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",  # base58
        "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8",  # base58 (Tron)
    ],
)
def test_other_addresses_keep_their_case(address: str) -> None:
    assert normalise_wallet(address) == address


def test_ethereum_address_is_lower_cased() -> None:
    address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    assert normalise_wallet(f" {address} ") == address.lower()
    assert normalise_wallet("0X" + address[2:]) == address.lower()


@pytest.mark.parametrize(
    "address",
    ["0x12", "x" * 129, "bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1Boat SLRHtKNngkdXEeob"],
)
def test_non_address_gives_no_wallet_key(address: str) -> None:
    assert normalise_wallet(address) is None
