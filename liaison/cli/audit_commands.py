"""The ``liaison audit`` and ``liaison node ledger`` commands."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from liaison.auditing import report as audit_report
from liaison.auditing.auditor import GrpcLogSource, load_auditor_config, render_auditor_config
from liaison.auditing.report.render_csv import spreadsheet_safe
from liaison.auditing.report.watches import watch_figures
from liaison.auditing.verify import AuditorState, Ledger, VerifyReport, verify
from liaison.cli.init_checks import (
    check_audit_key,
    check_certificate,
    new_folder,
    refuse_set_up_folder,
)
from liaison.core.audit import AuditEvent, ms_to_datetime
from liaison.core.errors import InvalidInput, ProofError
from liaison.core.files import PRIVATE_FILE_MODE, open_private, private_folder, write_new
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.certificates import Role, load_certificate
from liaison.crypto.tree_head import from_json, load_audit_public_key, to_json
from liaison.node.config import load_node_config
from liaison.node.ledger.chain import Direction
from liaison.node.ledger.export import export_jsonl, read_export
from liaison.node.ledger.outcomes import is_intent
from liaison.node.ledger.sql_store import SqlLedgerStore

EXIT_FAILED = 1
#: "NL/watchlist:ok:3 hits" parts of a sent query's outcome in a node ledger.
_HITS = re.compile(r":(\d+) hits(?:;|$)")


def _day(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{flag}: expected a date YYYY-MM-DD") from None


def _relative(target: Path, start: Path) -> str:
    return os.path.relpath(target.resolve(), start.resolve())


def audit_init(args: argparse.Namespace) -> None:
    """Write a ready auditor.toml, once its certificate, key, CA and audit.pub are checked."""
    path: Path = args.dir / "auditor.toml"
    refuse_set_up_folder(args.dir, "auditor.toml", holds=())
    check_certificate(args.pki, args.name, Role.AUDITOR)
    check_audit_key(args.broker_audit_key, "--broker-audit-key")
    text = render_auditor_config(
        broker=args.broker,
        broker_audit_key=_relative(args.broker_audit_key, args.dir),
        ca=_relative(args.pki / "ca.pem", args.dir),
        cert=_relative(args.pki / f"{args.name}.pem", args.dir),
        key=_relative(args.pki / f"{args.name}.key", args.dir),
    )
    with new_folder(args.dir):
        private_folder(path.parent)
        write_new(path, text.encode("utf-8"), PRIVATE_FILE_MODE)
        load_auditor_config(path)
    print(f"wrote {path}")


def _read_ledgers(paths: list[Path]) -> list[Ledger]:
    ledgers = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as handle:
                agency, entries = read_export(handle)
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from exc
        ledgers.append(Ledger(agency, tuple(entries), str(path)))
    return ledgers


def audit_verify(args: argparse.Namespace) -> int | None:
    """Verify the log, the history seen before, and node ledgers."""
    config = load_auditor_config(args.config)
    public_key = load_audit_public_key(config.broker_audit_key)
    state = AuditorState.load(config.state)
    peer_heads = []
    for path in args.peer_head:
        try:
            peer_heads.append(from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"{path}: not a tree head file") from exc
    source = GrpcLogSource(config)
    try:
        report = verify(
            source,
            public_key,
            state,
            ledgers=_read_ledgers(args.ledger),
            peer_heads=peer_heads,
            ca_certificate=load_certificate(config.tls.ca),
        )
    finally:
        source.close()
    if report.ok:
        state.save(config.state)
    _print_verdict(report, as_json=args.json)
    return None if report.ok else EXIT_FAILED


def _print_verdict(report: VerifyReport, *, as_json: bool) -> None:
    head = report.head
    if as_json:
        print(
            json.dumps(
                {
                    "schema": 1,
                    "ok": report.ok,
                    "tree_head": to_json(head) if head else None,
                    "entries": report.entries,
                    "erased": report.erased,
                    "heads_checked": report.heads_checked,
                    "ledgers_checked": report.ledgers_checked,
                    "findings": [{"where": f.where, "problem": f.problem} for f in report.findings],
                    "notes": [{"where": n.where, "problem": n.problem} for n in report.notes],
                },
                indent=2,
            )
        )
        return
    size = head.size if head else 0
    print(
        f"audit log: {report.entries} entries ({report.erased} erased), tree size {size}; "
        f"{report.heads_checked} earlier heads and {report.ledgers_checked} ledgers checked"
    )
    for finding in report.findings:
        print(f"FAIL {finding.where}: {finding.problem}")
    for note in report.notes:
        print(f"NOTE {note.where}: {note.problem}")
    print("VERIFIED: the log is intact and consistent" if report.ok else "NOT VERIFIED")


def audit_head(args: argparse.Namespace) -> None:
    """Print the last tree head this auditor verified (to hand to a peer auditor)."""
    config = load_auditor_config(args.config)
    state = AuditorState.load(config.state)
    if not state.heads:
        raise InvalidInput("no verified tree head yet: run 'liaison audit verify' first")
    print(json.dumps(to_json(state.heads[-1]), indent=2))


def _fetch(config_path: Path) -> list[AuditRecord]:
    config = load_auditor_config(config_path)
    source = GrpcLogSource(config)
    try:
        head = source.tree_head()
        return source.records(0, head.size)
    finally:
        source.close()


def _event_row(record: AuditRecord) -> dict[str, Any]:
    event = record.event()
    header = record.header_fields()
    row: dict[str, Any] = {
        "index": record.index,
        "kind": header.kind.value,
        "time": ms_to_datetime(header.time_ms).isoformat(),
        "erased": event is None,
    }
    if event is not None:
        row.update({k: list(v) if isinstance(v, tuple) else v for k, v in event.fields.items()})
    return row


def _matches(event: AuditEvent | None, agency: str | None, case: str | None) -> bool:
    if agency is None and case is None:
        return True
    if event is None:
        return False
    fields = event.fields
    named = ("requesting_agency", "agency", "partner", "accessor", "sender", "recipient")
    agencies = {str(fields.get(k, "")) for k in named}
    agencies |= {str(t).split(":")[0] for t in fields.get("targets", ())}  # type: ignore[union-attr]
    if agency is not None and agency not in agencies:
        return False
    return case is None or fields.get("case_id") == case


def audit_log(args: argparse.Namespace) -> None:
    """List entries, filtered by time, agency, case and kind."""
    since = datetime.combine(_day(args.since, "--since"), time(), UTC) if args.since else None
    until = (
        datetime.combine(_day(args.until, "--until") + timedelta(days=1), time(), UTC)
        if args.until
        else None
    )
    rows = []
    for record in _fetch(args.config):
        event = record.event()
        when = ms_to_datetime(record.header_fields().time_ms)
        if (since and when < since) or (until and when >= until):
            continue
        if not _matches(event, args.agency, args.case):
            continue
        if args.kind and record.header_fields().kind.value not in args.kind:
            continue
        rows.append(_event_row(record))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif args.csv:
        print(_csv(rows), end="")
    else:
        for row in rows:
            details = ", ".join(
                f"{k}={v}" for k, v in row.items() if k not in ("index", "kind", "time", "erased")
            )
            erased = " (body erased)" if row["erased"] else ""
            print(f"{row['index']:>7} {row['time']} {row['kind']}{erased} {details}")


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Every cell defused: entry fields come from the members (a case id of
    # "=HYPERLINK(...)", say).
    writer.writerow([spreadsheet_safe(column) for column in columns])
    for row in rows:
        cells = {k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()}
        writer.writerow([spreadsheet_safe(cells.get(column)) for column in columns])
    return out.getvalue()


def _hit_summary(ledger: Ledger, since: date, until: date) -> audit_report.LedgerSummary:
    sent = [
        entry
        for entry in ledger.entries
        if entry.direction is Direction.SENT
        and not is_intent(entry)
        and since <= entry.time.astimezone(UTC).date() <= until
    ]
    with_hits = sum(any(int(count) > 0 for count in _HITS.findall(entry.outcome)) for entry in sent)
    return audit_report.LedgerSummary(
        agency=ledger.agency,
        queries_sent=len(sent),
        queries_with_hits=with_hits,
        watches=watch_figures(ledger.agency, ledger.entries, since, until),
    )


def audit_report_command(args: argparse.Namespace) -> None:
    """Write the activity report of a period."""
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    if until < since:
        raise InvalidInput("--until is before --since")
    records = _fetch(args.config)
    for record in records:
        try:
            record.verify()
        except ProofError as exc:
            raise InvalidInput(
                f"the log does not verify ({exc}); run 'liaison audit verify' first"
            ) from None
    events = [
        audit_report.ReportEvent(
            index=record.index,
            kind=record.header_fields().kind,
            time=ms_to_datetime(record.header_fields().time_ms),
            event=record.event(),
        )
        for record in records
    ]
    summaries = [_hit_summary(ledger, since, until) for ledger in _read_ledgers(args.ledger)]
    report = audit_report.build_report(events, since=since, until=until, ledgers=summaries)
    renderers = {
        "html": lambda: audit_report.render_html(report, generated_at=datetime.now(UTC)),
        "csv": lambda: audit_report.render_csv(report),
        "json": lambda: audit_report.render_json(report),
    }
    with open_private(args.out) as handle:
        handle.write(renderers[args.format]())
    print(f"wrote {args.out}")


def ledger_export(args: argparse.Namespace) -> None:
    """Export the node's ledger for an auditor."""
    config = load_node_config(args.config)
    store = SqlLedgerStore(config.database)
    try:
        entries = store.all()
    finally:
        store.close()
    if args.out is None:
        export_jsonl(config.agency, entries, sys.stdout)
        return
    with open_private(args.out) as handle:
        export_jsonl(config.agency, entries, handle)
    print(f"wrote {len(entries)} ledger entries to {args.out}", file=sys.stderr)
