"""The UN Security Council consolidated list XML, read as published."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput, LiaisonError
from liaison.core.records import EntityType, KeyKind, KeyStrength
from liaison.crypto.entity_keys import derive_record_keys
from liaison.node.input_files import parse_bytes, parse_file_numbered
from liaison.node.lists.un import parse_un

SAMPLE = Path(__file__).parents[2] / "data" / "un_consolidated_sample.xml"


def parse(xml: str) -> list[str]:
    return [record.ref for _, record in parse_un([xml.encode()], "list.xml")]


def wrapped(*records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n'
        + "\n".join(records)
        + "\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n"
    )


GOOD = "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALI</FIRST_NAME></INDIVIDUAL>"


def test_the_sample_list_imports_with_lines_persons_and_entities() -> None:
    parsed = parse_file_numbered(SAMPLE, "un")
    lines = [line for line, _ in parsed]
    kim, abdul, yousef, company, ship = (record for _, record in parsed)

    assert lines == sorted(lines) and lines[0] > 1
    assert kim.full_name == "KIM SONG CHOL"
    # The original script and the good alias are aliases; the low-quality one is not.
    assert kim.aliases == ("김성철", "Kim Song-chol")
    assert kim.document_countries == ("Democratic People's Republic of Korea",)
    # Two spellings in one ALIAS_NAME, two dates of birth.
    assert abdul.aliases == ("Abdurrahman Zahir", "Abdul Rahman Zaher")
    assert abdul.dates_of_birth == ("1962", "1963-01-01")
    # A nationality pycountry spells otherwise, a year range, a national id.
    assert yousef.nationality == "State of Palestine"
    assert yousef.dates_of_birth == ("1975", "1976", "1977")
    assert yousef.national_ids == ("901234567",)
    assert yousef.document_countries == ("Jordan",)
    assert company.entity_type is EntityType.ORGANISATION
    assert company.country == "Democratic People's Republic of Korea"
    assert (ship.entity_type, ship.imo_numbers) == (EntityType.VESSEL, ("9074729",))


def test_every_record_of_the_sample_gives_keys_of_its_kind() -> None:
    kinds = {
        record.ref: {key.kind for key in derive_record_keys(record)}
        for _, record in parse_file_numbered(SAMPLE, "un")
    }
    assert KeyKind.DOCUMENT_NUMBER in kinds["9000002"]
    assert kinds["9100001"] == {KeyKind.ORGANISATION}
    assert kinds["9100002"] == {KeyKind.IMO}


def test_a_passport_without_issuer_or_nationality_gives_a_number_only_key() -> None:
    xml = wrapped(
        "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>ALI</FIRST_NAME>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>X 1</NUMBER></INDIVIDUAL_DOCUMENT></INDIVIDUAL>"
    )
    ((_, record),) = parse_un([xml.encode()], "list.xml")
    (key,) = derive_record_keys(record)
    assert (key.kind, key.strength) == (KeyKind.DOCUMENT_NUMBER, KeyStrength.STRONG)


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        (("<INDIVIDUAL><FIRST_NAME>ALI</FIRST_NAME></INDIVIDUAL>",), "line 4: DATAID: missing"),
        ((GOOD, GOOD), "line 5: DATAID: same DATAID as line 4"),
        (("<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>--</FIRST_NAME></INDIVIDUAL>",), "no name"),
        (
            (
                "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>ALI</FIRST_NAME>"
                "<INDIVIDUAL_DATE_OF_BIRTH><DATE>1970-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
                "</INDIVIDUAL>",
            ),
            "line 4: DATE: not a date",
        ),
        (
            ("<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>A&#x9b;LI</FIRST_NAME></INDIVIDUAL>",),
            "control",
        ),
        ((GOOD, "<INDIVIDUAL><DATAID>3</DATAID>"), "line 6: xml: not well-formed"),
    ],
)
def test_a_bad_record_rejects_the_whole_file_naming_line_and_reason(
    records: tuple[str, ...], reason: str
) -> None:
    with pytest.raises(InvalidInput, match="nothing imported") as error:
        parse(wrapped(*records))
    assert reason in str(error.value)
    assert "ALI" not in str(error.value)


def test_a_document_type_declaration_is_refused_before_any_entity_expands() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        "<FIRST_NAME>&b;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(InvalidInput, match="line 2: xml: a document type declaration"):
        parse(bomb)


def test_a_list_without_records_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no INDIVIDUAL or ENTITY"):
        parse("<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>")


@given(st.binary(max_size=200))
def test_only_liaison_errors_escape(data: bytes) -> None:
    with contextlib.suppress(LiaisonError):
        parse_bytes(b"<CONSOLIDATED_LIST><INDIVIDUALS>" + data, "un", "list.xml")


def test_a_message_never_names_a_tag_outside_the_schema() -> None:
    hostile = (
        "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>X</FIRST_NAME>"
        "<Ahmed_Ali>&#x9b;</Ahmed_Ali></INDIVIDUAL>"
    )
    with pytest.raises(InvalidInput, match="line 4: element: contains a control") as error:
        parse(wrapped(hostile))
    assert "Ahmed" not in str(error.value)
