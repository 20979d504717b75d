"""Tests of the synthetic identifier factories and their alternative spellings."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable

import phonenumbers
import pytest
from stdnum import iban as stdnum_iban
from stdnum.be import nn as be_nn
from stdnum.es import dni as es_dni
from stdnum.fr import nir as fr_nir
from stdnum.nl import bsn as nl_bsn
from stdnum.tr import tckimlik as tr_tckimlik

from liaison.tools import demo_identifiers as ids

PHONE_REGIONS = ("FR", "NL", "DE", "BE", "TR", "ES", "MA", "DZ", "TN", "SY", "IQ", "EG")
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@pytest.fixture
def rng() -> random.Random:
    return random.Random("demo-identifiers-test")


def _compact(text: str) -> str:
    return "".join(char for char in text.upper() if char.isalnum())


@pytest.mark.parametrize("region", PHONE_REGIONS)
def test_phones_are_valid_mobiles_and_every_spelling_parses_back(
    rng: random.Random, region: str
) -> None:
    for _ in range(50):
        number = ids.make_phone(rng, region)
        assert phonenumbers.is_valid_number_for_region(number, region)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        spellings = ids.phone_spellings(number, region)
        assert spellings[0] == e164
        assert len(spellings) >= 4  # E.164, international, 00, national
        for spelling in spellings:
            parsed = phonenumbers.parse(spelling, region)
            assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164


def test_phone_spellings_without_nationality_are_international_only(rng: random.Random) -> None:
    number = ids.make_phone(rng, "FR")
    assert all(s.startswith("+") for s in ids.phone_spellings(number, ""))
    assert all(s.startswith(("+", "00")) for s in ids.phone_spellings(number, "NL"))


@pytest.mark.parametrize("country", ids.IBAN_COUNTRIES)
def test_ibans_pass_stdnum_including_national_checks(rng: random.Random, country: str) -> None:
    for _ in range(50):
        iban = ids.make_iban(rng, country)
        assert iban.startswith(country)
        assert all(stdnum_iban.is_valid(s) for s in ids.iban_spellings(iban))
        assert {_compact(s) for s in ids.iban_spellings(iban)} == {iban}


def test_iban_check_digits_match_a_published_example() -> None:
    # The example IBAN of the ECBS / Wikipedia: GB82 WEST 1234 5698 7654 32.
    assert ids.iban_with_check_digits("GB", "WEST12345698765432") == "GB82WEST12345698765432"


@pytest.mark.parametrize(
    ("country", "valid"),
    [
        ("FR", fr_nir.is_valid),
        ("BE", be_nn.is_valid),
        ("NL", nl_bsn.is_valid),
        ("TR", tr_tckimlik.is_valid),
        ("ES", es_dni.is_valid),
    ],
)
def test_national_ids_pass_their_national_checks(
    rng: random.Random, country: str, valid: Callable[[str], bool]
) -> None:
    for _ in range(50):
        date = ids.make_date_of_birth(rng)
        number = ids.make_national_id(rng, country, date)
        assert number is not None
        assert valid(number), number
        assert {_compact(s) for s in ids.national_id_spellings(country, number)} == {number}


def test_countries_without_a_scheme_get_no_national_id(rng: random.Random) -> None:
    assert ids.make_national_id(rng, "DE", "1980-01-01") is None
    assert ids.make_national_id(rng, "MA", "1980-01-01") is not None


def test_bech32_wallets_carry_a_valid_bip173_checksum(rng: random.Random) -> None:
    wallets = [ids.make_wallet(rng) for _ in range(200)]
    segwit = [w for w in wallets if w.startswith("bc1q")]
    assert len(segwit) > 100
    for wallet in segwit:
        assert len(wallet) == 42 and set(wallet[3:]) <= set(BECH32)
        values = [3, 3, 0, 2, 3] + [BECH32.index(c) for c in wallet[3:]]  # hrp "bc" expanded
        assert _bech32_polymod(values) == 1


def test_legacy_wallets_carry_a_valid_base58check_checksum(rng: random.Random) -> None:
    legacy = [w for w in (ids.make_wallet(rng) for _ in range(200)) if not w.startswith("bc1")]
    assert legacy and all(w[0] in "13" for w in legacy)
    for wallet in legacy:
        value = 0
        for char in wallet:
            value = value * 58 + BASE58.index(char)
        data = value.to_bytes(25, "big")
        assert hashlib.sha256(hashlib.sha256(data[:-4]).digest()).digest()[:4] == data[-4:]


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit in range(5):
            checksum ^= generator[bit] if (top >> bit) & 1 else 0
    return checksum


def test_document_spellings_keep_letters_and_digits(rng: random.Random) -> None:
    for country in ("FR", "NL", "DE", "BE", "TR", "ES", "MA", "DZ", "TN", "SY", "IQ", "EG"):
        number = ids.make_passport(rng, country)
        assert re.fullmatch(r"[A-Z0-9]{7,10}", number)
        assert {_compact(s) for s in ids.document_spellings(number)} == {number}
    assert re.fullmatch(r"[0-9]{2}[A-Z]{2}[0-9]{5}", ids.make_passport(rng, "FR"))


def test_email_spellings_differ_in_case_only(rng: random.Random) -> None:
    email = ids.make_email(rng, "İbrahim", "El Amrani")
    assert re.fullmatch(r"[a-z0-9.]+@[a-z.]+", email)
    assert {s.lower() for s in ids.email_spellings(email)} == {email}
    assert len(ids.email_spellings(email)) == 3


def test_dates_of_birth_stay_in_range_and_other_dates_differ(rng: random.Random) -> None:
    edges = ["1950-01-01", "1950-01-31", "2005-12-31", "2005-12-01"]
    for date in edges + [ids.make_date_of_birth(rng) for _ in range(500)]:
        assert "1950-01-01" <= date <= "2005-12-31"
        for _ in range(20):
            other = ids.other_date_of_birth(rng, date)
            assert other != date
            assert "1950-01-01" <= other <= "2005-12-31"


def test_fold_ascii_drops_accents_case_and_punctuation() -> None:
    assert ids.fold_ascii("Öztürk-Şahin Weiß") == "ozturksahinweiss"
    assert ids.fold_ascii("A.b-C@x.com") == "abcxcom"
