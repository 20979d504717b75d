"""FollowTheMoney import: Person entities, their documents, atomic rejection."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput, LiaisonError
from liaison.core.records import EntityType, Record
from liaison.node.ftm import parse_ftm
from liaison.node.input_files import parse_bytes, parse_file
from liaison.node.problems import bounded_lines


def line(entity_id: str, schema: str, **properties: list[str]) -> str:
    return json.dumps({"id": entity_id, "schema": schema, "properties": properties})


PERSON = line(
    "p1",
    "Person",
    name=["OSETROVA, Maria", "Мария Осетрова"],
    alias=["Maria Zakharova"],
    weakAlias=["Masha"],
    birthDate=["1988-01-07"],
    nationality=["suhh", "ru"],
    idNumber=["183116181362"],
    passportNumber=["75 1234567"],
    phone=["+7 912 345-67-89", "not a phone"],
    email=["maria@example.org"],
)


def parse(*lines: str) -> list[Record]:
    return parse_ftm([text + "\n" for text in lines], "test.ftm.json")


def test_a_person_becomes_one_identity_with_names_as_aliases() -> None:
    (identity,) = parse(PERSON)

    assert identity.ref == "p1"
    assert identity.full_name == "OSETROVA, Maria"
    assert identity.aliases == ("Мария Осетрова", "Maria Zakharova")
    assert identity.date_of_birth == "1988-01-07"
    assert identity.nationality == "ru"
    assert identity.national_ids == ("183116181362",)
    assert identity.document_numbers == ("75 1234567",)
    assert identity.phones == ("+7 912 345-67-89",)
    assert identity.emails == ("maria@example.org",)


def test_passports_identifications_and_wallets_join_their_holder() -> None:
    wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    identity, _ = parse(
        line("p2", "Person", firstName=["Ivan"], lastName=["Petrov"], birthDate=["1961"]),
        line("d1", "Passport", holder=["p2"], number=["AB123456"], country=["fr"]),
        line("d2", "Identification", holder=["p2"], number=["X-1"], country=["fr"]),
        line("w1", "CryptoWallet", holder=["p2"], publicKey=[wallet]),
        line("d3", "Passport", holder=["company-1"], number=["ZZ999"]),
        line("c1", "Company", name=["Acme"]),
    )

    assert identity.full_name == "Ivan Petrov"
    assert identity.document_numbers == ("AB123456",)
    assert identity.document_countries == ("fr",)
    assert identity.national_ids == ()  # no nationality: no country for them
    assert identity.wallets == (wallet,)


def test_a_time_after_the_birth_date_is_ignored() -> None:
    (identity,) = parse(line("p3", "Person", name=["A B"], birthDate=["1965-09-21T00:00:00"]))

    assert identity.date_of_birth == "1965-09-21"


def test_parse_file_reads_ftm_by_format_name(tmp_path: Path) -> None:
    path = tmp_path / "entities.json"
    path.write_text(PERSON + "\n", encoding="utf-8")

    assert parse_file(path, "ftm") == parse(PERSON)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "line 2: json: not valid JSON"),
        ("[1, 2]", "line 2: json: expected a JSON object"),
        ('{"schema": "Person", "properties": {}}', "line 2: id: missing"),
        ('{"id": "x", "properties": {}}', "line 2: schema: missing"),
        (
            '{"id": "x", "schema": "Person", "properties": []}',
            "line 2: properties: expected an object",
        ),
        (
            '{"id": "x", "schema": "Person", "properties": {"name": "Ali"}}',
            "line 2: properties: name",
        ),
        ('{"id": "p1", "schema": "Person", "properties": {}}', "line 2: id: same id as line 1"),
    ],
)
def test_a_bad_line_rejects_the_whole_file_and_names_the_line(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="nothing imported") as error:
        parse(PERSON, text)

    assert reason in str(error.value)
    assert "Ali" not in str(error.value) and "OSETROVA" not in str(error.value)


def test_a_file_without_a_person_organisation_or_vessel_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no Person, organisation or Vessel"):
        parse(line("s1", "Sanction", entity=["c1"]), line("a1", "Address", full=["Main St"]))


def test_several_birth_dates_and_a_passport_without_country_are_kept() -> None:
    (identity,) = parse(
        line(
            "p4",
            "Person",
            name=["Ali Hassan"],
            alias=["Abu Ahmad; Abu Muhammad"],
            birthDate=["1970-01-02", "1971", "not a date", "1970-01-02"],
            passportNumber=["A 123 456"],
        )
    )

    assert (identity.date_of_birth, identity.other_dates_of_birth) == ("1970-01-02", ("1971",))
    assert identity.aliases == ("Abu Ahmad", "Abu Muhammad")
    assert identity.document_numbers == ("A 123 456",)
    assert identity.document_countries == ()


def test_companies_vessels_and_what_they_hold_become_records() -> None:
    lei = "54930084UKLVMY22DS16"
    iban = "DE89370400440532013000"
    wallet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    company, ship = parse(
        line(
            "c1",
            "Company",
            name=["Acme Trading LLC"],
            alias=["ACME TRADING"],
            jurisdiction=["Atlantis", "United Arab Emirates"],
            registrationNumber=["CN-1234"],
            leiCode=[lei, "not an LEI"],
        ),
        line("v1", "Vessel", name=["Ocean Star"], flag=["pa"], imoNumber=["IMO 9074729", "123"]),
        line("a1", "BankAccount", iban=[iban]),
        line("o1", "Ownership", owner=["c1"], asset=["a1"]),
        line("w1", "CryptoWallet", holder=["v1"], publicKey=[wallet]),
    )

    assert company.entity_type is EntityType.ORGANISATION
    assert (company.full_name, company.aliases) == ("Acme Trading LLC", ("ACME TRADING",))
    assert company.country == "United Arab Emirates"
    assert (company.registration_numbers, company.leis, company.ibans) == (
        ("CN-1234",),
        (lei,),
        (iban,),
    )
    assert ship.entity_type is EntityType.VESSEL
    assert (ship.country, ship.imo_numbers, ship.wallets) == ("pa", ("IMO 9074729",), (wallet,))


def test_invalid_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(InvalidInput, match="line 2: encoding"):
        parse_bytes(PERSON.encode() + b"\n\xff\n", "ftm", "bytes")


json_values: Any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(st.lists(json_values | st.text(max_size=20), max_size=4))
def test_only_liaison_errors_escape(values: list[Any]) -> None:
    lines = [value if isinstance(value, str) else json.dumps(value) for value in values]
    with contextlib.suppress(LiaisonError):
        parse(*lines)


def test_a_control_character_in_a_property_or_id_is_refused_naming_the_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(
            line("p1", "Person", name=["Ahmed Ali"]),
            line("p2", "Person", name=["Bob\x00Stone"]),
            line("p3\x1b", "Person", name=["Carl"]),
        )
    message = str(caught.value)
    assert "line 2: properties: name: contains a control character" in message
    assert "line 3: id: contains a control character" in message
    assert "Bob" not in message


def test_an_overlong_line_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match="line 2: line: longer than 10 characters"):
        list(bounded_lines(["short\n", "x" * 11 + "\n"], "input", max_chars=10))
    assert list(bounded_lines(["x" * 10 + "\r\n"], "input", max_chars=10)) == ["x" * 10 + "\r\n"]
