"""``make bench`` (audit part): proof sizes and the time to verify a large log.

Builds a broker audit log of N entries (realistic query metadata) in SQLite,
then times what ``liaison audit verify`` does with it: read every entry,
check every commitment and leaf hash, rebuild the tree, compare with the
signed head, and check consistency with an earlier head. Prints one table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from liaison.auditing.verify import AuditorState, verify
from liaison.broker.audit.log import AuditLog
from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.core import audit, audit_events
from liaison.crypto import audit_entries
from liaison.crypto.tree_head import SignedTreeHead

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def events(count: int) -> list[audit.AuditEvent]:
    """``count`` entries shaped like real traffic: submitted, 2 answers, completed."""
    result: list[audit.AuditEvent] = []
    for query in range(count // 4 + 1):
        when = T0 + timedelta(seconds=query)
        query_id = f"{query:032x}"
        result.append(
            audit_events.query_submitted(
                time=when, query_id=query_id, requesting_agency="FR", investigator_id="inv-7",
                case_id=f"CT-2026-{query % 500:04d}", purpose="counter-terrorism",
                legal_basis="art. 12 national CT act", targets=("NL:watchlist", "TR:*"),
                key_count=40, payload_digest="ab" * 32, issued_at_ms=0, expires_at_ms=1,
            )
        )  # fmt: skip
        for agency in ("NL", "TR"):
            result.append(
                audit_events.partner_answered(
                    time=when, query_id=query_id, agency=agency, dataset="watchlist",
                    status="ok", reason="", filter_version=3,
                )
            )  # fmt: skip
        result.append(
            audit_events.query_completed(
                time=when, query_id=query_id, requesting_agency="FR", answers=2, ok=2
            )
        )
    return result[:count]


class LocalSource:
    """The auditor's view of a log, without a network in between."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log

    def tree_head(self) -> SignedTreeHead:
        return self.log.tree_head()

    def records(self, start: int, end: int) -> list[audit_entries.AuditRecord]:
        batches = range(start, end, 1000)
        return [r for first in batches for r in self.log.records(first, min(first + 1000, end))]

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return self.log.consistency_proof(first, second)


def main() -> None:
    """Build the log, verify it twice, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        log = AuditLog(SqlAuditStore(f"sqlite:///{Path(folder) / 'audit.db'}"), key, lambda: T0)
        batch = events(args.entries)
        start = time.perf_counter()
        for first in range(0, len(batch), 1000):
            log.append_all(batch[first : first + 1000])
        appended = time.perf_counter() - start
        start = time.perf_counter()
        log.append(batch[0])
        single = time.perf_counter() - start
        source = LocalSource(log)
        state = AuditorState()
        half = log.size // 2
        state.heads.append(SignedTreeHead(half, log.root(half), 0, log.tree_head().signature))
        start = time.perf_counter()
        report = verify(source, key.public_key(), AuditorState(), ledgers=())
        first_run = time.perf_counter() - start
        inclusion = log.inclusion_proof(12_345, log.size)
        consistency = log.consistency_proof(half, log.size)
        log.close()
    n = report.entries
    rows = [
        ("entries", f"{n:,} (verified ok: {report.ok})"),
        (
            "append, batches of 1000, durable",
            f"{appended:.1f} s ({args.entries / appended:,.0f}/s)",
        ),
        ("append of one entry, durable", f"{single * 1000:.1f} ms"),
        ("audit verify of the whole log", f"{first_run:.1f} s"),
        (f"inclusion proof at size {n:,}", f"{len(inclusion)} hashes, {32 * len(inclusion)} B"),
        (
            f"consistency proof {half:,} -> {n:,}",
            f"{len(consistency)} hashes, {32 * len(consistency)} B",
        ),
    ]
    for label, value in rows:
        print(f"{label:<40} {value}")


if __name__ == "__main__":
    main()
