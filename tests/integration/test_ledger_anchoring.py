"""Finding 8: ledgers cannot be rewritten; an interrupted fan-out is not reported as tampering.

Real broker and nodes. Before, an agency that rewrote its exported ledger
(case, investigator, hit counts, ``ok`` turned into ``refused``) and
recomputed the hash chain passed ``liaison audit verify``; and a broker
crash during fan-out left a permanent NOT VERIFIED. Now every node signs its
ledger head and anchors it in the broker's log, and the requester records
its intent before submitting.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from liaison.auditing.auditor import GrpcLogSource, load_auditor_config
from liaison.auditing.verify import AuditorState, Ledger, verify
from liaison.cli.main import main
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.certificates import load_certificate
from liaison.crypto.tree_head import load_audit_public_key
from liaison.node.codec import match_request_to_proto
from liaison.node.ledger.chain import LedgerEntry, chain_hash, verify_chain
from liaison.node.ledger.export import export_jsonl, read_export
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from liaison.node.responder import Responder
from tests.conftest import DbUrlFactory
from tests.integration.broker_process import (
    BrokerProcess,
    federation_with_broker_process,
    wait_for_participants,
)
from tests.integration.harness import RunningFederation, start_federation

SHARED = Record(ref="S-1", full_name="Ahmed Ali", date_of_birth="1985-03-14",
                emails=("a.ali@example.org",))  # fmt: skip


def match(federation: RunningFederation, case: str) -> None:
    request = MatchRequest(Justification(case, "counter-terrorism", "art. 1", "inv"), (SHARED,))
    federation.local("FR").Match(match_request_to_proto(request), timeout=30)


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in ("FR", "NL")}, agencies=("FR", "NL"),
        broker_database=make_db_url("broker"),
    )  # fmt: skip
    try:
        running.import_rows("NL", "watchlist", [SHARED])
        for case in ("CASE-1", "CASE-2"):
            match(running, case)
        running.wait_anchored()
        yield running
    finally:
        running.stop()


def export(federation: RunningFederation, agency: str, path: Path) -> Path:
    config = str(federation.node_configs[agency].path)
    assert main(["node", "ledger", "export", "--config", config, "--out", str(path)]) == 0
    return path


def rechained(entries: list[LedgerEntry], seq: int, **changes: Any) -> list[LedgerEntry]:
    """The forger's ledger: one entry changed, every hash from there recomputed."""
    forged = entries[:seq]
    for original in entries[seq:]:
        entry = dataclasses.replace(original, **changes) if original.seq == seq else original
        prev = forged[-1].entry_hash if forged else entry.prev_hash
        draft = dataclasses.replace(entry, prev_hash=prev)
        forged.append(dataclasses.replace(draft, entry_hash=chain_hash(draft)))
    verify_chain(forged)  # the chain itself is flawless
    return forged


def _hits_to_zero(entry: LedgerEntry) -> dict[str, str]:
    return {"outcome": entry.outcome.replace(":1 hits", ":0 hits")}


def _ok_to_refused(entry: LedgerEntry) -> dict[str, str]:
    return {"outcome": entry.outcome.replace(":ok:1 hits", ":refused:0 hits")}


