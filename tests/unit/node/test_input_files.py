"""Reading an input file: the format from the suffix or by name, then its parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.node.input_files import parse_file


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
