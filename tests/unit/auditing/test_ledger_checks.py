"""Ledger exports against anchored heads; interrupted queries as notes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from liaison.auditing.ledger_checks import Anchor, anchors_of, check_anchors, interrupted
from liaison.core import audit_events
from liaison.core.audit import AuditEvent
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint
from liaison.node.ledger.chain import Direction, LedgerEntry, chain_hash, next_link
from liaison.node.ledger.outcomes import LOST_PREFIX, SUBMITTED
from tests.unit.node.ledger_support import entry

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def chain(*specs: tuple[str, str, Direction]) -> list[LedgerEntry]:
    entries: list[LedgerEntry] = []
    for query_id, outcome, direction in specs:
        seq, prev = next_link(entries[-1] if entries else None)
        draft = entry(seq=seq, prev_hash=prev, query_id=query_id, outcome=outcome,
                      direction=direction)  # fmt: skip
        entries.append(dataclasses.replace(draft, entry_hash=chain_hash(draft)))
    return entries


SENT, SERVED = Direction.SENT, Direction.SERVED
LEDGER = chain(("q1", SUBMITTED, SENT), ("q1", "NL/w:ok:1 hits", SENT), ("q2", "w:ok", SERVED),
               ("q3", SUBMITTED, SENT), ("q3", "NL/w:ok:0 hits", SENT))  # fmt: skip


def anchor(index: int, size: int, entries: list[LedgerEntry] = LEDGER) -> Anchor:
    checkpoint = LedgerCheckpoint("FR", size, entries[size - 1].entry_hash)
    return Anchor(index, T0, checkpoint, b"", b"")


def test_an_export_reproducing_every_anchored_head_passes() -> None:
    findings, notes = check_anchors("ledger FR", LEDGER, [anchor(7, 2), anchor(9, 5)], None)
    assert findings == [] and notes == []


def test_a_rechained_rewrite_is_named_by_the_seqs_between_anchors() -> None:
    forged = chain(("q1", SUBMITTED, SENT), ("q1", "NL/w:ok:1 hits", SENT),
                   ("q2", "w:refused", SERVED), ("q3", SUBMITTED, SENT),
                   ("q3", "NL/w:ok:0 hits", SENT))  # fmt: skip
    anchors = [anchor(7, 2), anchor(8, 3), anchor(9, 5)]
    findings, _ = check_anchors("ledger FR", forged, anchors, None)
    assert [(f.where, f.problem.split(":")[0]) for f in findings] == [
        ("ledger FR seqs 2-2", "rewritten"),
        ("ledger FR", "1 later anchored heads are not reproduced either"),
    ]
    assert "entry 8" in findings[0].problem


def test_a_truncated_export_and_an_unanchored_tail() -> None:
    findings, _ = check_anchors("ledger FR", LEDGER[:3], [anchor(9, 5)], None)
    assert findings[0].where == "ledger FR seqs 3-4" and "missing" in findings[0].problem
    _, notes = check_anchors("ledger FR", LEDGER, [anchor(7, 2)], None)
    assert [n.where for n in notes] == ["ledger FR seqs 2-4"]


def test_malformed_checkpoint_entries_are_reported() -> None:
    good = audit_events.ledger_checkpoint(time=T0, agency="FR", size=2, head_hash="ab" * 32,
                                   signature="", certificate="")  # fmt: skip
    bad = audit_events.ledger_checkpoint(time=T0, agency="FR", size=0, head_hash="ab" * 32,
                                  signature="", certificate="")  # fmt: skip
    other = audit_events.ledger_checkpoint(time=T0, agency="NL", size=1, head_hash="ab" * 32,
                                    signature="", certificate="")  # fmt: skip
    anchors, broken = anchors_of({1: good, 2: bad, 3: other}, "FR")
    assert [a.index for a in anchors] == [1] and [b.where for b in broken] == ["entry 2"]


def submitted(query_id: str) -> AuditEvent:
    return audit_events.query_submitted(
        time=T0, query_id=query_id, requesting_agency="FR", investigator_id="i", case_id="c",
        purpose="p", legal_basis="l", targets=("NL:*",), key_count=1, payload_digest="ab" * 32,
        issued_at_ms=0, expires_at_ms=1,
    )  # fmt: skip


def test_interrupted_queries_are_explained_not_flagged() -> None:
    entries = chain(("q-crash", SUBMITTED, SENT), ("q-crash", LOST_PREFIX + "x", SENT),
                    ("q-never", SUBMITTED, SENT), ("q-ok", SUBMITTED, SENT),
                    ("q-ok", "NL/w:ok:1 hits", SENT))  # fmt: skip
    events = {4: submitted("q-crash"), 6: submitted("q-ok"), 7: audit_events.query_completed(
        time=T0, query_id="q-ok", requesting_agency="FR", answers=1, ok=1)}  # fmt: skip
    explained, notes = interrupted("ledger FR", "FR", entries, events, {"q-crash": {"NL"}})
    assert explained == {"q-crash", "q-never"}
    by_place = {n.where: n.problem for n in notes}
    assert "fan-out interrupted" in by_place["entry 4"]
    assert "answered by NL" in by_place["entry 4"]
    assert "FR recorded the result as lost (seq 1)" in by_place["entry 4"]
    assert "before the broker logged the query" in by_place["ledger FR seq 2"]
