"""The ``liaison`` command as users run it: exit codes, messages, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from prometheus_client.parser import text_string_to_metric_families

from liaison.cli.main import main
from liaison.tools.demo_data import generate_federation, write_csv
from tests.integration.harness import RunningFederation, start_federation

GOOD_ROW = "A-1,Ahmed Ali,1985-03-14,FR,12AB34567,,06 12 34 56 78\n"
HEADER = "ref,full_name,date_of_birth,nationality,document_number,document_country,phone\n"


def liaison(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def node_config(tmp_path: Path) -> Path:
    assert liaison("pki", "init", "--dir", str(tmp_path / "pki"), "--federation", "t") == 0
    assert liaison(
        "pki", "issue", "--dir", str(tmp_path / "pki"), "--name", "FR", "--role", "node"
    ) == 0  # fmt: skip
    assert liaison(
        "node", "init", "--agency", "FR", "--dir", str(tmp_path / "fr"), "--pki",
        str(tmp_path / "pki"), "--local-listen", "127.0.0.1:1", "--broker", "127.0.0.1:2",
    ) == 0  # fmt: skip
    return tmp_path / "fr" / "node.toml"


def datasets(config: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert liaison("node", "datasets", "--config", str(config), "--json") == 0
    return list(json.loads(capsys.readouterr().out))


def test_file_with_bad_rows_is_rejected_whole_naming_lines(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD_ROW + "A-2,Bob Stone,1985-02-30,FR,,,\nA-3,,,XX,,,\n")
    code = liaison(
        "node", "import", "--config", str(node_config), "--dataset", "w", "--file", str(bad)
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "line 3: date_of_birth" in err and "line 4: nationality" in err
    assert "1985-02-30" not in err  # messages never quote the data
    assert datasets(node_config, capsys) == []


def test_unknown_column_is_rejected(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,full_name,shoe_size\nA-1,Ahmed Ali,44\n")
    code = liaison(
        "node", "import", "--config", str(node_config), "--dataset", "w", "--file", str(bad)
    )
    assert code == 1
    assert "column" in capsys.readouterr().err


def test_import_upserts_and_replace_makes_the_dataset_the_file(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + GOOD_ROW + "A-2,Jan de Vries,1979-05-01,NL,NXC1R2P34,,\n")
    argv = ["node", "import", "--config", str(node_config), "--dataset", "w"]
    assert liaison(*argv, "--file", str(first)) == 0
    assert "2 inserted" in capsys.readouterr().out
    second = tmp_path / "second.csv"
    second.write_text(HEADER + GOOD_ROW)
    assert liaison(*argv, "--file", str(second)) == 0
    assert "1 unchanged, 0 removed" in capsys.readouterr().out
    assert liaison(*argv, "--file", str(second), "--replace") == 0
    assert "1 removed; version 2, 1 records" in capsys.readouterr().out
    (info,) = datasets(node_config, capsys)
    assert (info["name"], info["records"], info["version"]) == ("w", 1, 2)


def test_node_init_never_overwrites(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = node_config.read_bytes()
    code = liaison(
        "node", "init", "--agency", "FR", "--dir", str(node_config.parent),
        "--pki", str(tmp_path / "pki"),
    )  # fmt: skip
    assert code == 1
    assert "is set up already" in capsys.readouterr().err
    assert node_config.read_bytes() == before


def test_match_needs_case_purpose_and_legal_basis(node_config: Path, tmp_path: Path) -> None:
    suspects = tmp_path / "s.csv"
    suspects.write_text(HEADER + GOOD_ROW)
    base = ["match", "--config", str(node_config), "--file", str(suspects)]
    with pytest.raises(SystemExit) as missing:
        liaison(*base, "--purpose", "p", "--legal-basis", "b")
    assert missing.value.code == 2


def test_match_when_the_node_is_not_running_says_so(
    node_config: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIAISON_TOKEN", "lt1:nobody:secret")
    suspects = tmp_path / "s.csv"
    suspects.write_text(HEADER + GOOD_ROW)
    code = liaison(
        "match", "--config", str(node_config), "--file", str(suspects), "--case", "C",
        "--purpose", "p", "--legal-basis", "b",
    )  # fmt: skip
    assert code == 1
    assert "refused the connection" in capsys.readouterr().err


@pytest.fixture
def partial_federation(tmp_path: Path) -> Iterator[tuple[RunningFederation, Path]]:
    data = generate_federation(5, ["FR", "NL", "TR"], persons_per_agency=100)
    running = start_federation(
        tmp_path / "fed", {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL", "TR")},
        down=("TR",),
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", data.datasets["NL"])
        running.wait_published()
        suspects = tmp_path / "suspects.csv"
        write_csv(suspects, data.suspects)
        yield running, suspects
    finally:
        running.stop()


def test_match_json_reports_every_partner_and_exits_3_when_one_is_down(
    partial_federation: tuple[RunningFederation, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    running, suspects = partial_federation
    code = liaison(
        "match", "--config", str(running.node_configs["FR"].path), "--file", str(suspects),
        "--token-file", str(running.token_file("FR")),
        "--case", "C-1", "--purpose", "counter-terrorism", "--legal-basis", "test", "--json",
    )  # fmt: skip
    assert code == 3
    result = json.loads(capsys.readouterr().out)
    assert result["schema"] == 1 and len(result["query_id"]) == 32
    statuses = {(r["agency"], r["dataset"]): r["status"] for r in result["results"]}
    assert statuses == {("NL", "watchlist"): "ok", ("TR", "*"): "unavailable"}
    nl = next(r for r in result["results"] if r["agency"] == "NL")
    fields = {"row", "line", "ref", "keys", "strength", "contact", "reference"}
    assert nl["hits"] and all(set(h) == fields for h in nl["hits"])
    assert all(h["line"] == h["row"] + 2 for h in nl["hits"])  # after the header line
    # Each hit names whom to contact at NL (its signed entry) and the reference to quote.
    assert {h["reference"] for h in nl["hits"]} == {result["query_id"]}
    assert {h["contact"]["unit"] for h in nl["hits"]} == {"NL CT liaison desk"}


def test_a_blank_case_is_refused_by_the_node_and_shown(
    partial_federation: tuple[RunningFederation, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    running, suspects = partial_federation
    code = liaison(
        "match", "--config", str(running.node_configs["FR"].path), "--file", str(suspects),
        "--token-file", str(running.token_file("FR")),
        "--case", " ", "--purpose", "counter-terrorism", "--legal-basis", "test",
    )  # fmt: skip
    assert code == 1
    assert "a match needs a case" in capsys.readouterr().err


def test_demo_runs_end_to_end_and_shuts_down_cleanly(tmp_path: Path) -> None:
    # Without --workdir the demo works in a temporary folder and removes it once it passed.
    completed = subprocess.run(
        [sys.executable, "-m", "liaison", "demo", "--persons", "300"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "verified: all" in completed.stdout
    assert "spelling variants hit with the expected strength" in completed.stdout
    assert "the source field stayed at the data owner" in completed.stdout
    assert "VERIFIED: the log is intact and consistent" in completed.stdout
    assert "all servers stopped cleanly" in completed.stdout
    assert "its folder is removed" in completed.stdout and list(tmp_path.iterdir()) == []


def test_keys_evaluate_reports_rates_per_strength(capsys: pytest.CaptureFixture[str]) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "name_matching"
    cases = next(sample.glob("nomenklatura*.csv"))
    assert liaison("keys", "evaluate", "--pairs", str(cases), "--population", "0", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == 2 and report["key_spec"] == "3"
    text = json.dumps(report)
    assert "recall" in text and "false_match" in text and "anchor" in text
    assert liaison("keys", "evaluate", "--pairs", str(cases), "--population", "0") == 0
    table = capsys.readouterr().out
    assert "exact" in table and "strong" in table and "fuzzy" in table and "anchor" in table


def test_followthemoney_entities_import(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entities = [
        {"id": "p1", "schema": "Person", "properties": {
            "name": ["Ahmed Ali"], "alias": ["Ahmad Aly"], "birthDate": ["1985-03-14"],
            "nationality": ["fr"]}},
        {"id": "pp1", "schema": "Passport", "properties": {
            "holder": ["p1"], "number": ["12AB34567"], "country": ["fr"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}},
    ]  # fmt: skip
    path = tmp_path / "entities.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities))
    argv = ["node", "import", "--config", str(node_config), "--dataset", "sanctions"]
    assert liaison(*argv, "--file", str(path), "--format", "ftm") == 0
    assert "2 inserted" in capsys.readouterr().out  # the person and the company
    path.write_text('{"id": "p2", "schema": "Person", "properties": 7}\n')
    assert liaison(*argv, "--file", str(path), "--format", "ftm") == 1
    assert "line 1" in capsys.readouterr().err


def test_an_ofac_list_imports_as_published(
    node_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ofac = Path(__file__).resolve().parents[1] / "data" / "watchlists"
    argv = ["node", "import", "--config", str(node_config), "--dataset", "ofac"]
    listed = next(ofac.glob("ofac_*.xml"))
    assert liaison(*argv, "--file", str(listed), "--format", "ofac-xml") == 0
    assert "443 inserted" in capsys.readouterr().out  # 79 persons, 364 entities
    broken = tmp_path / "broken.xml"
    broken.write_bytes(listed.read_bytes()[:5000])
    assert liaison(*argv, "--file", str(broken), "--format", "ofac-xml") == 1
    assert "line " in capsys.readouterr().err


def test_a_broker_that_is_down_is_not_blamed_on_the_local_node(
    partial_federation: tuple[RunningFederation, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    running, suspects = partial_federation
    assert running.broker is not None
    running.broker.stop(0)
    running.broker = None
    code = liaison(
        "match", "--config", str(running.node_configs["FR"].path), "--file", str(suspects),
        "--token-file", str(running.token_file("FR")),
        "--case", "C-1", "--purpose", "counter-terrorism", "--legal-basis", "test",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "is 'liaison node serve' running?" not in err
    assert "broker" in err.lower(), err


def test_import_writes_its_durations_for_the_textfile_collector(
    node_config: Path, tmp_path: Path
) -> None:
    document = tomllib.loads(node_config.read_text())
    document["node"]["metrics_textfile"] = "import.prom"
    node_config.write_text(tomli_w.dumps(document))
    rows = tmp_path / "rows.csv"
    rows.write_text(HEADER + GOOD_ROW)
    assert liaison("node", "import", "--config", str(node_config), "--dataset", "w",
                   "--file", str(rows)) == 0  # fmt: skip
    families = {
        family.name: family.samples[0]
        for family in text_string_to_metric_families(
            (node_config.parent / "import.prom").read_text()
        )
    }
    assert set(families) == {
        "liaison_import_seconds",
        "liaison_index_build_seconds",
        "liaison_import_rows",
    }
    assert families["liaison_import_rows"].value == 1
    assert all(s.labels == {"dataset": "w"} and s.value >= 0 for s in families.values())
