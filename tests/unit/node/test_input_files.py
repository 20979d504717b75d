"""Reading an input file: the format from the suffix or by name, then its parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType, Record
from liaison.node.input_files import format_of, parse_file, parse_file_numbered


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("people.csv", "ref\nr1\n"),
        ("PEOPLE.CSV", "ref\nr1\n"),
        ("people.jsonl", '{"ref": "r1"}\n'),
        ("people.ndjson", '{"ref": "r1"}\n'),
    ],
)
def test_parse_file_takes_the_format_from_the_suffix(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")

    assert parse_file(path) == [Record(ref="r1")]


def test_explicit_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "people.txt"
    path.write_text('{"ref": "r1"}\n', encoding="utf-8")

    assert parse_file(path, "jsonl") == [Record(ref="r1")]
    with pytest.raises(InvalidInput, match="unknown suffix"):
        parse_file(path)
    with pytest.raises(InvalidInput, match="unknown format 'xml'"):
        parse_file(path, "xml")


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read the file"):
        parse_file(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("entities.ftm.json", "ftm"),
        ("SANCTIONS.FTM.JSONL", "ftm"),
        ("aleph.ijson", "ftm"),
        ("people.ndjson", "jsonl"),
        ("people.json", None),
        ("consolidated.xml", None),
    ],
)
def test_the_format_comes_from_the_name_as_publishers_write_it(name: str, fmt: str | None) -> None:
    assert format_of(Path(name)) == fmt


def test_an_opensanctions_file_is_read_as_ftm_without_naming_the_format(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    entity = {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}}
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    (record,) = parse_file(path)
    assert (record.ref, record.entity_type) == ("c1", EntityType.ORGANISATION)


def test_records_come_with_the_line_their_row_starts_on(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('ref,full_name\nr1,"Ahmed\nAli"\n\nr2,Bo Li\n', encoding="utf-8")
    assert [(line, r.ref) for line, r in parse_file_numbered(path)] == [(2, "r1"), (5, "r2")]