FORGERIES: dict[str, tuple[str, int, Callable[[LedgerEntry], dict[str, str]]]] = {
    "case": ("FR", 1, lambda e: {"case_id": "CASE-HARMLESS"}),
    "investigator": ("FR", 3, lambda e: {"investigator_id": "someone.else"}),
    "hit count": ("FR", 1, _hits_to_zero),
    "ok turned into refused": ("FR", 3, _ok_to_refused),
    "partner's served case": ("NL", 0, lambda e: {"case_id": "CASE-HARMLESS"}),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_rewritten_and_rechained_ledger_is_not_verified(
    federation: RunningFederation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forgery: str,
) -> None:
    agency, seq, change = FORGERIES[forgery]
    auditor = str(federation.auditor_config())
    honest = {a: export(federation, a, tmp_path / f"{a}.jsonl") for a in ("FR", "NL")}
    args = ["audit", "verify", "--config", auditor]
    capsys.readouterr()
    assert main([*args, "--ledger", str(honest["FR"]), "--ledger", str(honest["NL"])]) == 0
    assert "VERIFIED" in capsys.readouterr().out

    with honest[agency].open() as handle:
        _, entries = read_export(handle)
    changes = change(entries[seq])
    assert any(getattr(entries[seq], k) != v for k, v in changes.items())
    forged = tmp_path / f"{agency}-forged.jsonl"
    with forged.open("w") as handle:
        export_jsonl(agency, rechained(entries, seq, **changes), handle)
    other = honest["NL" if agency == "FR" else "FR"]
    assert main([*args, "--ledger", str(forged), "--ledger", str(other)]) == 1
    out = capsys.readouterr().out
    assert "NOT VERIFIED" in out
    named = re.search(rf"FAIL ledger {agency} \(\S+\) seqs (\d+)-(\d+): rewritten", out)
    assert named is not None, out
    assert int(named[1]) <= seq <= int(named[2])


def test_a_truncated_ledger_is_named(federation: RunningFederation, tmp_path: Path) -> None:
    with export(federation, "FR", tmp_path / "FR.jsonl").open() as handle:
        _, entries = read_export(handle)
    report = run_verify(federation, [Ledger("FR", tuple(entries[:-1]), "FR.jsonl")])
    assert any("missing: FR anchored a head" in f.problem for f in report.findings)


def ledgers(federation: RunningFederation) -> list[Ledger]:
    result = []
    for agency, config in federation.node_configs.items():
        store = SqlLedgerStore(config.database)
        try:
            result.append(Ledger(agency, tuple(store.all()), agency))
        finally:
            store.close()
    return result


def run_verify(federation: RunningFederation, given: list[Ledger]) -> Any:
    config = load_auditor_config(federation.auditor_config())
    source = GrpcLogSource(config)
    try:
        return verify(
            source,
            load_audit_public_key(config.broker_audit_key),
            AuditorState.load(config.state),
            ledgers=given,
            ca_certificate=load_certificate(config.tls.ca),
        )
    finally:
        source.close()


# -- a broker killed during fan-out ------------------------------------------


@pytest.fixture
def broker(tmp_path: Path) -> BrokerProcess:
    return BrokerProcess(tmp_path / "broker.log")


@pytest.fixture
def crashing(tmp_path: Path, broker: BrokerProcess) -> Iterator[RunningFederation]:
    with federation_with_broker_process(tmp_path, broker, [SHARED]) as running:
        yield running


def test_a_broker_killed_during_fan_out_is_reported_as_a_lost_result(
    crashing: RunningFederation, broker: BrokerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    match(crashing, "CASE-0")  # an ordinary query first
    answered, release = threading.Event(), threading.Event()
    original = Responder.answer

    def answer_then_hang(self: Responder, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)  # NL has answered and recorded it
        answered.set()
        release.wait(30)
        return result

    monkeypatch.setattr(Responder, "answer", answer_then_hang)
    failures: list[grpc.StatusCode] = []

    def run() -> None:
        try:
            match(crashing, "CASE-1")
        except grpc.RpcError as exc:
            failures.append(exc.code())

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert answered.wait(30), "the partner was never asked"
        assert broker.process is not None
        broker.process.send_signal(signal.SIGKILL)  # mid fan-out: NL answered, FR waits
        broker.process.wait(10)
    finally:
        release.set()
        worker.join(30)
    assert failures == [grpc.StatusCode.UNAVAILABLE]
    monkeypatch.undo()
    process, _ = broker.launch(crashing.broker_config.path)
    assert isinstance(process, subprocess.Popen)
    try:
        wait_for_participants(crashing, {"FR", "NL"})
        crashing.wait_anchored()
        report = run_verify(crashing, ledgers(crashing))
        assert [f"{f.where}: {f.problem}" for f in report.findings] == []
        assert report.ok
        notes = [n.problem for n in report.notes]
        assert any(
            "fan-out interrupted" in n
            and "answered by NL" in n
            and "FR recorded the result as lost" in n
            for n in notes
        ), notes
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
