"""Follow-up steps reconciled between a node's ledger and the broker's log."""

from __future__ import annotations

from datetime import UTC, datetime

from liaison.auditing.followup_checks import check_followups
from liaison.core import audit_events
from liaison.core.audit import AuditEvent
from liaison.node.ledger.chain import Direction, LedgerEntry
from tests.unit.node.ledger_support import entry

T0 = datetime(2026, 12, 1, tzinfo=UTC)
REQ, ACK, REPLY, ACK2 = "a" * 32, "b" * 32, "c" * 32, "d" * 32


def relayed(kind: str, message_id: str, reply_to: str, sender: str, recipient: str) -> AuditEvent:
    return audit_events.followup(
        time=T0, message_kind=kind, message_id=message_id, reply_to=reply_to, query_id="q",
        sender=sender, recipient=recipient, sent_at_ms=0, deadline_ms=0, decision="", handling="",
    )  # fmt: skip


EVENTS = dict(
    enumerate(
        [
            relayed("request", REQ, "", "FR", "NL"),
            relayed("ack", ACK, REQ, "NL", "FR"),
            relayed("reply", REPLY, REQ, "NL", "FR"),
            relayed("ack", ACK2, REPLY, "FR", "NL"),
        ]
    )
)


def step(seq: int, outcome: str) -> LedgerEntry:
    return entry(seq=seq, direction=Direction.FOLLOWUP, outcome=outcome)


def test_both_ledgers_that_record_every_relayed_step_agree_with_the_log() -> None:
    fr = [
        step(0, f"request {REQ} to NL/watchlist row 1: accepted"),
        step(1, f"reply {REQ}: approved"),
    ]
    nl = [step(0, f"request {REQ} from FR on watchlist: queued"), step(1, f"reply {REQ}: approved")]
    assert check_followups("FR", "FR", fr, EVENTS) == []
    assert check_followups("NL", "NL", nl, EVENTS) == []


def test_a_step_missing_on_either_side_is_a_finding() -> None:
    dropped = [step(0, f"request {REQ} to NL/watchlist row 1: accepted")]
    (finding,) = check_followups("FR", "FR", dropped, EVENTS)
    assert finding.where == "entry 2" and "reply" in finding.problem
    invented = [
        *dropped,
        step(1, f"reply {REQ}: approved"),
        step(2, f"request {'e' * 32} to NL/x row 0: accepted"),
    ]
    (finding,) = check_followups("FR", "FR", invented, EVENTS)
    assert finding.where == "FR seq 2" and "missing from the broker's log" in finding.problem


def test_a_request_recorded_as_failed_is_not_looked_for_at_the_broker() -> None:
    failed = [step(0, f"request {'e' * 32} to NL/x row 0 failed: unreachable")]
    assert check_followups("FR", "FR", failed, {}) == []
