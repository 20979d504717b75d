"""Identifier keys (documents without country, organisations, vessels, transactions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from liaison.core.records import EntityType, KeyKind, KeyStrength, Record
from liaison.crypto import entity_keys
from liaison.crypto.entity_keys import (
    derive_identifier_keys,
    derive_record_keys,
    normalise_imo,
    normalise_lei,
    normalise_organisation_name,
    normalise_transaction,
)
from liaison.crypto.keys import derive_keys_v3

VECTORS_PATH = Path(__file__).parents[2] / "data" / "keyspec_identifier_vectors.json"

#: Input-format column -> Record field, for the vectors' identities.
_SCALARS = {"full_name": "full_name", "nationality": "nationality", "country": "country"}
_LISTS = {
    "document_number": "document_numbers",
    "document_country": "document_countries",
    "aliases": "aliases",
    "registration_number": "registration_numbers",
    "lei": "leis",
    "imo": "imo_numbers",
    "transaction": "transactions",
}


def identity(cells: dict[str, str]) -> Record:
    """Build a record as docs/keyspec.md says: split list columns on ';', strip."""
    fields: dict[str, Any] = {"ref": cells["ref"]}
    for column, value in cells.items():
        if column in _SCALARS:
            fields[_SCALARS[column]] = value.strip()
        elif column in _LISTS:
            fields[_LISTS[column]] = tuple(p.strip() for p in value.split(";") if p.strip())
        elif column == "type":
            fields["entity_type"] = EntityType(value)
    return Record(**fields)


def load_vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return vectors


@pytest.mark.parametrize("vector", load_vectors(), ids=lambda v: v["identity"]["ref"])
def test_identifier_keys_reproduce_the_vectors(vector: dict[str, Any]) -> None:
    keys = [
        {"kind": key.kind.value, "strength": key.strength.value, "value": key.value}
        for key in derive_identifier_keys(identity(vector["identity"]))
    ]
    assert keys == vector["keys"], vector["description"]


def test_vectors_cover_every_identifier_kind() -> None:
    kinds = {key["kind"] for vector in load_vectors() for key in vector["keys"]}
    assert kinds == {kind.value for kind in entity_keys.KIND_STRENGTHS}


def test_validators_accept_published_forms_and_refuse_bad_check_digits() -> None:
    assert normalise_lei("5493 00 84UKLVMY22DS16") == "54930084UKLVMY22DS16"
    assert normalise_lei("54930084UKLVMY22DS17") is None
    assert normalise_imo("IMO 9319466") == "9319466"
    assert normalise_imo("9319465") is None
    assert normalise_transaction("not a reference") is None
    assert normalise_organisation_name("ACME S.A.") == normalise_organisation_name("Acme")


def test_a_person_gets_name_keys_for_each_date_of_birth() -> None:
    person = Record(
        ref="p1",
        full_name="Ahmed Ali",
        date_of_birth="1970-01-02",
        other_dates_of_birth=("1971-03-04",),
    )
    keys = set(derive_record_keys(person))
    for date in ("1970-01-02", "1971-03-04"):
        one = Record(ref="p1", full_name="Ahmed Ali", date_of_birth=date)
        assert set(derive_keys_v3(one)) <= keys


def test_dates_of_birth_past_the_bound_give_no_key() -> None:
    dates = tuple(f"19{50 + n}-01-01" for n in range(entity_keys.MAX_DATES_OF_BIRTH + 1))
    person = Record(
        ref="p1", full_name="Ahmed Ali", date_of_birth=dates[0], other_dates_of_birth=dates[1:]
    )
    values = {key.value for key in derive_record_keys(person)}
    assert f"1|name_dob|ahmed ali|{dates[-2]}" in values
    assert f"1|name_dob|ahmed ali|{dates[-1]}" not in values


def test_an_organisation_never_gets_a_name_and_date_key() -> None:
    company = Record(
        ref="c1",
        entity_type=EntityType.ORGANISATION,
        full_name="Ahmed Ali",
        country="FR",
        phones=("01 23 45 67 89",),
    )
    kinds = {key.kind for key in derive_record_keys(company)}
    # The country is the region of its national phone number.
    assert kinds == {KeyKind.ORGANISATION, KeyKind.PHONE}


def test_a_document_gives_its_exact_key_and_a_weaker_number_only_key() -> None:
    person = Record(ref="p1", document_numbers=("X123",), document_countries=("FR",))
    strengths = {key.kind: key.strength for key in derive_record_keys(person)}
    assert strengths == {
        KeyKind.DOCUMENT: KeyStrength.EXACT,
        KeyKind.DOCUMENT_NUMBER: KeyStrength.STRONG,
    }
