"""Tests of the synthetic federation: determinism, validity and an exact ground truth.

The ground truth is checked with a normaliser written here from the key spec
v1 rules, independently of the generator, and once more against
:func:`crypto.keys.derive_keys` itself.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from liaison.core.errors import InvalidInput
from liaison.core.records import KeyKind, Record
from liaison.crypto.entity_keys import KIND_STRENGTHS
from liaison.node.input_files import parse_file
from liaison.tools.demo_data import (
    SCHEMA_COLUMNS,
    Federation,
    generate_federation,
    write_csv,
    write_jsonl,
)

AGENCIES = ("ctu", "police", "border")
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Key = tuple[str, str]  # (kind, normalised value)


@pytest.fixture(scope="module")
def federation() -> Federation:
    return generate_federation(20260101, AGENCIES)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _id(text: str) -> str:
    return "".join(char for char in _fold(text) if char.isalnum())


def _phone(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def spec_keys(row: Record) -> list[tuple[Key, str]]:
    """Key spec v1 keys of a row, each with the raw value it came from."""
    nationality = row.nationality.upper()
    keys: list[tuple[Key, str]] = []
    if FULL_DATE.fullmatch(row.date_of_birth) and row.full_name:
        name = " ".join(sorted(_fold(row.full_name).split()))
        keys.append(((KeyKind.NAME_DOB, f"{name}|{row.date_of_birth}"), row.full_name))
    countries = row.document_countries or (nationality,) * len(row.document_numbers)
    assert len(countries) == len(row.document_numbers)
    for number, country in zip(row.document_numbers, countries, strict=True):
        keys.append(((KeyKind.DOCUMENT, f"{country}|{_id(number)}"), number))
    if nationality:
        keys += [((KeyKind.NATIONAL_ID, f"{nationality}|{_id(n)}"), n) for n in row.national_ids]
    for phone in row.phones:
        e164 = _phone(phone, nationality)
        assert e164 is not None, "every generated phone parses for its row"
        keys.append(((KeyKind.PHONE, e164), phone))
    keys += [((KeyKind.EMAIL, _fold(email)), email) for email in row.emails]
    keys += [((KeyKind.IBAN, _id(iban)), iban) for iban in row.ibans]
    keys += [((KeyKind.WALLET, wallet), wallet) for wallet in row.wallets]
    return keys


def coarse_keys(row: Record) -> set[Key]:
    """Keys coarser than the spec: no country, any date precision, ASCII only."""
    # Turkish dotless i folded too, as crypto.keys does: coarser is safer here.
    ascii_name = sorted(_id(token).replace("\u0131", "i") for token in row.full_name.split())
    keys: set[Key] = {(KeyKind.NAME_DOB, " ".join(ascii_name) + row.date_of_birth)}
    if len(row.date_of_birth) < len("YYYY-MM-DD"):
        keys = set()  # a partial date yields no name key, under any reading
    keys |= {(KeyKind.DOCUMENT, _id(n)) for n in row.document_numbers}
    keys |= {(KeyKind.NATIONAL_ID, _id(n)) for n in row.national_ids}
    keys |= {(KeyKind.PHONE, _phone(p, row.nationality) or p) for p in row.phones}
    keys |= {(KeyKind.EMAIL, _id(e)) for e in row.emails}
    keys |= {(KeyKind.IBAN, _id(i)) for i in row.ibans}
    keys |= {(KeyKind.WALLET, _id(w)) for w in row.wallets}
    return keys


def found_hits(
    federation: Federation, derive: Callable[[Record], Iterable[Key]]
) -> dict[tuple[int, str, str], set[str]]:
    """Every (suspect row, partner, record) pair sharing a key, with the kinds."""
    index: dict[Key, set[tuple[str, str]]] = defaultdict(set)
    for agency in federation.agencies[1:]:
        for row in federation.datasets[agency]:
            for key in derive(row):
                index[key].add((agency, row.ref))
    hits: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for number, suspect in enumerate(federation.suspects):
        for key in derive(suspect):
            for agency, ref in index.get(key, ()):
                hits[(number, agency, ref)].add(key[0])
    return dict(hits)


def expected_hits(federation: Federation) -> dict[tuple[int, str, str], set[str]]:
    return {(p.suspect_row, p.agency, p.record_ref): set(p.kinds) for p in federation.planted}


def assert_exact_ground_truth(federation: Federation) -> None:
    found = found_hits(federation, lambda row: (key for key, _ in spec_keys(row)))
    assert found == expected_hits(federation)


def assert_no_accidental_sharing(federation: Federation) -> None:
    group = {p.record_ref: p.suspect_ref for p in federation.planted}
    holders: dict[Key, set[str]] = defaultdict(set)
    rows = [row for rows in federation.datasets.values() for row in rows]
    for row in [*rows, *federation.suspects]:
        for key in coarse_keys(row):
            holders[key].add(group.get(row.ref, row.ref))
    assert {key: who for key, who in holders.items() if len(who) > 1} == {}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    def write(seed: int, folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        fed = generate_federation(seed, AGENCIES, persons_per_agency=300)
        for agency, rows in fed.datasets.items():
            write_csv(folder / f"{agency}.csv", rows)
            write_jsonl(folder / f"{agency}.jsonl", rows)
        write_csv(folder / "suspects.csv", fed.suspects)
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}

    first, again, other = (
        write(7, tmp_path / "a"),
        write(7, tmp_path / "b"),
        write(8, tmp_path / "c"),
    )
    assert first == again
    assert first["ctu.csv"] != other["ctu.csv"]


_DIGEST_SCRIPT = """
import hashlib, pathlib, sys
from liaison.tools.demo_data import generate_federation, write_csv, write_jsonl
folder = pathlib.Path(sys.argv[1])
fed = generate_federation(3, ("ctu", "police", "border"), persons_per_agency=200)
write_csv(folder / "suspects.csv", fed.suspects)
for agency, rows in fed.datasets.items():
    write_jsonl(folder / f"{agency}.jsonl", rows)
