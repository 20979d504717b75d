"""Finding 9: control characters and overlong lines in input files, on both databases.

``liaison node import`` as users run it, with the node's database on SQLite
and PostgreSQL: a NUL or other control character is refused naming line and
field (before anything reaches the database, which on PostgreSQL cannot
store NUL), and a line far longer than any record is refused naming the
line, without reading it whole.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from liaison.cli.main import main
from liaison.core.errors import InvalidInput
from liaison.node.input_files import parse_file
from liaison.node.problems import MAX_LINE_CHARS

HEADER = "ref,full_name,date_of_birth,nationality,email\n"
GOOD = "A-1,Ahmed Ali,1985-03-14,FR,a.ali@example.org\n"


def liaison(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def node_config(tmp_path: Path, db_url: str) -> Path:
    pki = str(tmp_path / "pki")
    assert liaison("pki", "init", "--dir", pki, "--federation", "t") == 0
    assert liaison("pki", "issue", "--dir", pki, "--name", "FR", "--role", "node") == 0
    assert liaison(
        "node", "init", "--agency", "FR", "--dir", str(tmp_path / "fr"), "--pki", pki,
        "--local-listen", "127.0.0.1:1", "--broker", "127.0.0.1:2",
    ) == 0  # fmt: skip
    path = tmp_path / "fr" / "node.toml"
    text = path.read_text()
    path.write_text(
        re.sub(r"^\[node\]\n", f"[node]\ndatabase = {json.dumps(db_url)}\n", text, flags=re.M)
    )
    return path


def import_file(config: Path, file: Path) -> int:
    return liaison("node", "import", "--config", str(config), "--dataset", "w", "--file", str(file))


def imported(config: Path, capsys: pytest.CaptureFixture[str]) -> list[object]:
    capsys.readouterr()
    assert liaison("node", "datasets", "--config", str(config), "--json") == 0
    return list(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x85"])
def test_a_control_character_is_refused_naming_line_and_field(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], control: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + f"A-2,Bob{control}Stone,1985-02-03,FR,\n", encoding="utf-8")
    assert import_file(node_config, bad) == 1
    err = capsys.readouterr().err
    assert "line 3: full_name: contains a control character" in err
    assert "Traceback" not in err and "Bob" not in err
    assert imported(node_config, capsys) == []


def test_a_nul_in_a_json_lines_ref_is_refused(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ref": "A-1", "email": "a@example.org"}\n{"ref": "A\\u00002"}\n')
    assert import_file(node_config, bad) == 1
    assert "line 2: ref: contains a control character" in capsys.readouterr().err
    assert imported(node_config, capsys) == []


def test_the_same_file_without_the_control_character_imports(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD + "A-2,Bob\tStone,1985-02-03,FR,\n", encoding="utf-8")
    assert import_file(node_config, good) == 0
    assert [d["records"] for d in imported(node_config, capsys)] == [2]  # type: ignore[index]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_overlong_line_is_refused_without_being_read_whole(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"long{suffix}"
    first = HEADER if suffix == ".csv" else '{"ref": "A-0"}\n'
    with path.open("w", encoding="utf-8") as out:
        out.write(first)
        out.write('{"ref": "' if suffix == ".jsonl" else "A-1,")
        for _ in range(64):  # a 64 MiB line
            out.write("x" * (1024 * 1024))
        out.write('"}\n' if suffix == ".jsonl" else ",,,\n")
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as caught:
            parse_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f"line 2: line: longer than {MAX_LINE_CHARS} characters" in str(caught.value)
    assert peak < 16 * 2**20, f"peak {peak} bytes"
