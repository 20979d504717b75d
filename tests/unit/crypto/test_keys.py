"""Key spec v1: the published vectors, each normalisation rule, and properties."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path
from typing import Any

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.records import KeyKind, MatchKey, Record
from liaison.crypto.keys import (
    KEY_SPEC_VERSION,
    derive_keys,
    document_issuers,
    normalise_country,
    normalise_date_of_birth,
    normalise_email,
    normalise_iban,
    normalise_id,
    normalise_name,
    normalise_phone,
    normalise_wallet,
)

VECTORS_PATH = Path(__file__).parents[2] / "data" / "keyspec_v1_vectors.json"

# Vector identities use the file column names; these hold several values.
MULTI_VALUED = {
    "document_number": "document_numbers",
    "document_country": "document_countries",
    "national_id": "national_ids",
    "phone": "phones",
    "email": "emails",
    "iban": "ibans",
    "wallet": "wallets",
}


def load_vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return vectors


def identity_from_vector(columns: dict[str, str]) -> Record:
    """Build an identity the way docs/keyspec.md tells other implementations to."""
    fields: dict[str, Any] = {}
    for column, text in columns.items():
        if column in MULTI_VALUED:
            values = (part.strip() for part in text.split(";"))
            fields[MULTI_VALUED[column]] = tuple(value for value in values if value)
        else:
            fields[column] = text.strip()
    return Record(**fields)


def name_dob(name: str, date: str = "1980-01-02") -> tuple[MatchKey, ...]:
    return derive_keys(Record(ref="r", full_name=name, date_of_birth=date))


# --- vectors -----------------------------------------------------------------

VECTORS = load_vectors()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["description"] for v in VECTORS])
def test_vector_is_reproduced_exactly(vector: dict[str, Any]) -> None:
    keys = derive_keys(identity_from_vector(vector["identity"]))

    assert [{"kind": k.kind.value, "value": k.value} for k in keys] == vector["keys"]


def test_vectors_cover_every_key_kind_and_have_unique_refs() -> None:
    kinds = {key["kind"] for vector in VECTORS for key in vector["keys"]}
    refs = [vector["identity"]["ref"] for vector in VECTORS]

    assert kinds == {kind.value for kind in KeyKind}
    assert len(refs) == len(set(refs))


def test_unicode_database_is_the_one_the_spec_pins() -> None:
    # Letter/mark categories decide tokens; a Python upgrade that changes the
    # Unicode version must be a deliberate key-spec review, not an accident.
    assert unicodedata.unidata_version == "14.0.0"


# --- key format --------------------------------------------------------------


def test_key_is_version_kind_and_parts_joined_by_bar() -> None:
    (key,) = derive_keys(Record(ref="r", document_numbers=("x1",), document_countries=("fr",)))

    assert key == MatchKey(KeyKind.DOCUMENT, "1|document|FR|X1")
    assert KEY_SPEC_VERSION == "1"


def test_keys_are_deduplicated_and_sorted_by_kind_then_value() -> None:
    identity = Record(
        ref="r",
        phones=("+33 6 12 34 56 78", "+33612345678"),
        emails=("b@example.com", "a@example.com"),
    )

    assert [key.value for key in derive_keys(identity)] == [
        "1|email|a@example.com",
        "1|email|b@example.com",
        "1|phone|+33612345678",
    ]


# --- names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ahmed ALI", "ahmed ali"),
        ("Ali, Ahmed", "ahmed ali"),
        ("Jean-Pierre Dupont", "dupont jean pierre"),
        ("José Müller", "jose muller"),
        ("Strauß", "strauss"),
        ("Işık", "isik"),  # noqa: RUF001 (the point of the case)
        ("İsmail", "ismail"),
        ("Ｊｏｈｎ", "john"),  # noqa: RUF001 (the point of the case)
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("O\u00b4Brien", "obrien"),
        ("Ali\u00adson", "alison"),
        ("\u200fعلي\u200f", "علي"),
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),
        ("Louis ١٤", "14 louis"),
        ("", ""),
        ("-- . ,", ""),
    ],
)
def test_name_normalisation_rule(written: str, expected: str) -> None:
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        ("ß", "ss"),
        ("Ø", "o"),
        ("Ł", "l"),
        ("Đ", "d"),
        ("Ð", "d"),
        ("Æ", "ae"),
        ("Œ", "oe"),
        ("\u0131", "i"),
        ("Þ", "th"),
        ("Ħ", "h"),
        ("Ŧ", "t"),
        ("Ŋ", "n"),
    ],
)
def test_letters_without_decomposition_use_the_table(letter: str, folded: str) -> None:
    assert normalise_name(f"a{letter}b") == f"a{folded}b"


def test_latin_and_arabic_spellings_do_not_match_in_v1() -> None:
    assert name_dob("Ahmed Ali") != name_dob("أحمد علي")
    assert name_dob("أحمد علي")[0].value == "1|name_dob|احمد علي|1980-01-02"


@pytest.mark.parametrize("date", ["1980", "1980-01", "", "02/01/1980", "1980-02-30"])
def test_name_gives_a_key_only_with_a_full_valid_date(date: str) -> None:
    assert name_dob("Ahmed Ali", date) == ()


def test_name_without_letters_gives_no_key() -> None:
    assert name_dob("?!") == ()


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


def test_national_id_needs_a_nationality() -> None:
    assert derive_keys(Record(ref="r", national_ids=("123",), document_countries=("FR",))) == ()
    (key,) = derive_keys(Record(ref="r", national_ids=("123",), nationality="FRA"))
    assert key.value == "1|national_id|FR|123"


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


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize("date", ["1980", "1980-02", "1980-02-29", " 2000-12-31 "])
def test_valid_date_of_birth_forms(date: str) -> None:
    assert normalise_date_of_birth(date) == date.strip()


@pytest.mark.parametrize(
    "date",
    ["0000", "1981-02-29", "1980-13", "1980-00", "80-01-02", "1980/01/02", "١٩٨٠", "1980-1-2"],
)
def test_invalid_date_of_birth_is_refused(date: str) -> None:
    assert normalise_date_of_birth(date) is None


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


# --- properties --------------------------------------------------------------

WORDS = st.lists(
    st.text(st.characters(categories=["L"]), min_size=1, max_size=12), min_size=1, max_size=5
)
BLANKS = st.text(" \t\u00a0\u3000", min_size=1, max_size=4)
TEXTS = st.text(max_size=40)
TEXT_TUPLES = st.lists(TEXTS, max_size=3).map(tuple)
IDENTITIES = st.builds(
    Record,
    ref=TEXTS,
    full_name=TEXTS,
    date_of_birth=st.one_of(TEXTS, st.dates().map(str)),
    nationality=st.one_of(TEXTS, st.sampled_from(["FR", "DEU", "Egypt"])),
    document_numbers=TEXT_TUPLES,
    document_countries=TEXT_TUPLES,
    national_ids=TEXT_TUPLES,
    phones=TEXT_TUPLES,
    emails=TEXT_TUPLES,
    ibans=TEXT_TUPLES,
    wallets=TEXT_TUPLES,
)
PARTS_PER_KIND = {
    KeyKind.DOCUMENT: 4,
    KeyKind.NAME_DOB: 4,
    KeyKind.NATIONAL_ID: 4,
    KeyKind.PHONE: 3,
    KeyKind.EMAIL: 3,
    KeyKind.IBAN: 3,
    KeyKind.WALLET: 3,
}


@given(IDENTITIES)
def test_derive_keys_never_raises_and_keys_are_well_formed(identity: Record) -> None:
    keys = derive_keys(identity)

    assert list(keys) == sorted(set(keys))
    for key in keys:
        parts = key.value.split("|")
        # A "|" inside a normalised part would show up as an extra part.
        assert len(parts) == PARTS_PER_KIND[key.kind]
        assert parts[:2] == [KEY_SPEC_VERSION, key.kind.value]
        assert all(parts)


@given(IDENTITIES)
def test_derive_keys_is_deterministic(identity: Record) -> None:
    copy = dataclasses.replace(identity)

    assert derive_keys(copy) == derive_keys(identity)


@given(
    WORDS, st.lists(BLANKS, min_size=6, max_size=6), st.sampled_from(["upper", "lower", "swapcase"])
)
def test_name_key_ignores_case_and_extra_blanks(
    words: list[str], blanks: list[str], case: str
) -> None:
    plain = " ".join(words)
    spaced = blanks[0] + "".join(w + b for w, b in zip(words, blanks[1:], strict=False))

    assert name_dob(getattr(spaced, case)()) == name_dob(plain)


@given(WORDS, st.permutations(range(5)))
def test_name_key_ignores_token_order(words: list[str], order: list[int]) -> None:
    shuffled = [words[i] for i in order if i < len(words)]

    assert normalise_name(" ".join(shuffled)) == normalise_name(" ".join(words))


@given(
    st.text("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 12), st.sampled_from(" -./")), max_size=4),
)
def test_id_key_ignores_case_and_separators(number: str, inserts: list[tuple[int, str]]) -> None:
    messy = number.lower()
    for position, separator in inserts:
        messy = messy[:position] + separator + messy[position:]
    identity = Record(ref="r", nationality="FR", document_numbers=(messy,), national_ids=(messy,))

    assert [key.value.rsplit("|", 1)[1] for key in derive_keys(identity)] == [number, number]


@given(TEXTS)
def test_normalised_name_is_a_fixed_point(text: str) -> None:
    # Other nodes may store normalised names; normalising twice must not drift.
    assert normalise_name(normalise_name(text)) == normalise_name(text)
