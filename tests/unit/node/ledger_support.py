"""Shared by the ledger tests: a clock, a tiny broker log with receipts, entries.

The broker log is real: a Merkle tree of sealed audit entries under a tree
head signed with a fresh key.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from liaison.core import audit, audit_events
from liaison.core.query import Justification
from liaison.crypto import audit_entries
from liaison.crypto.merkle import MerkleTree
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import sign_tree_head
from liaison.node.ledger.chain import GENESIS_HASH, Direction, Ledger, LedgerEntry

T0 = datetime(2026, 11, 23, 9, 45, 49, 123456, tzinfo=UTC)
QUERY_ID = "0f7c2a9e-query"


class Clock:
    """A clock that moves one second per reading, thread-safely."""

    def __init__(self) -> None:
        self._now = T0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=1)
            return self._now


@dataclass(frozen=True)
class BrokerLog:
    key: Ed25519PrivateKey
    tree: MerkleTree
    entries: tuple[audit_entries.SealedEntry, ...]

    def receipt(self, index: int) -> Receipt:
        head = sign_tree_head(self.tree.size, self.tree.root(), self.key, now=T0)
        entry = self.entries[index]
        return Receipt(
            entry_index=index,
            header=entry.header,
            salt=entry.salt,
            body=entry.body,
            tree_head=head,
            inclusion_proof=tuple(self.tree.inclusion_proof(index, head.size)),
        )


def submitted(query_id: str) -> audit.AuditEvent:
    return audit_events.query_submitted(
        time=T0,
        query_id=query_id,
        requesting_agency="BE",
        investigator_id="inv-7",
        case_id="case-42",
        purpose="fraud investigation",
        legal_basis="art. 46",
        targets=("NL:watchlist", "DE:*"),
        key_count=3,
        payload_digest="ab" * 32,
        issued_at_ms=1_700_000_000_000,
        expires_at_ms=1_700_000_060_000,
    )


def make_broker_log() -> BrokerLog:
    """Six entries; ``QUERY_ID`` was submitted at index 2."""
    events = [
        audit_events.participant_admitted(time=T0, agency="BE", endpoint="be.example:7000"),
        audit_events.participant_admitted(time=T0, agency="NL", endpoint="nl.example:7000"),
        submitted(QUERY_ID),
        audit_events.partner_answered(
            time=T0,
            query_id=QUERY_ID,
            agency="NL",
            dataset="watchlist",
            status="ok",
            reason="",
            filter_version=4,
        ),
        submitted("another-query"),
        audit_events.query_completed(
            time=T0, query_id=QUERY_ID, requesting_agency="BE", answers=1, ok=1
        ),
    ]
    entries = tuple(audit_entries.seal(event) for event in events)
    tree = MerkleTree(entry.leaf_hash for entry in entries)
    return BrokerLog(Ed25519PrivateKey.generate(), tree, entries)


def entry(**changes: object) -> LedgerEntry:
    base = LedgerEntry(
        seq=0,
        time=T0,
        direction=Direction.SENT,
        query_id=QUERY_ID,
        counterpart="DE,NL",
        investigator_id="inv-7",
        case_id="case-42",
        purpose="fraud investigation",
        legal_basis="art. 46",
        key_count=3,
        outcome="NL/watchlist:ok:3 hits",
        receipt=None,
        prev_hash=GENESIS_HASH,
        entry_hash=GENESIS_HASH,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def record_some(ledger: Ledger, receipt: Receipt | None, count: int = 5) -> list[LedgerEntry]:
    recorded = []
    for i in range(count):
        if i % 2:
            recorded.append(
                ledger.record_served(
                    query_id=QUERY_ID if receipt else f"q-{i}",
                    requester="BE",
                    justification=Justification(
                        "case-42", "fraud investigation", "art. 46", "inv-7"
                    ),
                    key_count=3,
                    outcome="watchlist:ok",
                    receipt=receipt,
                )
            )
        else:
            recorded.append(
                ledger.record_sent(
                    query_id=f"q-{i}",
                    partners=["DE", "NL"],
                    justification=Justification("case-1", "trafficking", "art. 12", "inv-9"),
                    key_count=i,
                    outcome=f"NL/watchlist:ok:{i} hits",
                )
            )
    return recorded
