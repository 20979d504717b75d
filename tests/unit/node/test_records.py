"""The canonical input parser: accepted files, every rejection rule, fuzzing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput, LiaisonError
from liaison.core.records import Record
from liaison.crypto.keys import derive_keys
from liaison.node.input_files import parse_bytes
from liaison.node.problems import MAX_LISTED_PROBLEMS
from liaison.node.records import parse_csv, parse_jsonl
from liaison.node.rows import ACCEPTED_COLUMNS

FULL_CSV = (
    "ref,full_name,date_of_birth,nationality,document_number,document_country,"
    "national_id,phone,email,iban,wallet\n"
    'A-1,"Ali, Ahmed",1980-01-02,FR,12AB34567;X1234567,FR;DE,1800175123456,'
    "06 12 34 56 78 ; +44 20 7946 0958,a@example.fr,DE89 3704 0044 0532 0130 00,"
    "1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n"
    "A-2,,,,,,,,,,\n"
)
FULL_IDENTITY = Record(
    ref="A-1",
    full_name="Ali, Ahmed",
    date_of_birth="1980-01-02",
    nationality="FR",
    document_numbers=("12AB34567", "X1234567"),
    document_countries=("FR", "DE"),
    national_ids=("1800175123456",),
    phones=("06 12 34 56 78", "+44 20 7946 0958"),
    emails=("a@example.fr",),
    ibans=("DE89 3704 0044 0532 0130 00",),
    wallets=("1BoatSLRHtKNngkdXEeobR76b53LETtpyT",),
)


def csv_lines(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")


def rejection(parse: Any, text: str) -> str:
    """The message of the InvalidInput that parsing ``text`` must raise."""
    with pytest.raises(InvalidInput) as caught:
        parse(csv_lines(text), "input")
    return str(caught.value)


def problem_lines(message: str) -> list[str]:
    return message.splitlines()[1:]


# --- accepted files ------------------------------------------------------------


def test_csv_with_every_column_gives_identities_as_written() -> None:
    assert parse_csv(csv_lines(FULL_CSV), "input") == [FULL_IDENTITY, Record(ref="A-2")]


def test_jsonl_with_strings_lists_and_nulls_gives_the_same_identities() -> None:
    row = {
        "ref": "A-1",
        "full_name": "Ali, Ahmed",
        "date_of_birth": "1980-01-02",
        "nationality": "FR",
        "document_number": ["12AB34567", "X1234567"],
        "document_country": "FR;DE",
        "national_id": "1800175123456",
        "phone": ["06 12 34 56 78 ", " +44 20 7946 0958"],
        "email": "a@example.fr",
        "iban": "DE89 3704 0044 0532 0130 00",
        "wallet": ["1BoatSLRHtKNngkdXEeobR76b53LETtpyT"],
    }
    text = json.dumps(row) + "\n" + json.dumps({"ref": "A-2", "phone": None}) + "\n"

    assert parse_jsonl(io.StringIO(text), "input") == [FULL_IDENTITY, Record(ref="A-2")]


def test_jsonl_list_items_are_split_on_semicolons_too() -> None:
    text = json.dumps({"ref": "r", "email": ["a@x.fr;b@x.fr", "c@x.fr"]})

    (identity,) = parse_jsonl([text], "input")

    assert identity.emails == ("a@x.fr", "b@x.fr", "c@x.fr")


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    data = "\ufeffref,email\r\nr1,a@example.fr\r\n".encode()

    assert parse_bytes(data, "csv", "input") == [Record(ref="r1", emails=("a@example.fr",))]
    assert parse_csv(["\ufeffref\n", "r1\n"], "input") == [Record(ref="r1")]
    assert parse_jsonl(['\ufeff{"ref": "r1"}'], "input") == [Record(ref="r1")]


def test_blank_rows_are_skipped_and_empty_cells_are_absent() -> None:
    text = "ref,phone,email\n\nr1,,\n,,\n  ,  ,\nr2,;;,\n"

    assert parse_csv(csv_lines(text), "input") == [Record(ref="r1"), Record(ref="r2")]


def test_ref_is_opaque_and_keeps_semicolons() -> None:
    assert parse_csv(csv_lines("ref\ncase;7\n"), "input") == [Record(ref="case;7")]


def test_row_without_any_identifier_is_accepted_and_yields_no_key() -> None:
    (identity,) = parse_csv(csv_lines("ref,full_name\nr1,Ahmed Ali\n"), "input")

    assert derive_keys(identity) == ()


# --- rejected rows: one rule each ------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "cells", "expected"),
    [
        ("ref,full_name", ",Ahmed Ali", "line 2: ref: missing"),
        ("ref,full_name", "r1,Ahmed;--", "line 2: full_name[2]: no letter or digit"),
        ("ref,full_name", "r1,--", "line 2: full_name: no letter or digit"),
        ("ref,date_of_birth", "r1,02/01/1980", "line 2: date_of_birth: not a date"),
        ("ref,date_of_birth", "r1,1981-02-29", "line 2: date_of_birth: not a date"),
        ("ref,date_of_birth", "r1,1980-13", "line 2: date_of_birth: not a date"),
        ("ref,nationality", "r1,Atlantis", "line 2: nationality: unknown country"),
        ("ref,nationality", "r1,FR;DE", "line 2: nationality: one value only"),
        (
            "ref,document_number,document_country",
            "r1,A1,Atlantis",
            "line 2: document_country: unknown country",
        ),
        (
            "ref,document_number,document_country",
            "r1,A1;B2;C3,FR;DE",
            "line 2: document_country: 2 countries for 3 numbers",
        ),
        ("ref,type", "r1,ship", "line 2: type: unknown type"),
        ("ref,type,country", "r1,organisation,Atlantis", "line 2: country: unknown country"),
        ("ref,type,date_of_birth", "r1,vessel,1980", "line 2: date_of_birth: only a person"),
        ("ref,registration_number", "r1,HRB 1234", "line 2: registration_number: needs a country"),
        ("ref,lei", "r1,529900T8BM49AURSDO56", "line 2: lei: not a valid LEI"),
        ("ref,imo", "r1,IMO 9074728", "line 2: imo: not a valid IMO number"),
        ("ref,transaction", "r1,1234", "line 2: transaction: not a transaction reference"),
        ("ref,date_of_birth", "r1,1980;1980-02-30", "line 2: date_of_birth[2]: not a date"),
        (
            "ref,document_number,nationality",
            "r1,--,FR",
            "line 2: document_number: no letter or digit",
        ),
        ("ref,national_id", "r1,123", "line 2: national_id: needs a nationality"),
        ("ref,phone", "r1,06 12 34 56 78", "line 2: phone: national number but no nationality"),
        ("ref,phone,nationality", "r1,06 12 34 56 78,BE", "line 2: phone: not a valid phone"),
        ("ref,phone", "r1,+33 1 23", "line 2: phone: not a valid phone number"),
        ("ref,email", "r1,john@localhost", "line 2: email: not an e-mail address"),
        ("ref,email", "r1,a@b.fr;john doe@x.fr", "line 2: email[2]: not an e-mail address"),
        ("ref,iban", "r1,DE89 3704 0044 0532 0130 01", "line 2: iban: not a valid IBAN"),
        ("ref,wallet", "r1,0x12", "line 2: wallet: not a wallet address"),
        ("ref,full_name", "r1", "line 2: row: 1 cells but the header has 2"),
    ],
)
def test_invalid_row_is_rejected_with_line_field_and_reason(
    columns: str, cells: str, expected: str
) -> None:
    message = rejection(parse_csv, f"{columns}\n{cells}\n")

    assert any(line.startswith(expected) for line in problem_lines(message)), message
    # Privacy: no cell content is ever repeated (refs are opaque, excluded).
    for cell in cells.split(",")[1:]:
        if len(cell) > 3:
            assert cell not in message


def test_unknown_nationality_is_reported_once_not_again_for_dependent_values() -> None:
    message = rejection(parse_csv, "ref,nationality,phone,national_id\nr1,Atlantis,0612345678,12\n")

    assert problem_lines(message) == [
        "line 2: nationality: unknown country "
        "(use an ISO 3166 alpha-2 or alpha-3 code, or the English name)"
    ]


def test_duplicate_ref_names_the_first_line() -> None:
    message = rejection(parse_csv, "ref,email\nr1,a@x.fr\nr2,b@x.fr\nr1,bad\n")

    assert problem_lines(message) == [
        "line 4: email: not an e-mail address (one @, a dot in the domain, no blanks)",
        "line 4: ref: same ref as line 2",
    ]


def test_every_problem_is_listed_and_the_file_rejected_whole() -> None:
    text = "ref,email,iban\nr1,ok@x.fr,\nr2,bad,bad\nr3,ok@x.fr,\nr4,,bad\n"

    message = rejection(parse_csv, text)

    assert message.splitlines()[0] == "input: 3 problems, nothing imported:"
    assert [line.split(":")[0] for line in problem_lines(message)] == [
        "line 3",
        "line 3",
        "line 5",
    ]


def test_problem_list_stops_at_fifty_and_counts_the_rest() -> None:
    text = "ref,email\n" + "".join(f"r{i},bad\n" for i in range(MAX_LISTED_PROBLEMS + 10))

    lines = problem_lines(rejection(parse_csv, text))

    assert len(lines) == MAX_LISTED_PROBLEMS + 1
    assert lines[-2].startswith(f"line {MAX_LISTED_PROBLEMS + 1}: email:")
    assert lines[-1] == "and 10 more"


def test_line_numbers_are_physical_lines_across_quoted_line_breaks() -> None:
    text = 'ref,full_name\nr1,"Ahmed\nAli"\n\nr2,"--"\n'

    assert problem_lines(rejection(parse_csv, text)) == ["line 5: full_name: no letter or digit"]


# --- rejected files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("full_name,email", "line 1: header: no 'ref' column"),
        ("ref,Phone", "line 1: header: column 2: unknown name (did you mean 'phone'?)"),
        ("ref,email,email", "line 1: header: column 3: 'email' already given in column 2"),
        ("ref,,email", "line 1: header: column 2: empty name"),
        ("ref;full_name;email", "line 1: header: columns are separated by ';'"),
    ],
)
def test_bad_header_is_rejected(header: str, expected: str) -> None:
    message = rejection(parse_csv, f"{header}\nr1,x,y\n")

    assert any(line.startswith(expected) for line in problem_lines(message)), message


def test_file_without_header_is_rejected_without_repeating_its_first_row() -> None:
    message = rejection(parse_csv, "X123,Mustermann Erika,1964-08-12\n")

    assert "line 1: header: no 'ref' column" in message
    assert "Mustermann" not in message
    assert "X123" not in message


@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        (b"", "csv", "empty file"),
        (b"\xef\xbb\xbf", "csv", "empty file"),
        (b"ref\n", "csv", "no records"),
        (b"ref\n\n,\n", "csv", "no records"),
        (b"", "jsonl", "no records"),
        (b"\n  \n", "jsonl", "no records"),
        (b"ref\nr1\nr\xe9\n", "csv", "line 3: encoding: not valid UTF-8"),
        (b'{"ref": "r1"}\n\xff\n', "jsonl", "line 2: encoding: not valid UTF-8"),
        (b'ref,full_name\nr1,"Ahmed\n', "csv", "line 2: csv: malformed CSV"),
        (b'ref,full_name\nr1,"Ahmed" Ali\n', "csv", "line 2: csv: malformed CSV"),
    ],
)
def test_unreadable_or_empty_file_is_rejected(data: bytes, fmt: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        parse_bytes(data, fmt, "input")


def test_text_stream_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("ref,full_name\nr1,José\n".encode("latin-1"))

    with path.open(encoding="utf-8", newline="") as stream, pytest.raises(InvalidInput) as caught:
        parse_csv(stream, str(path))

    assert "encoding: not valid UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"ref": "r1",', "line 1: json: not valid JSON (Expecting"),
        ('["r1"]', "line 1: json: expected a JSON object, got a list"),
        ('"r1"', "line 1: json: expected a JSON object, got a string"),
        ("12", "line 1: json: expected a JSON object, got a number"),
        ("[" * 100_000 + "]" * 100_000, "line 1: json: not valid JSON"),
        ('{"ref": ' + "9" * 5000 + "}", "line 1: json: not valid JSON"),
        ('{"ref": 12}', "line 1: ref: expected a string, got a number"),
        ('{"ref": null}', "line 1: ref: missing"),
        ('{"ref": "r1", "nationality": ["FR"]}', "line 1: nationality: expected a string"),
        ('{"ref": "r1", "phone": 33612345678}', "line 1: phone: expected a string or a list"),
        ('{"ref": "r1", "phone": [true]}', "line 1: phone: expected a list of strings only"),
        ('{"ref": "r1", "email": {"a": "b"}}', "line 1: email: expected a string or a list"),
        ('{"ref": "r1", "telephone": "x"}', "line 1: field: unknown name (did you mean 'phone'"),
        ('{"ref": "r1", "ref": "r2"}', "line 1: json: 'ref' appears more than once"),
    ],
)
def test_bad_json_line_is_rejected(line: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_jsonl(["\n", line], "input")

    assert expected.replace("line 1", "line 2") in str(caught.value)


def test_json_unknown_key_is_not_repeated() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_jsonl(['{"ref": "r1", "Erika Mustermann": "1964-08-12"}'], "input")

    assert "Mustermann" not in str(caught.value)
    assert "1964" not in str(caught.value)


# --- fuzzing: only LiaisonError escapes, and no value leaks --------------------------------

MARK = "§"  # never produced by our messages, so its presence means a leak
MARKED_TEXT = st.text(max_size=20).map(lambda text: MARK + text)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | MARKED_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(MARKED_TEXT, inner, max_size=3),
    max_leaves=6,
)


def parses_or_rejects(parse: Any, *args: Any) -> str:
    """Run a parser; return the rejection message, or "" if it accepted."""
    try:
        parse(*args)
    except LiaisonError as error:
        assert isinstance(error, InvalidInput)
        return str(error)
    return ""


@given(st.binary(max_size=300), st.sampled_from(["csv", "jsonl"]))
def test_random_bytes_raise_only_invalid_input(data: bytes, fmt: str) -> None:
    parses_or_rejects(parse_bytes, data, fmt, "input")


@given(st.text(max_size=300))
def test_random_text_raises_only_invalid_input(text: str) -> None:
    parses_or_rejects(parse_csv, io.StringIO(text, newline=""), "input")
    parses_or_rejects(parse_jsonl, io.StringIO(text, newline="\n"), "input")


@given(
    st.lists(st.sampled_from(ACCEPTED_COLUMNS[1:]), unique=True, max_size=5),
    st.lists(
        st.lists(MARKED_TEXT | st.sampled_from(["", " "]), min_size=6, max_size=6), max_size=4
    ),
)
def test_schema_shaped_csv_never_leaks_a_value(columns: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    header = ["ref", *columns]
    writer.writerow(header)
    for row in rows:
        writer.writerow(row[: len(header)])

    message = parses_or_rejects(parse_csv, io.StringIO(buffer.getvalue(), newline=""), "input")

    assert MARK not in message


@given(
    st.lists(
        st.dictionaries(st.sampled_from(ACCEPTED_COLUMNS) | MARKED_TEXT, JSON_VALUES, max_size=6),
        max_size=4,
    )
)
def test_schema_shaped_jsonl_never_leaks_a_value(rows: list[dict[str, Any]]) -> None:
    lines = [json.dumps(row) for row in rows]

    message = parses_or_rejects(parse_jsonl, lines, "input")

    assert MARK not in message


VALID_VALUES = {
    "full_name": st.sampled_from(["Ahmed Ali", "José Müller-Lüdenscheidt", "أحمد علي"]),
    "date_of_birth": st.sampled_from(["1980", "1980-01", "1980-01-02"]),
    "nationality": st.sampled_from(["FR", "DEU", "Egypt"]),
    "national_id": st.sampled_from(["123", "AB-12", ""]),
    "email": st.sampled_from(["a@x.fr", "b@y.de", ""]),
    "iban": st.sampled_from(["DE89 3704 0044 0532 0130 00", ""]),
    "wallet": st.sampled_from(["1BoatSLRHtKNngkdXEeobR76b53LETtpyT", ""]),
}


@given(st.lists(st.fixed_dictionaries(VALID_VALUES), min_size=1, max_size=5))
def test_valid_rows_round_trip_through_csv_and_jsonl(rows: list[dict[str, str]]) -> None:
    records = [{"ref": f"r{i}", **row} for i, row in enumerate(rows)]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)

    from_csv = parse_csv(io.StringIO(buffer.getvalue(), newline=""), "input")
    from_jsonl = parse_jsonl([json.dumps(record) for record in records], "input")

    assert from_csv == from_jsonl
    assert [identity.ref for identity in from_csv] == [record["ref"] for record in records]
    assert [identity.full_name for identity in from_csv] == [row["full_name"] for row in rows]


def test_problems_are_listed_in_line_order() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_jsonl(['{"ref": 1}', "[1]", '{"ref": "r3", "email": "bad"}'], "input")

    assert [line.split(":")[0] for line in problem_lines(str(caught.value))] == [
        "line 1",
        "line 2",
        "line 3",
    ]
