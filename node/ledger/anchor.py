"""Anchoring the node's ledger head in the broker's log.

Specified in ``docs/audit.md``, "Anchored ledger heads".

After every append the node signs its new head, ``(agency, size,
entry_hash of the last entry)``, with its certificate key and sends it to
the broker, which logs it as a ``ledger_checkpoint`` entry and returns that
entry's receipt. Since each entry hash covers every entry before it, one
anchored head pins the whole ledger up to it: a rewritten and re-chained
ledger no longer reproduces it, and the auditor names the entries.

Anchoring runs on its own thread, off the query path: :meth:`LedgerAnchor.note`
only records the newest head, and the thread sends the newest head it has
not anchored yet (heads noted meanwhile are coalesced: the newest one covers
them). After each anchor the thread pauses ``min_interval_s`` (the node
server: :data:`ANCHOR_INTERVAL_S`), so that a busy node anchors once a
second at most, whatever its query rate: on the wire, an anchor (a signed
head out, a checkpoint receipt back, about 1.9 KB) was most of a warm
query's per-query bytes at a partner (``docs/benchmark.md``). A broker that
is down is retried with a growing pause, so the tail written while it was
down is anchored once it is back. Memory: one entry.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liaison.core import audit
from liaison.core.errors import LiaisonError, ProofError
from liaison.crypto import merkle
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint, sign_checkpoint
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import verify_tree_head
from liaison.node.ledger.chain import LedgerEntry

log = logging.getLogger(__name__)

#: First and longest pause between attempts while the broker cannot be reached.
RETRY_S = 0.5
MAX_RETRY_S = 30.0
#: Shortest time between two anchors of a node server (heads noted meanwhile coalesce).
ANCHOR_INTERVAL_S = 1.0


class AnchorPort(Protocol):
    """How the node reaches the broker's Audit service (gRPC in production)."""

    def anchor_ledger(self, size: int, head_hash: bytes, signature: bytes) -> Receipt:
        """Send a signed ledger head; return the broker's receipt of its checkpoint entry."""


def check_anchor_receipt(
    receipt: Receipt, public_key: Ed25519PublicKey, checkpoint: LedgerCheckpoint
) -> None:
    """Check that the broker logged exactly this checkpoint under a head it signed.

    Raises:
        ProofError: bad tree head signature, inclusion proof or commitment,
            or the entry is not this checkpoint.
    """
    verify_tree_head(receipt.tree_head, public_key)
    leaf = merkle.leaf_hash(receipt.header)
    merkle.verify_inclusion(
        leaf, receipt.entry_index, receipt.tree_head.size, receipt.inclusion_proof,
        receipt.tree_head.root,
    )  # fmt: skip
    record = AuditRecord(receipt.entry_index, receipt.header, leaf, receipt.salt, receipt.body)
    record.verify()
    try:
        event = record.event()
    except LiaisonError as exc:
        raise ProofError(f"checkpoint receipt: {exc}") from None
    expected = (checkpoint.agency, checkpoint.size, checkpoint.head_hash.hex())
    if (
        event is None
        or event.kind is not audit.EntryKind.LEDGER_CHECKPOINT
        or (event.fields["agency"], event.fields["size"], event.fields["head_hash"]) != expected
    ):
        raise ProofError("checkpoint receipt is about another entry")


class LedgerAnchor:
    """Sends the newest ledger head to the broker from a background thread."""

    def __init__(
        self,
        agency: str,
        signing_key: ec.EllipticCurvePrivateKey,
        port: AnchorPort,
        *,
        broker_audit_key: Ed25519PublicKey | None = None,
        retry_s: float = RETRY_S,
        min_interval_s: float = 0.0,
    ) -> None:
        """Anchor ``agency``'s heads through ``port``; check receipts with ``broker_audit_key``.

        ``min_interval_s``: the pause after each anchor, during which newer
        heads are only noted (and coalesced into the next anchor).
        """
        self._agency = agency
        self._key = signing_key
        self._port = port
        self._audit_key = broker_audit_key
        self._retry_s = retry_s
        self._interval = min_interval_s
        self._pending: LedgerEntry | None = None
        self._anchored = 0
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="ledger-anchor", daemon=True)

    def start(self) -> None:
        """Start the anchoring thread."""
        self._thread.start()

    def note(self, entry: LedgerEntry) -> None:
        """Remember ``entry`` as the newest head to anchor (returns at once)."""
        with self._changed:
            if self._pending is None or entry.seq > self._pending.seq:
                self._pending = entry
                self._changed.notify_all()

    @property
    def anchored_size(self) -> int:
        """The largest ledger size the broker has confirmed."""
        with self._changed:
            return self._anchored

    def wait_anchored(self, size: int, timeout: float) -> bool:
        """Wait until a head of at least ``size`` entries is anchored; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._anchored < size:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return False
                self._changed.wait(left)
            return True

    def close(self) -> None:
        """Stop the thread (a head not yet anchored is anchored at the next start)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def _next(self) -> LedgerEntry | None:
        with self._changed:
            while not self._closed and (self._pending is None):
                self._changed.wait()
            return None if self._closed else self._pending

    def _run(self) -> None:
        pause = self._retry_s
        while (entry := self._next()) is not None:
            try:
                self._send(entry)
            except Exception as exc:  # the thread must outlive any failure
                log.warning("ledger head not anchored yet, retrying: %s", type(exc).__name__)
                with self._changed:
                    self._changed.wait_for(lambda: self._closed, timeout=pause)
                pause = min(pause * 2, MAX_RETRY_S)
                continue
            pause = self._retry_s
            with self._changed:
                self._anchored = max(self._anchored, entry.seq + 1)
                if self._pending is not None and self._pending.seq <= entry.seq:
                    self._pending = None
                self._changed.notify_all()
                if self._interval > 0:
                    self._changed.wait_for(lambda: self._closed, timeout=self._interval)

    def _send(self, entry: LedgerEntry) -> None:
        checkpoint = LedgerCheckpoint(self._agency, entry.seq + 1, entry.entry_hash)
        receipt = self._port.anchor_ledger(
            checkpoint.size, checkpoint.head_hash, sign_checkpoint(checkpoint, self._key)
        )
        if self._audit_key is not None:
            check_anchor_receipt(receipt, self._audit_key, checkpoint)
