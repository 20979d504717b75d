"""The OFAC ``sdnList`` reader: the published list unedited, and malformed or hostile XML."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType
from liaison.crypto.entity_keys import MAX_DATES_OF_BIRTH
from liaison.crypto.keys import derive_keys_v3
from liaison.node.input_files import parse_bytes, parse_file
from liaison.node.lists.ofac import parse_ofac
from liaison.node.lists.ofac_records import ofac_date, read_ofac

OFAC = Path(__file__).parents[2] / "data" / "watchlists" / "ofac_consolidated_nonsdn_2024-05-06.xml"
NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def document(entries: str) -> bytes:
    return f'<?xml version="1.0"?>\n<sdnList xmlns="{NS}">\n{entries}</sdnList>\n'.encode()


PERSON = """<sdnEntry><uid>1</uid><firstName>Evren</firstName><lastName>KAYAKIRAN</lastName>
<sdnType>Individual</sdnType>
<idList><id><uid>2</uid><idType>Passport</idType><idNumber>U00242309</idNumber>
<idCountry>Turkey</idCountry></id>
<id><uid>3</uid><idType>Passport</idType><idNumber>X1234567</idNumber></id>
<id><uid>4</uid><idType>Gender</idType><idNumber>Male</idNumber></id></idList>
<akaList><aka><uid>5</uid><type>a.k.a.</type><category>strong</category>
<lastName>KAYAKIRAN</lastName><firstName>Evran</firstName></aka>
<aka><uid>6</uid><type>a.k.a.</type><category>weak</category><lastName>EVO</lastName></aka></akaList>
<citizenshipList><citizenship><uid>7</uid><country>Turkey</country></citizenship></citizenshipList>
<dateOfBirthList><dateOfBirthItem><uid>8</uid><dateOfBirth>08 Feb 1980</dateOfBirth>
</dateOfBirthItem><dateOfBirthItem><uid>9</uid><dateOfBirth>1981</dateOfBirth>
</dateOfBirthItem></dateOfBirthList></sdnEntry>
"""
COMPANY = """<sdnEntry><uid>10</uid><lastName>ACME TRADING LLC</lastName><sdnType>Entity</sdnType>
<idList><id><uid>11</uid><idType>Registration ID</idType><idNumber>123</idNumber></id></idList>
</sdnEntry>
"""


def test_the_published_list_imports_unedited() -> None:
    records = parse_file(OFAC, "ofac-xml")
    with OFAC.open("rb") as stream:
        entries = parse_ofac(stream, str(OFAC))

    people = [record for record in records if record.entity_type is EntityType.PERSON]
    organisations = [r for r in records if r.entity_type is EntityType.ORGANISATION]
    assert len(entries) == 443 == len(records)
    assert len(people) == 79 == sum(1 for entry in entries if entry.is_person)
    assert len(organisations) == 364
    assert sum(1 for record in people if record.date_of_birth) == 74
    assert sum(1 for record in organisations if record.leis) == 9
    assert all(record.ref.startswith("ofac-") for record in records)
    assert len({record.ref for record in records}) == 443
    assert all(derive_keys_v3(record) for record in people if record.date_of_birth)


def test_a_person_maps_names_aliases_first_date_documents_and_citizenship() -> None:
    record, _company = read_ofac(io.BytesIO(document(PERSON + COMPANY)), "list.xml")

    assert record.ref == "ofac-1"
    assert record.full_name == "Evren KAYAKIRAN"
    assert record.aliases == ("Evran KAYAKIRAN",)
    assert record.date_of_birth == "1980-02-08"
    assert record.other_dates_of_birth == ("1981",)
    assert record.nationality == "Turkey"
    assert record.document_numbers == ("U00242309", "X1234567")
    assert record.document_countries == ("Turkey", "")


def test_entities_are_parsed_with_their_identifiers() -> None:
    entries = parse_ofac(io.BytesIO(document(PERSON + COMPANY)), "list.xml")

    assert [entry.sdn_type for entry in entries] == ["Individual", "Entity"]
    assert entries[1].last_name == "ACME TRADING LLC"
    assert entries[1].ids[0].number == "123"
    assert entries[0].dates_of_birth == ("08 Feb 1980", "1981")


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("08 Feb 1980", "1980-02-08"),
        ("Feb 1980", "1980-02"),
        ("1962", "1962"),
        ("circa 1962", "1962"),
        ("1960 to 1962", ""),
        ("31 Feb 1980", ""),
        ("08 Foo 1980", ""),
    ],
)
def test_dates_of_birth_as_ofac_writes_them(written: str, date: str) -> None:
    assert ofac_date(written) == date


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<sdnList><sdnEntry><uid>1</uid>", "line 1: xml: "),
        (document("<sdnEntry><uid>1</uid><sdnType>Individual</sdnType></sdnEntry>\n"), "line 3: "),
        (document("<sdnEntry><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>\n"), "uid"),
        (b'<?xml version="1.0"?><other/>', "root element"),
        (document(""), "no <sdnEntry>"),
    ],
)
def test_a_bad_document_is_refused_naming_the_line(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_bytes(data, "ofac-xml", "list.xml")


def test_entity_expansion_is_refused_before_it_starts() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        b"<sdnList><sdnEntry><uid>1</uid><lastName>&lol2;</lastName>"
        b"<sdnType>Entity</sdnType></sdnEntry></sdnList>"
    )

    with pytest.raises(InvalidInput, match="document type declaration"):
        parse_bytes(bomb, "ofac-xml", "list.xml")


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        parse_file(tmp_path / "missing.xml", "ofac-xml")


@given(st.binary(max_size=300))
def test_no_input_escapes_as_another_error(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        parse_bytes(document("")[:60] + data, "ofac-xml", "list.xml")


SEVERAL_DATES = """<sdnEntry><uid>20</uid><lastName>DOE</lastName><sdnType>Individual</sdnType>
<dateOfBirthList>
<dateOfBirthItem><uid>21</uid><dateOfBirth>1970</dateOfBirth></dateOfBirthItem>
<dateOfBirthItem><uid>22</uid><dateOfBirth>1972 to 1974</dateOfBirth></dateOfBirthItem>
<dateOfBirthItem><uid>23</uid><dateOfBirth>1900 to 1950</dateOfBirth></dateOfBirthItem>
<dateOfBirthItem><uid>24</uid><dateOfBirth>circa 1980</dateOfBirth></dateOfBirthItem>
<dateOfBirthItem><uid>25</uid><dateOfBirth>01 Jan 1990</dateOfBirth></dateOfBirthItem>
</dateOfBirthList></sdnEntry>
"""
ORGANISATION = """<sdnEntry><uid>30</uid><lastName>NORTH STAR SHIPPING LTD</lastName>
<sdnType>Entity</sdnType>
<idList><id><uid>31</uid><idType>Registration Number</idType><idNumber>HE 123456</idNumber></id>
<id><uid>32</uid><idType>Legal Entity Number</idType><idNumber>529900T8BM49AURSDO55</idNumber></id>
<id><uid>33</uid><idType>Legal Entity Number</idType><idNumber>529900T8BM49AURSDO56</idNumber></id>
<id><uid>34</uid><idType>Digital Currency Address - XBT</idType>
<idNumber>1BoatSLRHtKNngkdXEeobR76b53LETtpyT</idNumber></id>
<id><uid>35</uid><idType>Website</idType><idNumber>www.example.com</idNumber></id></idList>
<akaList><aka><uid>36</uid><type>f.k.a.</type><category>strong</category>
<lastName>POLAR STAR LTD</lastName></aka></akaList>
<addressList><address><uid>37</uid><country>Cyprus</country></address></addressList>
</sdnEntry>
"""
VESSEL = """<sdnEntry><uid>40</uid><lastName>OCEAN GLORY</lastName><sdnType>Vessel</sdnType>
<idList><id><uid>41</uid><idType>Vessel Registration Identification</idType>
<idNumber>IMO 9074729</idNumber></id></idList>
<vesselInfo><callSign>9LXY</callSign><vesselType>Crude Oil Tanker</vesselType>
<vesselFlag>Panama</vesselFlag></vesselInfo></sdnEntry>
<sdnEntry><uid>50</uid><lastName>N123AB</lastName><sdnType>Aircraft</sdnType></sdnEntry>
"""


def test_every_date_of_birth_and_short_ranges_are_read_up_to_the_key_bound() -> None:
    (record,) = read_ofac(io.BytesIO(document(SEVERAL_DATES)), "list.xml")

    # 1970, then 1972..1974 as years; the fifty-year range is not one; the bound cuts 1990.
    assert record.dates_of_birth == ("1970", "1972", "1973", "1974", "1980")
    assert len(record.dates_of_birth) == MAX_DATES_OF_BIRTH


def test_an_entity_is_an_organisation_with_registration_lei_wallet_and_country() -> None:
    (record,) = read_ofac(io.BytesIO(document(ORGANISATION)), "list.xml")

    assert record.ref == "ofac-30"
    assert record.entity_type is EntityType.ORGANISATION
    assert record.full_name == "NORTH STAR SHIPPING LTD"
    assert record.aliases == ("POLAR STAR LTD",)
    assert record.country == "Cyprus"
    assert record.registration_numbers == ("HE 123456",)
    assert record.leis == ("529900T8BM49AURSDO55",)  # the other fails its check digits
    assert record.wallets == ("1BoatSLRHtKNngkdXEeobR76b53LETtpyT",)
    assert record.imo_numbers == ()


def test_a_vessel_has_its_imo_and_flag_and_an_aircraft_gives_no_record() -> None:
    (record,) = read_ofac(io.BytesIO(document(VESSEL)), "list.xml")

    assert record.ref == "ofac-40"
    assert record.entity_type is EntityType.VESSEL
    assert record.imo_numbers == ("9074729",)
    assert record.country == "Panama"
