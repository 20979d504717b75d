"""Key spec v3: the published vectors, v1 and v2 compatibility, roles, and the key bound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.records import KeyRole, KeyStrength, NameVariant, Record
from liaison.crypto.keys import (
    KEY_SPEC_V3,
    MAX_KEYS_PER_NAME_V3,
    MAX_NAMES_V2,
    V3_VARIANTS,
    derive_keys,
    derive_keys_v2,
    derive_keys_v3,
    key_tag,
    strongest,
)
from liaison.crypto.names_v3 import family_code, family_forms, parts_v3

DATA = Path(__file__).parents[2] / "data"
VECTORS = json.loads((DATA / "keyspec_v3_vectors.json").read_text(encoding="utf-8"))
V1_VECTORS = json.loads((DATA / "keyspec_v1_vectors.json").read_text(encoding="utf-8"))
V2_VECTORS = json.loads((DATA / "keyspec_v2_vectors.json").read_text(encoding="utf-8"))

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


def shared(query: Record, listed: Record) -> KeyStrength | None:
    keys = set(derive_keys_v3(query, KeyRole.QUERY)) & set(derive_keys_v3(listed))
    return strongest(keys)


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["identity"]["ref"] for vector in VECTORS])
def test_published_vector(vector: dict[str, Any]) -> None:
    keys = derive_keys_v3(identity_from_vector(vector["identity"]), KeyRole(vector["role"]))

    assert [
        {"kind": key.kind.value, "strength": key.strength.value, "value": key.value} for key in keys
    ] == vector["keys"]


def test_vectors_cover_every_v3_variant_and_both_roles() -> None:
    values = [key["value"] for vector in VECTORS for key in vector["keys"]]
    variants = {value.split("|")[1] for value in values if value.startswith("3|")}

    assert variants == {variant.value for variant in V3_VARIANTS}
    assert {vector["role"] for vector in VECTORS} == {"listed", "query"}


@pytest.mark.parametrize("role", list(KeyRole))
@pytest.mark.parametrize("vector", V1_VECTORS + V2_VECTORS, ids=lambda v: v["identity"]["ref"])
def test_v1_and_v2_keys_stay_byte_for_byte_but_v2_phonetic_of_several_parts(
    vector: dict[str, Any], role: KeyRole
) -> None:
    identity = identity_from_vector(vector["identity"])
    v3 = set(derive_keys_v3(identity, role))

    assert set(derive_keys(identity)) <= v3
    phonetic = {key for key in derive_keys_v2(identity) if key_tag(key) is NameVariant.PHONETIC}
    several = {key for key in phonetic if " " in key.value.split("|")[2]}
    assert set(derive_keys_v2(identity)) - several <= v3
    assert not several & v3


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Abdul Rahman", "Abdurrahman"),
        ("Abd al-Rahman", "Abdelrahman"),
        ("Khalid Hasan", "Khaled Hassan"),
        ("Djoko Widodo", "Joko Widodo"),
        ("Colonel Muammar Qaddafi", "Moammar Gadhafi"),
        ("Jamileh AL-SHANTI", "Jamila EL-SHANTI"),
        ("Nikita Khrushchev", "Никита Хрущёв"),
        ("ZAHAR, Mahmoud", "Mahmoud Zahhar"),
        ("Youssef Oualid", "Yusuf Walid"),
    ],
)
def test_spellings_of_one_name_share_the_family_form(one: str, other: str) -> None:
    first, second = family_forms(one), family_forms(other)

    assert first is not None and second is not None
    assert first.family == second.family != ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Olga Barynova", "Oleg Baranov"),
        ("BWI Industries", "BAE Industries"),
        ("Li Ming", "Lee Ming"),
    ],
)
def test_different_names_keep_different_family_forms(one: str, other: str) -> None:
    first, second = family_forms(one), family_forms(other)

    assert first is not None and second is not None
    assert first.family != second.family


def test_titles_and_ranks_are_not_parts() -> None:
    assert parts_v3("His Excellency General Dr. Omar Hassan") == ("omar", "hassan")


def test_a_syllabic_name_gets_no_family_form() -> None:
    assert family_forms("习近平") is None


def test_short_codes_fall_back_to_the_part_as_written() -> None:
    assert family_code("li") == "li"
    assert family_code("khalid") == family_code("khaled") == "hld"


def test_a_short_name_meets_the_long_one_it_is_part_of_in_either_direction() -> None:
    short = Record("s", full_name="Fadel HAMDAN", date_of_birth="1953")
    long = Record("l", full_name="Fadel Mohammad Saleh HAMDAN", date_of_birth="1953")

    assert shared(short, long) is KeyStrength.FUZZY
    assert shared(long, short) is KeyStrength.FUZZY


def test_two_long_names_that_differ_in_one_part_share_no_partial_key() -> None:
    one = Record("a", full_name="Malik Magomedovich Barkhanoev", date_of_birth="1980")
    brother = Record("b", full_name="Malik Ruslanovich Barkhanoev", date_of_birth="1980")

    assert shared(one, brother) is None
    assert shared(brother, one) is None


def test_a_listed_name_with_another_persons_date_is_never_strong() -> None:
    listed = Record("l", full_name="Evren KAYAKIRAN", date_of_birth="1980-02-08")
    decoy = Record("d", full_name="Evren KAYAKIRAN", date_of_birth="1962")

    assert shared(decoy, listed) is None


def test_organisation_names_get_no_partial_forms() -> None:
    forms = family_forms("Deutsche Bank Trust Company")

    assert forms is not None and forms.subsets == ()


names = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80)
dates = st.sampled_from(["", "1980", "1980-03", "1980-03-05", "1980-12-31", "bad"])


@given(names, st.lists(names, max_size=MAX_NAMES_V2 + 2), dates, st.sampled_from(list(KeyRole)))
def test_key_count_stays_within_the_documented_bound(
    name: str, aliases: list[str], date: str, role: KeyRole
) -> None:
    identity = Record("r", full_name=name, date_of_birth=date, aliases=tuple(aliases))
    keys = derive_keys_v3(identity, role)

    assert len(keys) <= MAX_NAMES_V2 * MAX_KEYS_PER_NAME_V3
    assert list(keys) == sorted(set(keys))
    assert all(key.value.startswith(("1|", "2|", f"{KEY_SPEC_V3}|")) for key in keys)
    assert all("|" not in part for key in keys for part in key.value.split("|")[2:])
