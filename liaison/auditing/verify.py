"""``liaison audit verify``: check the broker's log without trusting its operator.

What is checked, each failure becoming a named finding:

1. the current tree head's signature (the broker's Ed25519 audit key);
2. every entry: its leaf hash, and for unerased entries the salted body
   commitment and that body and header agree;
3. that the entries hash to the signed root;
4. that the log only grew since every head this auditor (or a peer whose
   head it was given) saw before: the broker's consistency proofs, and the
   leaf hashes remembered from the last successful run, entry by entry;
5. each node ledger given: its hash chain, every head its agency signed
   and anchored in the log (``ledger_checks``), its receipts (signature,
   inclusion, and consistency of the receipt's head with the current one),
   and reconciliation with the broker's log in both directions.

What is not tampering (a fan-out a broker crash interrupted, a ledger tail
not anchored yet) is reported as a note, which does not fail the run.

The state (heads seen, leaf hashes) is saved only after a clean run, so a
detected tampering keeps failing until someone looks.
"""

from __future__ import annotations

import hmac
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liaison.auditing.followup_checks import check_followups
from liaison.auditing.ledger_checks import Note, anchors_of, check_anchors, interrupted
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import InvalidInput, LiaisonError, ProofError
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.merkle import HASH_SIZE, MerkleTree, leaf_hash, verify_consistency
from liaison.crypto.tree_head import SignedTreeHead, from_json, to_json, verify_tree_head
from liaison.node.ledger.chain import Direction, LedgerEntry, verify_chain

STATE_VERSION = 1


class LogSource(Protocol):
    """Where the auditor reads the log (the broker's Audit service)."""

    def tree_head(self) -> SignedTreeHead:
        """Return the current signed tree head."""

    def records(self, start: int, end: int) -> list[AuditRecord]:
        """Return entries [start, end) in index order."""

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """Return the consistency proof between two tree sizes."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that does not hold, and where."""

    where: str
    problem: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """A node's exported ledger, as given to the auditor."""

    agency: str
    entries: tuple[LedgerEntry, ...]
    source: str


