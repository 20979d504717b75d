"""Finding 1 of issue 8, data at rest: what Liaison writes is readable by its owner only.

The attacker of the finding, as another OS user, read plaintext identifiers
from ``node.db`` (0644 in a 0755 folder) with sqlite3. These tests run the
real commands and check the modes of every file and folder they create.
"""

from __future__ import annotations

import stat
from pathlib import Path

from liaison.cli.main import main
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.node.codec import match_request_to_proto
from liaison.node.model import MatchRequest
from tests.integration.harness import start_federation

ROW = "A-1,Ahmed Ali,1985-03-14,FR,12AB34567,,06 12 34 56 78\n"
HEADER = "ref,full_name,date_of_birth,nationality,document_number,document_country,phone\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def liaison(*argv: str) -> None:
    assert main(list(argv)) == 0, argv


def test_the_commands_create_private_files_in_private_folders(tmp_path: Path) -> None:
    pki, fr, broker, auditor = (tmp_path / n for n in ("pki", "fr", "broker", "auditor"))
    liaison("pki", "init", "--dir", str(pki), "--federation", "t")
    for name, role in (("FR", "node"), ("broker", "broker"), ("auditor", "auditor")):
        liaison("pki", "issue", "--dir", str(pki), "--name", name, "--role", role)
    liaison("broker", "init", "--dir", str(broker), "--federation", "t", "--pki", str(pki))
    liaison("node", "init", "--agency", "FR", "--dir", str(fr), "--pki", str(pki))
    liaison("audit", "init", "--dir", str(auditor), "--pki", str(pki), "--broker",
            "127.0.0.1:1", "--broker-audit-key", str(broker / "audit.pub"))  # fmt: skip
    data = tmp_path / "in.csv"
    data.write_text(HEADER + ROW)
    config = str(fr / "node.toml")
    liaison("node", "import", "--config", config, "--dataset", "w", "--file", str(data))
    liaison("node", "user", "add", "jane@fr", "--role", "investigator", "--config", config,
            "--token-file", str(fr / "jane.token"))  # fmt: skip
    liaison("node", "ledger", "export", "--config", config, "--out", str(tmp_path / "l.jsonl"))
    for folder in (pki, fr, broker, auditor):
        assert mode(folder) == 0o700, folder
    private = [
        pki / "ca.key", pki / "FR.key", pki / "broker.key", pki / "auditor.key",
        broker / "broker.toml", broker / "audit.key.sealed", broker / "master.key",
        fr / "node.toml", fr / "master.key", fr / "agency.key.sealed", fr / "node.db",
        fr / "jane.token",
        auditor / "auditor.toml", tmp_path / "l.jsonl",
    ]  # fmt: skip
    private += [p for p in fr.glob("node.db-*")]  # SQLite's -wal and -shm, if still there
    assert {str(p): oct(mode(p)) for p in private} == {str(p): "0o600" for p in private}
    # The sealed keys hold no PEM, and no plain audit key was written at all.
    for sealed in (broker / "audit.key.sealed", fr / "agency.key.sealed"):
        assert b"-----BEGIN" not in sealed.read_bytes() and b"PRIVATE" not in sealed.read_bytes()
    assert not (broker / "audit.key").exists()
    assert mode(broker / "audit.pub") == 0o644


def test_an_export_over_an_existing_file_narrows_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "ledger.jsonl"
    out.write_text("old")
    out.chmod(0o644)
    liaison("pki", "init", "--dir", str(tmp_path / "pki"), "--federation", "t")
    liaison("pki", "issue", "--dir", str(tmp_path / "pki"), "--name", "FR", "--role", "node")
    liaison("node", "init", "--agency", "FR", "--dir", str(tmp_path / "fr"),
            "--pki", str(tmp_path / "pki"))  # fmt: skip
    config = str(tmp_path / "fr" / "node.toml")
    liaison("node", "ledger", "export", "--config", config, "--out", str(out))
    assert mode(out) == 0o600 and "old" not in out.read_text()


def test_the_broker_database_and_an_audit_report_are_private(tmp_path: Path) -> None:
    running = start_federation(
        tmp_path / "fed", {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"),
    )  # fmt: skip
    try:
        shared = Record(ref="S-1", full_name="Ahmed Ali", emails=("a.ali@example.org",))
        running.import_rows("NL", "w", [shared])
        request = MatchRequest(Justification("C-1", "counter-terrorism", "art. 1", ""), (shared,))
        running.local("FR").Match(match_request_to_proto(request), timeout=30)
        report = tmp_path / "report.html"
        liaison("audit", "report", "--config", str(running.auditor_config()),
                "--since", "2020-01-01", "--until", "2099-12-31", "--format", "html",
                "--out", str(report))  # fmt: skip
    finally:
        running.stop()
    for path in (tmp_path / "fed" / "broker.db", tmp_path / "FR.db", tmp_path / "NL.db", report):
        assert mode(path) == 0o600, path
