"""Follow-ups in a node ledger against the broker's ``followup`` entries.

Every request and every reply the broker relayed, and that was
acknowledged, must be in the ledgers of both parties; every request or
reply a ledger says went out must be in the broker's log. The ledger
outcomes name the follow-up id in fixed forms (``docs/followups.md``,
"Audit"): ``request <id> to ...`` (requester), ``request <id> from ...``
(owner), ``reply <id>: ...`` (both sides). A request the node recorded as
failed may never have reached the broker and is not looked for there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from liaison.auditing.ledger_checks import Note
from liaison.core.audit import AuditEvent, EntryKind
from liaison.node.ledger.chain import Direction, LedgerEntry

_STEP = re.compile(r"(request|reply) ([0-9a-f]{32})(?: (to|from) | ?:)")


def _ledger_steps(entries: Sequence[LedgerEntry]) -> dict[tuple[str, str], int]:
    """(step, follow-up id) -> seq of the entries that record a step that went through."""
    steps: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.direction is not Direction.FOLLOWUP:
            continue
        found = _STEP.match(entry.outcome)
        if found is None or " failed: " in entry.outcome:
            continue
        steps.setdefault((found.group(1), found.group(2)), entry.seq)
    return steps


def _broker_steps(events: Mapping[int, AuditEvent], agency: str) -> dict[tuple[str, str], int]:
    """(step, follow-up id) -> log index of acknowledged requests and replies naming ``agency``."""
    acked = {
        str(e.fields["reply_to"])
        for e in events.values()
        if e.kind is EntryKind.FOLLOWUP and e.fields["message_kind"] == "ack"
    }
    steps: dict[tuple[str, str], int] = {}
    for index, event in sorted(events.items()):
        if event.kind is not EntryKind.FOLLOWUP:
            continue
        f = event.fields
        if agency not in (f["sender"], f["recipient"]) or f["message_id"] not in acked:
            continue
        if f["message_kind"] == "request":
            steps.setdefault(("request", str(f["message_id"])), index)
        elif f["message_kind"] == "reply":
            steps.setdefault(("reply", str(f["reply_to"])), index)
    return steps


def check_followups(
    name: str, agency: str, entries: Sequence[LedgerEntry], events: Mapping[int, AuditEvent]
) -> list[Note]:
    """Return a finding per follow-up step in one record but not in the other."""
    ledger = _ledger_steps(entries)
    broker = _broker_steps(events, agency)
    findings = [
        Note(
            f"entry {index}", f"follow-up {step} {fid} relayed for {agency} missing from its ledger"
        )
        for (step, fid), index in broker.items()
        if (step, fid) not in ledger
    ]
    findings += [
        Note(f"{name} seq {seq}", f"follow-up {step} {fid} missing from the broker's log")
        for (step, fid), seq in ledger.items()
        if (step, fid) not in broker
    ]
    return findings
