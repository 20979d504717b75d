"""Checks of a node ledger against what the broker's log anchored and recorded.

* **Anchored heads** (``docs/audit.md``, "Anchored ledger heads"): every
  ``ledger_checkpoint`` entry of an agency is a head it signed; its export
  must reproduce each one (the entry at ``size - 1`` hashes to
  ``head_hash``). A head the export does not reproduce is a finding naming
  the agency, the entries in question and the log entry; entries written
  after the last anchored head are a note (not anchored yet).
* **Interrupted queries** ("Intent before submission"): a sent query whose
  result is missing or recorded as lost is a note saying what happened
  (the broker failed before logging it; or partners answered and the result
  was lost), never a finding: it is what an honest crash leaves.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import LiaisonError
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint, verify_checkpoint
from liaison.node.ledger.chain import Direction, LedgerEntry
from liaison.node.ledger.outcomes import is_intent, is_lost


@dataclass(frozen=True, slots=True)
class Note:
    """A finding's shape for things that are not tampering: where, and what happened."""

    where: str
    problem: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """One ``ledger_checkpoint`` entry of the broker's log."""

    index: int
    time: datetime
    checkpoint: LedgerCheckpoint
    signature: bytes
    certificate: bytes


def anchors_of(events: Mapping[int, AuditEvent], agency: str) -> tuple[list[Anchor], list[Note]]:
    """Return ``agency``'s anchored heads in log order, and the entries that are not usable ones.

    The second list holds one item per malformed checkpoint entry (a finding
    for the caller).
    """
    anchors: list[Anchor] = []
    broken: list[Note] = []
    for index, event in sorted(events.items()):
        if event.kind is not EntryKind.LEDGER_CHECKPOINT or event.fields["agency"] != agency:
            continue
        fields = event.fields
        size = fields["size"]
        try:
            checkpoint = LedgerCheckpoint(
                agency,
                size if isinstance(size, int) else 0,
                bytes.fromhex(str(fields["head_hash"])),
            )
            signature = base64.b64decode(str(fields["signature"]), validate=True)
            certificate = base64.b64decode(str(fields["certificate"]), validate=True)
        except (LiaisonError, ValueError, binascii.Error):
            broken.append(Note(f"entry {index}", f"ledger checkpoint of {agency} is malformed"))
            continue
        anchors.append(Anchor(index, event.time, checkpoint, signature, certificate))
    return anchors, broken


def check_anchors(
    name: str,
    entries: Sequence[LedgerEntry],
    anchors: Sequence[Anchor],
    ca_certificate: x509.Certificate | None,
) -> tuple[list[Note], list[Note]]:
    """Compare an export with every head its agency anchored; return (findings, notes).

    ``name`` names the ledger in messages; with ``ca_certificate`` each
    checkpoint's signature and certificate are checked too (without it the
    broker's word is taken that the agency signed it).
    """
    findings: list[Note] = []
    matched = 0
    mismatches: list[Anchor] = []
    for anchor in sorted(anchors, key=lambda a: (a.checkpoint.size, a.index)):
        where = f"entry {anchor.index}"
        agency, size = anchor.checkpoint.agency, anchor.checkpoint.size
        if ca_certificate is not None:
            try:
                verify_checkpoint(
                    anchor.checkpoint, anchor.signature, anchor.certificate, ca_certificate,
                    at=anchor.time,
                )  # fmt: skip
            except LiaisonError as exc:
                findings.append(Note(where, f"ledger checkpoint of {agency}: {exc}"))
                continue
        if size > len(entries):
            findings.append(
                Note(
                    f"{name} seqs {len(entries)}-{size - 1}",
                    f"missing: {agency} anchored a head of {size} entries ({where}); "
                    f"the export has {len(entries)} (truncated or rewritten)",
                )
            )
        elif hmac.compare_digest(entries[size - 1].entry_hash, anchor.checkpoint.head_hash):
            matched = max(matched, size)
        else:
            if not mismatches:
                findings.append(
                    Note(
                        f"{name} seqs {matched}-{size - 1}",
                        f"rewritten: the export does not reproduce the head {agency} signed "
                        f"and anchored at size {size} ({where})",
                    )
                )
            mismatches.append(anchor)
    if len(mismatches) > 1:
        findings.append(
            Note(name, f"{len(mismatches) - 1} later anchored heads are not reproduced either")
        )
    notes = []
    newest = max((a.checkpoint.size for a in anchors), default=0)
    if newest < len(entries):
        notes.append(
            Note(
                f"{name} seqs {newest}-{len(entries) - 1}",
                "not anchored in the broker's log yet (written after the last checkpoint)",
            )
        )
    return findings, notes


def interrupted(
    name: str,
    agency: str,
    entries: Sequence[LedgerEntry],
    events: Mapping[int, AuditEvent],
    served_by: Mapping[str, set[str]],
) -> tuple[set[str], list[Note]]:
    """Notes on sent queries whose result is missing or lost; return their ids and the notes.

    The caller skips the returned query ids in its own "missing from the
    broker's log" check.
    """
    submitted: dict[str, int] = {}
    completed: set[str] = set()
    for index, event in events.items():
        if event.kind is EntryKind.QUERY_SUBMITTED:
            submitted[str(event.fields["query_id"])] = index
        elif event.kind is EntryKind.QUERY_COMPLETED:
            completed.add(str(event.fields["query_id"]))
    intents = {e.query_id: e for e in entries if is_intent(e)}
    done = {e.query_id: e for e in entries if e.direction is Direction.SENT and not is_intent(e)}
    explained: set[str] = set()
    notes: list[Note] = []
    for query_id, intent in intents.items():
        result = done.get(query_id)
        if result is not None and not is_lost(result):
            continue
        explained.add(query_id)
        notes.append(
            _interrupted_note(name, agency, intent, result, submitted.get(query_id),
                              query_id in completed, sorted(served_by.get(query_id, ())))
        )  # fmt: skip
    return explained, notes


def _interrupted_note(
    name: str,
    agency: str,
    intent: LedgerEntry,
    result: LedgerEntry | None,
    index: int | None,
    completed: bool,
    servers: list[str],
) -> Note:
    recorded = (
        f"{agency} recorded no result"
        if result is None
        else f"{agency} recorded the result as lost (seq {result.seq})"
    )
    if index is None:
        return Note(
            f"{name} seq {intent.seq}",
            f"interrupted before the broker logged the query: {recorded}; no partner was asked",
        )
    if completed:
        return Note(
            f"entry {index}",
            f"reply lost: the broker completed the query but {recorded} "
            "(a failure between broker and requester, not tampering)",
        )
    answered = ", ".join(servers) if servers else "no partner whose ledger was given"
    return Note(
        f"entry {index}",
        f"fan-out interrupted: the broker logged the query but no completion; "
        f"answered by {answered}; {recorded}: the result was lost, not hidden "
        "(a broker failure, not tampering)",
    )