truth = [(p.suspect_row, p.agency, p.record_ref, sorted(p.kinds)) for p in fed.planted]
digest = hashlib.sha256(repr(truth).encode())
for path in sorted(folder.iterdir()):
    digest.update(path.read_bytes())
print(digest.hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    digests = set()
    for hash_seed in ("1", "2"):
        folder = tmp_path / hash_seed
        folder.mkdir()
        completed = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT, str(folder)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        digests.add(completed.stdout)
    assert len(digests) == 1


def test_sizes_follow_the_arguments(federation: Federation) -> None:
    assert federation.agencies == AGENCIES
    assert federation.requester == "ctu"
    assert {agency: len(rows) for agency, rows in federation.datasets.items()} == dict.fromkeys(
        AGENCIES, 3000
    )
    assert len(federation.suspects) == 12 + 6
    assert len({p.suspect_ref for p in federation.planted}) == 12
    per_suspect = defaultdict(set)
    for hit in federation.planted:
        per_suspect[hit.suspect_ref].add(hit.agency)
        assert federation.suspects[hit.suspect_row].ref == hit.suspect_ref
    assert all(1 <= len(agencies) <= 2 for agencies in per_suspect.values())
    assert all(hit.agency != "ctu" for hit in federation.planted)
    for rows in [*federation.datasets.values(), federation.suspects]:
        assert len({row.ref for row in rows}) == len(rows)


def test_planted_hits_are_exactly_the_key_spec_matches(federation: Federation) -> None:
    assert_exact_ground_truth(federation)


def test_no_identifier_is_shared_outside_a_planted_group(federation: Federation) -> None:
    assert_no_accidental_sharing(federation)


def test_ground_truth_agrees_with_the_key_spec_implementation(federation: Federation) -> None:
    keys = pytest.importorskip("liaison.crypto.keys")
    found = found_hits(federation, lambda row: ((k.kind, k.value) for k in keys.derive_keys(row)))
    assert found == expected_hits(federation)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), partners=st.integers(1, 3))
def test_ground_truth_is_exact_for_any_seed(seed: int, partners: int) -> None:
    fed = generate_federation(
        seed, [f"agency{n}" for n in range(partners + 1)], persons_per_agency=120
    )
    assert_exact_ground_truth(fed)
    assert_no_accidental_sharing(fed)


#: The demo plants persons: every kind but the identifier kinds of entities
#: and transactions (crypto/entity_keys.py), whose own tests plant them.
V1_KINDS = set(KeyKind) - set(KIND_STRENGTHS)


def test_every_key_kind_is_planted(federation: Federation) -> None:
    planted = set().union(*(hit.kinds for hit in federation.planted))
    assert planted == V1_KINDS


def test_planted_identifiers_are_written_differently(federation: Federation) -> None:
    records = {row.ref: row for rows in federation.datasets.values() for row in rows}
    differently: set[str] = set()
    for hit in federation.planted:
        suspect = dict(spec_keys(federation.suspects[hit.suspect_row]))
        for key, raw in spec_keys(records[hit.record_ref]):
            if key in suspect and suspect[key] != raw:
                differently.add(key[0])
    # Wallets are the one kind always written alike (base58 is case-sensitive).
    assert differently == V1_KINDS - {KeyKind.WALLET}


def test_decoy_suspects_match_nobody(federation: Federation) -> None:
    planted_rows = {hit.suspect_row for hit in federation.planted}
    decoys = [n for n in range(len(federation.suspects)) if n not in planted_rows]
    assert len(decoys) == 6  # and the exact ground truth test shows they hit nothing


