"""Follow-up rules that need no server: deadlines, field release, source fields, detail columns."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from datetime import timedelta

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import Record, RecordField
from liaison.crypto.keys import KEY_SPEC_V2
from liaison.node.followup_model import (
    check_field_names,
    check_message,
    identifiers_only,
    parse_deadline,
    record_fields,
    record_from_json,
    record_to_json,
    released_fields,
)
from liaison.node.record_rows import content_hash
from liaison.node.records import parse_csv

RECORD = Record(
    ref="NL-1",
    full_name="Karim Benali",
    document_numbers=("X1", "X2"),
    details=(RecordField("release.status", "active"), RecordField("source.informant", "H-7")),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("48h", timedelta(hours=48)), ("30m", timedelta(minutes=30)), ("3d", timedelta(days=3))],
)
def test_deadlines_are_minutes_hours_or_days(text: str, expected: timedelta) -> None:
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text", ["", "48", "0h", "-1h", "1w", "91d", "1.5h"])
def test_other_deadlines_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_deadline(text)


def test_source_fields_are_never_released_even_when_asked() -> None:
    held = record_fields(RECORD)
    asked = ("full_name", "document_number", "release.status", "source.informant", "iban")
    released, withheld = released_fields(held, asked)
    assert released == (
        RecordField("full_name", "Karim Benali"),
        RecordField("document_number", "X1;X2"),
        RecordField("release.status", "active"),
    )
    assert withheld == ("source.informant",)
    assert [f.name for f in held if f.source] == ["source.informant"]


def test_an_approval_names_known_fields() -> None:
    check_field_names(("full_name", "release.anything", "source.x"))
    for asked in ((), ("password",)):
        with pytest.raises(InvalidInput):
            check_field_names(asked)


def test_a_request_carries_identifiers_never_details() -> None:
    carried = identifiers_only(RECORD)
    assert carried.details == ()
    assert record_from_json(record_to_json(RECORD)) == carried
    bad: object
    for bad in (None, [], {"ref": 1}, {"ref": "x", "details": []}, {"ref": "x", "phones": [1]}):
        with pytest.raises(InvalidInput):
            record_from_json(bad)


def test_messages_are_printable_and_bounded() -> None:
    assert check_message("line one\nline two") == "line one\nline two"
    for bad in ("", "   ", "bell\a", "x" * 4001):
        with pytest.raises(InvalidInput):
            check_message(bad)


def test_release_and_source_columns_are_read_beside_the_identifiers() -> None:
    rows = parse_csv(
        [
            "ref,full_name,release.status,source.informant\n",
            'NL-1,Karim Benali,"active, travel ban",HUMINT-77\n',
            "NL-2,Jan Smit,,\n",
        ],
        "test.csv",
    )
    assert rows[0].details == (
        RecordField("release.status", "active, travel ban"),
        RecordField("source.informant", "HUMINT-77"),
    )
    assert rows[1].details == ()


@pytest.mark.parametrize("column", ["release.", "source.Informant", "secret.x", "release.a-b"])
def test_other_columns_are_still_refused(column: str) -> None:
    with pytest.raises(InvalidInput, match="unknown name"):
        parse_csv([f"ref,{column}\n", "NL-1,x\n"], "test.csv")


def test_a_record_without_details_keeps_its_content_hash() -> None:
    # The hash as it was computed before records had details: every field, in order.
    plain = Record(ref="NL-1", full_name="Jan Smit", phones=("+31 6 1234 5678",))
    before = [KEY_SPEC_V2, *([f.name, getattr(plain, f.name)] for f in fields(plain)[:-1])]
    encoded = json.dumps(before, ensure_ascii=False, separators=(",", ":")).encode()
    assert content_hash(plain, KEY_SPEC_V2) == hashlib.sha256(encoded).hexdigest()
    with_details = replace(plain, details=(RecordField("release.a", "b"),))
    assert content_hash(with_details, KEY_SPEC_V2) != content_hash(plain, KEY_SPEC_V2)
