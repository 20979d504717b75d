"""The broker's tamper-evident audit log: durable appends, signed tree heads, proofs, erasure.

:class:`AuditLog` keeps the entries in an :class:`AuditStore` (the database,
:mod:`broker.sql_audit`) and their leaf hashes in an in-memory
:class:`~crypto.merkle.MerkleTree`, rebuilt from the store on start. The
rule is *log before disclosure*: ``append`` returns only once the entry is
committed, and the tree (hence every tree head and proof) grows only after
the commit succeeded, so nothing is ever signed that the database lacks.

Entries, canonical bytes and erasure are specified in ``docs/audit.md``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from liaison.core import audit, audit_events
from liaison.core.audit import AuditEvent
from liaison.core.errors import AuditUnavailable, InvalidInput
from liaison.crypto.audit_entries import AuditRecord, SealedEntry, seal
from liaison.crypto.merkle import MerkleTree
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import SignedTreeHead, sign_tree_head

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Erased:
    """What one erasure removed: bodies of ``count`` entries within [first_index, last_index]."""

    first_index: int
    last_index: int
    count: int


class AuditStore(Protocol):
    """Durable storage of the log's entries, indexed densely from 0.

    Implementations assign indices themselves, serialise appends (even from
    other processes) so that indices never have a gap, and raise only
    :class:`~crypto.errors.LiaisonError` subclasses.
    """

    def append(self, entries: Sequence[SealedEntry]) -> list[int]:
        """Insert the entries at the end of the log in one transaction, committed on return.

        Returns:
            Their indices, consecutive, in the order given.

        Raises:
            AuditUnavailable: nothing was written (or the outcome is unknown).
        """

    def size(self) -> int:
        """Return the number of entries.

        Raises:
            AuditUnavailable: the database cannot be read.
        """

    def leaf_hashes(self, start: int = 0) -> list[bytes]:
        """Return the leaf hashes of entries ``start`` onwards, in index order.

        Raises:
            AuditUnavailable: the database cannot be read.
        """

    def records(self, start: int, end: int) -> list[AuditRecord]:
        """Return the entries with ``start <= index < end``, in index order.

        Raises:
            AuditUnavailable: the database cannot be read.
        """

    def erase_bodies(
        self, before_ms: int, note: Callable[[Erased], SealedEntry]
    ) -> tuple[Erased, int] | None:
        """Erase old bodies and log that, in one transaction.

        Deletes salt and body of every entry with ``time_ms < before_ms`` that
        still has them, then appends the entry ``note`` makes of what was
        erased. Headers and leaf hashes are kept.

        Returns:
            What was erased and the index of the appended entry; None (and
            nothing written) if no body was old enough.

        Raises:
            AuditUnavailable: nothing was written (or the outcome is unknown).
        """

    def close(self) -> None:
        """Release the database connections."""


class AuditLog:
    """The broker's Merkle log over an :class:`AuditStore`; safe to share between threads.

    One lock serialises appends, erasures and every use of the in-memory tree.
    The log assumes it is the only writer of its store; entries another
    writer appended are picked up from the store at the next append.
    """

    def __init__(
        self,
        store: AuditStore,
        signing_key: Ed25519PrivateKey,
        clock: Callable[[], datetime],
    ) -> None:
        """Load every leaf hash from ``store`` into the in-memory tree.

        Args:
            store: where entries live; the log closes it in :meth:`close`.
            signing_key: the broker's Ed25519 audit key, signing tree heads.
            clock: returns the current aware time (tree heads, erasure entries).

        Raises:
            TypeError: ``signing_key`` is not an Ed25519 private key.
            AuditUnavailable: the store cannot be read.
            InvalidInput: a stored leaf hash is not 32 bytes.
        """
        if not isinstance(signing_key, Ed25519PrivateKey):
            raise TypeError("the audit signing key must be an Ed25519 private key")
        self._store = store
        self._key = signing_key
        self._clock = clock
        self._lock = threading.Lock()
        self._tree = MerkleTree(store.leaf_hashes())
        logger.info("audit log opened with %d entries", self._tree.size)

    @property
    def size(self) -> int:
        """The number of entries (as of the last append through this log)."""
        with self._lock:
            return self._tree.size

    def stored_size(self) -> int:
        """The number of entries in the database, read now (the health check's probe).

        Raises:
            AuditUnavailable: the database cannot be read.
        """
        return self._store.size()

    def root(self, size: int | None = None) -> bytes:
        """Return the Merkle root of the first ``size`` entries (default: all).

        Raises:
            InvalidInput: ``size`` is negative or beyond the log's size.
        """
        with self._lock:
            return self._tree.root(size)

    def append(self, event: AuditEvent) -> AuditRecord:
        """Append one event; it is committed in the database when this returns.

        Raises:
            AuditUnavailable: the entry could not be committed; the caller
                must not disclose what it was about to.
        """
        return self.append_all([event])[0]

    def append_all(self, events: Sequence[AuditEvent]) -> list[AuditRecord]:
        """Append events in one transaction: all are committed when this returns, or none.

        Raises:
            InvalidInput: an element is not an :class:`AuditEvent` (nothing written).
            AuditUnavailable: the entries could not be committed.
        """
        for event in events:
            if not isinstance(event, AuditEvent):
                raise InvalidInput("only AuditEvent instances can be appended")
        if not events:
            return []
        sealed = [seal(event) for event in events]
        with self._lock:
            indices = self._store.append(sealed)
            self._extend(indices, sealed)
        return [entry.at(index) for entry, index in zip(sealed, indices, strict=True)]

    def erase_before(self, cutoff: datetime) -> AuditRecord | None:
        """Erase salt and body of every entry older than ``cutoff``; log the erasure.

        Headers stay, so leaf hashes, roots and proofs are unchanged. In the
        same transaction an ``erasure`` entry is appended, saying which index
        range was erased, how many bodies, and the cutoff.

        Returns:
            The erasure entry, or None if no body was older than ``cutoff``.

        Raises:
            InvalidInput: ``cutoff`` is naive or out of range.
            AuditUnavailable: the database could not be written (nothing erased).
        """
        before_ms = audit.datetime_to_ms(cutoff)
        now = self._clock()
        notes: list[SealedEntry] = []

        def note(erased: Erased) -> SealedEntry:
            entry = seal(
                audit_events.erasure(
                    time=now,
                    first_index=erased.first_index,
                    last_index=erased.last_index,
                    count=erased.count,
                    before_ms=before_ms,
                )
            )
            notes.append(entry)
            return entry

        with self._lock:
            outcome = self._store.erase_bodies(before_ms, note)
            if outcome is None:
                return None
            erased, index = outcome
            self._extend([index], notes[-1:])
        logger.info(
            "audit log: erased %d bodies in entries %d-%d, logged as entry %d",
            erased.count,
            erased.first_index,
            erased.last_index,
            index,
        )
        return notes[-1].at(index)

    def tree_head(self) -> SignedTreeHead:
        """Sign the current size and root at the clock's time.

        Raises:
            InvalidInput: the clock returned a naive time.
        """
        with self._lock:
            size, root = self._tree.size, self._tree.root()
        return sign_tree_head(size, root, self._key, now=self._clock())

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the inclusion proof of entry ``index`` in the tree of ``size`` entries.

        Raises:
            InvalidInput: unless ``0 <= index < size <= self.size``.
        """
        with self._lock:
            return self._tree.inclusion_proof(index, size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """Return the proof that the first ``old_size`` entries are a prefix of ``new_size``.

        Raises:
            InvalidInput: unless ``0 <= old_size <= new_size <= self.size``.
        """
        with self._lock:
            return self._tree.consistency_proof(old_size, new_size)

    def receipt(self, record: AuditRecord) -> Receipt:
        """Return the receipt of an entry: it, the current signed head and its inclusion proof.

        Raises:
            AuditUnavailable: the log could not be read.
        """
        head = self.tree_head()
        return Receipt(
            entry_index=record.index,
            header=record.header,
            salt=record.salt or b"",
            body=record.body or b"",
            tree_head=head,
            inclusion_proof=tuple(self.inclusion_proof(record.index, head.size)),
        )

    def records(self, start: int, end: int) -> list[AuditRecord]:
        """Return entries ``start`` to ``end - 1`` as stored (erased ones without body).

        Raises:
            InvalidInput: unless ``0 <= start <= end <= self.size``.
            AuditUnavailable: the database cannot be read.
        """
        size = self.size
        if not (_is_count(start) and _is_count(end) and start <= end <= size):
            raise InvalidInput(f"entries must lie within [0, {size}]")
        return self._store.records(start, end)

    def close(self) -> None:
        """Close the store."""
        self._store.close()

    def _extend(self, indices: Sequence[int], entries: Sequence[SealedEntry]) -> None:
        """Add committed entries to the tree, first catching up with other writers.

        Called with the lock held, after the commit.
        """
        first = indices[0]
        if first > self._tree.size:
            # Entries committed by another writer, or by an append of ours
            # whose commit reported failure but went through.
            missed = self._store.leaf_hashes(self._tree.size)[: first - self._tree.size]
            logger.warning("audit log: %d entries appended by another writer", len(missed))
            for hashed in missed:
                self._tree.append(hashed)
        if first != self._tree.size:
            raise AuditUnavailable("audit store returned indices out of order")
        for entry in entries:
            self._tree.append(entry.leaf_hash)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
