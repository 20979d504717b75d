"""``liaison node user ...`` and ``liaison match`` with a token, as people type them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison.cli.main import main
from liaison.core.records import Record
from liaison.node.ledger.sql_store import SqlLedgerStore
from tests.integration.harness import RunningFederation, start_federation

SHARED = Record(ref="S-1", full_name="Ahmed Ali", emails=("a.ali@example.org",))


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningFederation]:
    federation = start_federation(
        tmp_path / "fed", {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"),
    )  # fmt: skip
    try:
        federation.import_rows("NL", "watchlist", [SHARED])
        yield federation
    finally:
        federation.stop()


def test_operator_issues_lists_disables_and_removes_users(
    running: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(running.node_configs["FR"].path)
    assert main(["node", "user", "add", "jane@fr", "--role", "operator", "--config", config]) == 0
    shown = capsys.readouterr().out
    token = next(line for line in shown.splitlines() if line.startswith("lt1:jane@fr:"))
    assert main(["node", "user", "list", "--config", config, "--json"]) == 0
    listed = {u["name"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed["jane@fr"]["role"] == "operator" and listed["jane@fr"]["enabled"] is True
    assert token.split(":")[2] not in json.dumps(listed) and "scrypt" not in json.dumps(listed)
    assert main(["node", "user", "disable", "jane@fr", "--config", config]) == 0
    assert main(["node", "user", "list", "--config", config]) == 0
    assert "disabled" in capsys.readouterr().out
    assert main(["node", "user", "remove", "jane@fr", "--config", config]) == 0
    assert main(["node", "user", "remove", "jane@fr", "--config", config]) == 1
    assert main(["node", "user", "add", "a:b", "--role", "operator", "--config", config]) == 1
    taken = tmp_path / "taken.token"
    taken.write_text("keep")
    argv = ["node", "user", "add", "kim@fr", "--role", "auditor", "--config", config]
    assert main([*argv, "--token-file", str(taken)]) == 1
    assert taken.read_text() == "keep"


def test_match_takes_the_token_from_the_environment_and_ignores_investigator(
    running: RunningFederation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suspects = tmp_path / "s.csv"
    suspects.write_text("ref,full_name,email\nQ-1,Ahmed Ali,a.ali@example.org\n")
    argv = [
        "match", "--config", str(running.node_configs["FR"].path), "--file", str(suspects),
        "--case", "C-1", "--purpose", "counter-terrorism", "--legal-basis", "test", "--json",
    ]  # fmt: skip
    assert main(argv) == 1
    assert "no credential" in capsys.readouterr().err
    monkeypatch.setenv("LIAISON_TOKEN", running.tokens["FR"])
    assert main([*argv, "--investigator", "chief.prosecutor@fr"]) == 0
    captured = capsys.readouterr()
    assert "--investigator is ignored" in captured.err
    assert json.loads(captured.out)["results"][0]["hits"]
    store = SqlLedgerStore(running.node_configs["NL"].database)
    try:
        (entry,) = store.all()
    finally:
        store.close()
    assert entry.investigator_id == "investigator@fr"
