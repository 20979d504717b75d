"""Key spec v1: the published vectors, each normalisation rule, and properties."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.records import KeyKind, MatchKey, Record
from liaison.crypto.entity_keys import KIND_STRENGTHS
from liaison.crypto.keys import (
    KEY_SPEC_VERSION,
    derive_keys,
    normalise_date_of_birth,
    normalise_name,
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

    # The identifier kinds have their own vectors (test_entity_keys.py).
    assert kinds == {kind.value for kind in KeyKind} - {k.value for k in KIND_STRENGTHS}
    assert len(refs) == len(set(refs))


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


def test_latin_and_arabic_spellings_do_not_match_in_v1() -> None:
    assert name_dob("Ahmed Ali") != name_dob("أحمد علي")
    assert name_dob("أحمد علي")[0].value == "1|name_dob|احمد علي|1980-01-02"


@pytest.mark.parametrize("date", ["1980", "1980-01", "", "02/01/1980", "1980-02-30"])
def test_name_gives_a_key_only_with_a_full_valid_date(date: str) -> None:
    assert name_dob("Ahmed Ali", date) == ()


def test_name_without_letters_gives_no_key() -> None:
    assert name_dob("?!") == ()


def test_national_id_needs_a_nationality() -> None:
    assert derive_keys(Record(ref="r", national_ids=("123",), document_countries=("FR",))) == ()
    (key,) = derive_keys(Record(ref="r", national_ids=("123",), nationality="FRA"))
    assert key.value == "1|national_id|FR|123"


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
