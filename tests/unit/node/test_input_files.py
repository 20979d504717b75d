"""Reading an input file: the format from the suffix or by name, then its parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import EntityType, Record
from liaison.node.input_files import format_of, parse_file, parse_file_numbered, stream_file


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


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("people.csv", "r{i},+3361234{i:04d}\n"),
        ("people.jsonl", '{{"ref": "r{i}", "phone": "+3361234{i:04d}"}}\n'),
    ],
)
def test_a_streamed_file_gives_the_parsed_records_one_by_one(
    tmp_path: Path, name: str, line: str
) -> None:
    path = tmp_path / name
    header = "ref,phone\n" if name.endswith(".csv") else ""
    path.write_text(header + "".join(line.format(i=i) for i in range(50)), encoding="utf-8")

    stream = stream_file(path)
    first = next(stream)  # read before the rest of the file is parsed
    assert [first, *stream] == parse_file(path)


def test_a_streamed_file_with_a_bad_late_row_fails_after_its_last_record(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    rows = "".join(f"r{i},+3361234{i:04d}\n" for i in range(20))
    path.write_text("ref,phone\n" + rows + "r3,+33612340099\n", encoding="utf-8")

    seen: list[Record] = []
    with pytest.raises(InvalidInput, match="line 22"):
        seen.extend(stream_file(path))
    assert len(seen) == 21  # every record came first (the repeat too); an import applies none