def test_namesakes_with_another_date_of_birth_are_present(federation: Federation) -> None:
    def name(row: Record) -> str:
        return " ".join(sorted(_fold(row.full_name).split()))

    dated = {
        name(s): s.date_of_birth
        for s in federation.suspects
        if FULL_DATE.fullmatch(s.date_of_birth)
    }
    for rows in federation.datasets.values():
        namesakes = [
            row
            for row in rows
            if name(row) in dated
            and FULL_DATE.fullmatch(row.date_of_birth)
            and row.date_of_birth != dated[name(row)]
        ]
        assert len(namesakes) >= 3


def test_ibans_are_valid(federation: Federation) -> None:
    ibans = [i for rows in federation.datasets.values() for row in rows for i in row.ibans]
    assert len(ibans) > 3000
    assert [i for i in ibans if not stdnum_iban.is_valid(i)] == []
    assert {i.replace(" ", "")[:2].upper() for i in ibans} >= {"FR", "NL", "DE", "BE", "TR"}


def test_phones_are_valid_for_the_row_nationality(federation: Federation) -> None:
    rows = [row for rows in federation.datasets.values() for row in rows]
    phones = [(p, row.nationality) for row in [*rows, *federation.suspects] for p in row.phones]
    assert [p for p, nationality in phones if _phone(p, nationality) is None] == []
    assert any(not p.startswith(("+", "00")) for p, _ in phones), "some national formats"


def test_dates_of_birth_are_iso_within_1950_to_2005(federation: Federation) -> None:
    dates = [row.date_of_birth for rows in federation.datasets.values() for row in rows]
    pattern = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|")
    assert all(pattern.fullmatch(date) for date in dates)
    assert all("1950" <= date[:4] <= "2005" for date in dates if date)
    assert {len(date) for date in dates} == {0, 4, 7, 10}


def test_names_keep_their_accents(federation: Federation) -> None:
    names = " ".join(row.full_name for row in federation.datasets["police"])
    assert set("éüşçğö") <= set(names)


def test_csv_round_trip_keeps_header_order_and_values(
    federation: Federation, tmp_path: Path
) -> None:
    path = tmp_path / "suspects.csv"
    rows = [*federation.suspects, *federation.datasets["border"][:200]]
    write_csv(path, rows)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == SCHEMA_COLUMNS == (
            "ref", "full_name", "date_of_birth", "nationality", "document_number",
            "document_country", "national_id", "phone", "email", "iban", "wallet",
        )  # fmt: skip
        read = [_identity(dict(zip(SCHEMA_COLUMNS, line, strict=True))) for line in reader]
    assert read == rows


def test_jsonl_round_trip_uses_lists_for_multiple_values(
    federation: Federation, tmp_path: Path
) -> None:
    path = tmp_path / "rows.jsonl"
    write_jsonl(path, federation.suspects)
    objects = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(list(o) == list(SCHEMA_COLUMNS) for o in objects)
    assert all(isinstance(o["phone"], list) and isinstance(o["ref"], str) for o in objects)
    assert [_identity(o) for o in objects] == list(federation.suspects)


def _identity(fields: dict[str, str | list[str]]) -> Record:
    def many(column: str) -> tuple[str, ...]:
        value = fields[column]
        return tuple(value) if isinstance(value, list) else tuple(v for v in value.split(";") if v)

    def one(column: str) -> str:
        value = fields[column]
        assert isinstance(value, str)
        return value

    return Record(
        ref=one("ref"),
        full_name=one("full_name"),
        date_of_birth=one("date_of_birth"),
        nationality=one("nationality"),
        document_numbers=many("document_number"),
        document_countries=many("document_country"),
        national_ids=many("national_id"),
        phones=many("phone"),
        emails=many("email"),
        ibans=many("iban"),
        wallets=many("wallet"),
    )


@pytest.mark.parametrize(
    ("agencies", "persons"),
    [(["solo"], 100), (["a", "a"], 100), (["a", ""], 100), ("ab", 100), (["a", "b"], 10)],
)
def test_bad_arguments_are_refused(agencies: list[str] | str, persons: int) -> None:
    with pytest.raises(InvalidInput):
        generate_federation(1, agencies, persons_per_agency=persons)


def test_every_generated_file_passes_the_importers_validation(tmp_path: Path) -> None:
    federation = generate_federation(3, ["FR", "NL", "TR"], persons_per_agency=3000)
    for agency, rows in federation.datasets.items():
        write_csv(tmp_path / f"{agency}.csv", rows)
        assert len(parse_file(tmp_path / f"{agency}.csv")) == len(rows)
    write_csv(tmp_path / "suspects.csv", federation.suspects)
    assert len(parse_file(tmp_path / "suspects.csv")) == len(federation.suspects)
