"""Key spec v2: the published vectors, v1 compatibility, strengths and the key bound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.records import KeyKind, KeyStrength, MatchKey, NameVariant, Record
from liaison.crypto.keys import (
    KEY_SPEC_V2,
    MAX_NAMES_V2,
    V3_VARIANTS,
    derive_keys,
    derive_keys_v2,
    key_strength,
    key_tag,
    strongest,
)
from liaison.crypto.names import MAX_TYPO_VARIANTS

DATA = Path(__file__).parents[2] / "data"
VECTORS = json.loads((DATA / "keyspec_v2_vectors.json").read_text(encoding="utf-8"))
V1_VECTORS = json.loads((DATA / "keyspec_v1_vectors.json").read_text(encoding="utf-8"))

MULTI_VALUED = {
    "document_number": "document_numbers",
    "document_country": "document_countries",
    "national_id": "national_ids",
    "phone": "phones",
    "email": "emails",
    "iban": "ibans",
    "wallet": "wallets",
    "aliases": "aliases",
}

# Keys per name: date, swap, month, joined, phonetic, and the typo skeleton
# plus its variants; each name also gives one v1 name_dob key.
KEYS_PER_NAME = 1 + 5 + 1 + MAX_TYPO_VARIANTS


def identity_from_vector(columns: dict[str, str]) -> Record:
    """Build an identity the way docs/matching.md tells other implementations to."""
    fields: dict[str, Any] = {}
    for column, text in columns.items():
        if column in MULTI_VALUED:
            values = (part.strip() for part in text.split(";"))
            fields[MULTI_VALUED[column]] = tuple(value for value in values if value)
        else:
            fields[column] = text.strip()
    return Record(**fields)


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["identity"]["ref"] for vector in VECTORS])
def test_published_vector(vector: dict[str, Any]) -> None:
    keys = derive_keys_v2(identity_from_vector(vector["identity"]))

    assert [
        {"kind": key.kind.value, "strength": key.strength.value, "value": key.value} for key in keys
    ] == vector["keys"]


def test_vectors_cover_every_variant_and_strength() -> None:
    values = [key["value"] for vector in VECTORS for key in vector["keys"]]
    variants = {value.split("|")[1] for value in values if value.startswith("2|")}

    assert variants == {variant.value for variant in NameVariant if variant not in V3_VARIANTS}
    assert {key["strength"] for v in VECTORS for key in v["keys"]} == set(KeyStrength)


@pytest.mark.parametrize("vector", V1_VECTORS, ids=[v["identity"]["ref"] for v in V1_VECTORS])
def test_every_v1_key_is_in_v2_byte_for_byte_and_exact(vector: dict[str, Any]) -> None:
    identity = identity_from_vector(vector["identity"])
    v2 = derive_keys_v2(identity)
    v1_values = [key["value"] for key in vector["keys"]]

    assert [key.value for key in v2 if key.value.startswith("1|")] == v1_values
    assert all(key.strength is KeyStrength.EXACT for key in v2 if key.value.startswith("1|"))
    assert derive_keys(identity) == tuple(
        MatchKey(KeyKind(k["kind"]), k["value"]) for k in vector["keys"]
    )


def test_v2_name_keys_are_of_kind_name_dob_with_their_variant_in_the_value() -> None:
    keys = derive_keys_v2(Record("r", full_name="Ahmed Ali", date_of_birth="1980-03-05"))
    tags = {key_tag(key) for key in keys}

    assert all(key.kind is KeyKind.NAME_DOB for key in keys)
    assert tags == {KeyKind.NAME_DOB, *(set(NameVariant) - V3_VARIANTS)}
    assert all(key_strength(key_tag(key)) is key.strength for key in keys)


def shared(one: Record, other: Record) -> KeyStrength | None:
    return strongest(set(derive_keys_v2(one)) & set(derive_keys_v2(other)))


@pytest.mark.parametrize(
    ("one", "other", "strength"),
    [
        (("Ahmed Ali", "1980-03-05"), ("ALI, Ahmed", "1980-03-05"), KeyStrength.EXACT),
        (("Saif al-Din Rawi", "1980-03-05"), ("Saif Din Rawi", "1980-03-05"), KeyStrength.STRONG),
        (("Ahmed Ali", "1980-03-05"), ("Ahmed Ali", "1980-05-03"), KeyStrength.STRONG),
        (("Ahmed Ali", "1980-03"), ("Ahmed Ali", "1980-03-25"), KeyStrength.STRONG),
        (("Владимир Путин", "1952-10-07"), ("Vladimir Putin", "1952-10-07"), KeyStrength.STRONG),
        (("Mohammed Hassan", "1970"), ("Muhammad Hassan", "1970-01-01"), KeyStrength.FUZZY),
        (("ABDUL BARI AKHUND", "1953"), ("ADBUL BARI AKHUND", "1953"), KeyStrength.FUZZY),
        (("Abdul Rahman Zahir", "1969"), ("Abdulrahman Zahir", "1969"), KeyStrength.FUZZY),
        (("Ahmed Ali", "1980-03-05"), ("Ahmed Ali", "1981-03-05"), None),
        (("Ahmed Ali", "1980-03-05"), ("Ahmed"), None),
        (("Octavian Scholz", "1980"), ("Olaf Scholz", "1980"), None),
        (("BARZAN IBRAHIM AL-MOSULI", "1950"), ("BARZAN IBRAHIM AL-TIKRITI", "1950"), None),
        (("Ahmed Ali", "1980-03-25"), ("Ahmed Ali", "1980-25-03"), None),
    ],
)
def test_hits_report_the_strongest_kind_that_matched(
    one: tuple[str, str], other: tuple[str, str] | str, strength: KeyStrength | None
) -> None:
    left = Record("a", full_name=one[0], date_of_birth=one[1])
    right = (
        Record("b", full_name=other)
        if isinstance(other, str)
        else Record("b", full_name=other[0], date_of_birth=other[1])
    )

    assert shared(left, right) == strength


def test_an_alias_matches_another_records_full_name_exactly() -> None:
    listed = Record(
        "a", full_name="Usama bin Laden", date_of_birth="1957-03-10", aliases=("Abu Abdallah",)
    )
    found = Record("b", full_name="Abu Abdallah", date_of_birth="1957-03-10")

    assert shared(listed, found) is KeyStrength.EXACT


def test_names_beyond_the_cap_give_no_keys() -> None:
    words = "Karim Olga Tarek Boris Nadia Quentin Yusuf Greta Hector Ingrid Zoltan Petra Umberto"
    aliases = tuple(f"{word} Vandermolen" for word in words.split())
    identity = Record("a", full_name="Main Name", date_of_birth="1980-03-05", aliases=aliases)
    last = Record("b", full_name=aliases[-1], date_of_birth="1980-03-05")
    within = Record("c", full_name=aliases[MAX_NAMES_V2 - 2], date_of_birth="1980-03-05")

    assert shared(identity, last) is None
    assert shared(identity, within) is KeyStrength.EXACT


def test_strength_order_is_fuzzy_strong_exact() -> None:
    assert KeyStrength.FUZZY < KeyStrength.STRONG < KeyStrength.EXACT
    assert max(KeyStrength) is KeyStrength.EXACT
    assert strongest([]) is None


names = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60)
dates = st.sampled_from(["", "1980", "1980-03", "1980-03-05", "1980-12-31", "bad"])


@given(names, st.lists(names, max_size=MAX_NAMES_V2 + 2), dates)
def test_key_count_stays_within_the_documented_bound(
    name: str, aliases: list[str], date: str
) -> None:
    identity = Record("r", full_name=name, date_of_birth=date, aliases=tuple(aliases))
    keys = derive_keys_v2(identity)

    assert len(keys) <= MAX_NAMES_V2 * KEYS_PER_NAME
    assert list(keys) == sorted(set(keys))
    assert all(key.value.startswith(("1|", f"{KEY_SPEC_V2}|")) for key in keys)