@dataclass
class AuditorState:
    """What this auditor saw before: heads and the leaf hashes of the last run."""

    heads: list[SignedTreeHead] = field(default_factory=list)
    leaves: list[bytes] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> AuditorState:
        """Read the state kept in ``directory`` (empty if none yet).

        Raises:
            InvalidInput: the state files are corrupt.
        """
        heads_path, leaves_path = directory / "heads.json", directory / "leaves.bin"
        if not heads_path.exists():
            return cls()
        try:
            document = json.loads(heads_path.read_text(encoding="utf-8"))
            heads = [from_json(item) for item in document["heads"]]
            version = document["v"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{heads_path}: auditor state is corrupt") from exc
        if version != STATE_VERSION:
            raise InvalidInput(f"{heads_path}: unknown auditor state version")
        raw = leaves_path.read_bytes() if leaves_path.exists() else b""
        if len(raw) % HASH_SIZE:
            raise InvalidInput(f"{leaves_path}: auditor state is corrupt")
        leaves = [raw[i : i + HASH_SIZE] for i in range(0, len(raw), HASH_SIZE)]
        return cls(heads, leaves)

    def save(self, directory: Path) -> None:
        """Write the state atomically (temporary files, then rename)."""
        directory.mkdir(parents=True, exist_ok=True)
        heads = json.dumps({"v": STATE_VERSION, "heads": [to_json(h) for h in self.heads]})
        for name, data in (("heads.json", heads.encode()), ("leaves.bin", b"".join(self.leaves))):
            temporary = directory / f".{name}.tmp"
            temporary.write_bytes(data)
            temporary.replace(directory / name)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of one verification."""

    head: SignedTreeHead | None
    entries: int
    erased: int
    heads_checked: int
    ledgers_checked: int
    findings: tuple[Finding, ...]
    #: What is not tampering: interrupted queries, ledger tails not anchored yet.
    notes: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether everything held."""
        return not self.findings


def verify(
    source: LogSource,
    public_key: Ed25519PublicKey,
    state: AuditorState,
    *,
    ledgers: Sequence[Ledger] = (),
    peer_heads: Sequence[SignedTreeHead] = (),
    ca_certificate: x509.Certificate | None = None,
) -> VerifyReport:
    """Run every check; the caller saves ``state`` only if the report is ok.

    With ``ca_certificate`` (the federation CA) the signature and certificate
    of every anchored ledger head are checked too.
    """
    findings: list[Finding] = []
    notes: list[Finding] = []
    try:
        head = source.tree_head()
        verify_tree_head(head, public_key)
    except ProofError as exc:
        return VerifyReport(None, 0, 0, 0, 0, (Finding("tree head", str(exc)),))
    records = source.records(0, head.size)
    if len(records) != head.size:
        findings.append(Finding("log", f"{len(records)} entries served for a tree of {head.size}"))
    leaves = [leaf_hash(record.header) for record in records]
    tree = MerkleTree(leaves)
    events: dict[int, AuditEvent] = {}
    erased = 0
    for position, record in enumerate(records):
        where = f"entry {position}"
        if record.index != position:
            findings.append(Finding(where, f"served out of order (index {record.index})"))
        try:
            record.verify()
            event = record.event()
        except LiaisonError as exc:
            findings.append(Finding(where, str(exc)))
            event = None
        if event is None:
            erased += record.body is None
        else:
            events[position] = event
    if len(records) == head.size and not hmac.compare_digest(tree.root(), head.root):
        findings.append(Finding("tree head", "the entries do not hash to the signed root"))
    known = [*state.heads, *peer_heads]
    findings += _check_history(source, head, tree, leaves, state.leaves, known)
    served_by: dict[str, set[str]] = defaultdict(set)
    for ledger in ledgers:
        for entry in ledger.entries:
            if entry.direction is Direction.SERVED:
                served_by[entry.query_id].add(ledger.agency)
    for ledger in ledgers:
        found, noted = _reconcile(ledger, events, tree, head, public_key, served_by, ca_certificate)
        findings += found
        notes += noted
    if not findings:
        state.heads.append(head)
        state.leaves = leaves
    return VerifyReport(
        head, len(records), erased, len(known), len(ledgers), tuple(findings), tuple(notes)
    )


def _check_history(
    source: LogSource,
    head: SignedTreeHead,
    tree: MerkleTree,
    leaves: list[bytes],
    remembered: list[bytes],
    known: Sequence[SignedTreeHead],
) -> list[Finding]:
    findings: list[Finding] = []
    for index, (before, now) in enumerate(zip(remembered, leaves, strict=False)):
        if not hmac.compare_digest(before, now):
            findings.append(Finding(f"entry {index}", "changed since the last verification"))
    if len(leaves) < len(remembered):
        findings.append(
            Finding(
                f"entries {len(leaves)}-{len(remembered) - 1}",
                "missing: the log shrank since the last verification (deleted or truncated)",
            )
        )
    for seen in known:
        where = f"head of size {seen.size} seen at {seen.timestamp_ms}"
        if seen.size > head.size:
            try:
                proof = source.consistency_proof(head.size, seen.size)
                verify_consistency(head.size, seen.size, proof, head.root, seen.root)
            except LiaisonError:
                findings.append(Finding(where, "fork: the current tree is not a prefix of it"))
            continue
        if seen.size <= tree.size and not hmac.compare_digest(tree.root(seen.size), seen.root):
            findings.append(Finding(where, "fork or rewrite: today's entries do not hash to it"))
            continue
        try:
            proof = source.consistency_proof(seen.size, head.size)
            verify_consistency(seen.size, head.size, proof, seen.root, head.root)
        except LiaisonError as exc:
            findings.append(Finding(where, f"no valid consistency proof: {exc}"))
    return findings


def _reconcile(
    ledger: Ledger,
    events: dict[int, AuditEvent],
    tree: MerkleTree,
    head: SignedTreeHead,
    public_key: Ed25519PublicKey,
    served_by: dict[str, set[str]],
    ca_certificate: x509.Certificate | None,
) -> tuple[list[Finding], list[Finding]]:
    name = f"ledger {ledger.agency} ({ledger.source})"
    try:
        verify_chain(ledger.entries)
    except ProofError as exc:
        return [Finding(name, str(exc))], []
    anchors, broken = anchors_of(events, ledger.agency)
    anchored, unanchored = check_anchors(name, ledger.entries, anchors, ca_certificate)
    explained, lost = interrupted(name, ledger.agency, ledger.entries, events, served_by)
    findings = _findings([*broken, *anchored])
    findings += _findings(check_followups(name, ledger.agency, ledger.entries, events))
    submitted: dict[str, tuple[int, AuditEvent]] = {}
    denied: set[str] = set()
    answered_ok: dict[str, set[str]] = defaultdict(set)
    for index, event in events.items():
        query_id = str(event.fields.get("query_id", ""))
        if event.kind is EntryKind.QUERY_SUBMITTED:
            submitted[query_id] = (index, event)
        elif event.kind is EntryKind.POLICY_DENIAL:
            denied.add(query_id)
        elif event.kind is EntryKind.PARTNER_ANSWERED and event.fields.get("status") == "ok":
            answered_ok[query_id].add(str(event.fields["agency"]))
    sent = {e.query_id: e for e in ledger.entries if e.direction is Direction.SENT}
    served = {e.query_id: e for e in ledger.entries if e.direction is Direction.SERVED}
    for entry in sent.values():
        if entry.query_id in explained:
            continue
        if entry.query_id not in submitted and entry.query_id not in denied:
            findings.append(
                Finding(f"{name} seq {entry.seq}", "sent query missing from the broker's log")
            )
    for entry in served.values():
        findings += _check_served(name, entry, submitted, tree, head, public_key)
    for query_id, (index, event) in submitted.items():
        if event.fields["requesting_agency"] == ledger.agency and query_id not in sent:
            findings.append(
                Finding(f"entry {index}", f"query sent by {ledger.agency} missing from its ledger")
            )
        if ledger.agency in answered_ok.get(query_id, set()) and query_id not in served:
            findings.append(
                Finding(
                    f"entry {index}", f"query answered by {ledger.agency} missing from its ledger"
                )
            )
    return findings, _findings([*unanchored, *lost])


def _findings(notes: Sequence[Note]) -> list[Finding]:
    return [Finding(note.where, note.problem) for note in notes]


def _check_served(
    name: str,
    entry: LedgerEntry,
    submitted: dict[str, tuple[int, AuditEvent]],
    tree: MerkleTree,
    head: SignedTreeHead,
    public_key: Ed25519PublicKey,
) -> list[Finding]:
    where = f"{name} seq {entry.seq}"
    if entry.query_id not in submitted:
        return [Finding(where, "served query missing from the broker's log")]
    index, event = submitted[entry.query_id]
    if event.fields["requesting_agency"] != entry.counterpart:
        return [Finding(where, "requester differs from the broker's log")]
    receipt = entry.receipt
    if receipt is None:
        return [Finding(where, "served query has no receipt")]
    try:
        receipt.verify(public_key, query_id=entry.query_id)
    except ProofError as exc:
        return [Finding(where, f"receipt: {exc}")]
    receipt_head = receipt.tree_head
    if receipt.entry_index != index:
        return [Finding(where, "receipt names another entry than the broker's log")]
    if receipt_head.size > head.size or not hmac.compare_digest(
        tree.root(receipt_head.size), receipt_head.root
    ):
        return [Finding(where, "receipt's tree head is not part of today's log (fork or rewrite)")]
    return []
