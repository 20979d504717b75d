"""Who may read the audit log, what they read, and ledger heads nodes anchor in it.

* Auditors read every entry. A node reads the entries about its own agency
  in full and every other entry as its leaf hash only (:mod:`scope`); an
  agency that is no longer in the directory is refused everything.
* Every read of entries is logged (``log_access``) before the first entry
  leaves, refused attempts included.
* A node anchors its ledger head: the broker checks the signature against
  the node's TLS certificate and appends a ``ledger_checkpoint`` entry.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Final, Protocol

from liaison.broker.audit.log import AuditLog
from liaison.broker.audit.scope import NodeScope
from liaison.core import audit, audit_events
from liaison.core.errors import InvalidInput, LiaisonError, PermissionDenied
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.certificates import PeerIdentity, Role
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint, check_signature
from liaison.crypto.receipts import Receipt

#: Entries read from the store per batch while streaming.
BATCH: Final = 1000


class Participants(Protocol):
    """The directory, as far as reads need it (:class:`broker.directory.Directory`)."""

    def get(self, agency: str) -> object | None:
        """Return the admitted agency, or None."""


class AuditAccess:
    """The Audit service's domain: admission, scoped reads, checkpoints."""

    def __init__(
        self, log: AuditLog, participants: Participants, clock: Callable[[], datetime]
    ) -> None:
        """Serve ``log`` to auditors and to the nodes ``participants`` admits."""
        self._log = log
        self._participants = participants
        self._clock = clock

    def admit(self, reader: PeerIdentity) -> None:
        """Refuse a node whose agency is no longer a participant.

        Raises:
            PermissionDenied: the node's agency is not in the directory.
        """
        if reader.role is Role.NODE and self._participants.get(reader.name) is None:
            raise PermissionDenied("this agency is not a participant of the federation")

    def entries(
        self, reader: PeerIdentity, start: int, end: int
    ) -> Iterator[tuple[AuditRecord, bool]]:
        """Log the read, then yield entries [start, end) and whether the reader sees each in full.

        ``end`` 0 means the current size. The check and the log entry happen
        on the first ``next``.

        Raises:
            InvalidInput: the range lies outside the log.
            PermissionDenied: the reader is a removed participant (the attempt is logged).
        """
        size = self._log.size
        end = end or size
        if not 0 <= start <= end <= size:
            raise InvalidInput(f"entries [{start}, {end}) outside the log of {size}")
        scoped = reader.role is Role.NODE
        action = f"entries {start}-{end}" + (" (own entries)" if scoped else "")
        try:
            self.admit(reader)
        except PermissionDenied:
            self._log_access(reader, f"refused {action}")
            raise
        self._log_access(reader, action)
        if not scoped:
            for record in self._batches(start, end):
                yield record, True
            return
        scope = NodeScope(reader.name)
        for record in self._batches(0, start):
            scope.observe(_event(record))
        for record in self._batches(start, end):
            event = _event(record)
            scope.observe(event)
            yield record, scope.visible(event)

    def anchor(
        self,
        reader: PeerIdentity,
        certificate: bytes,
        size: int,
        head_hash: bytes,
        signature: bytes,
    ) -> Receipt:
        """Append a node's signed ledger head as a ``ledger_checkpoint`` entry; return its receipt.

        Raises:
            PermissionDenied: not a node, or no longer a participant.
            InvalidInput: the checkpoint is malformed.
            ProofError: the signature does not verify under ``certificate``.
            AuditUnavailable: the entry could not be committed.
        """
        if reader.role is not Role.NODE:
            raise PermissionDenied("only nodes anchor ledgers")
        self.admit(reader)
        checkpoint = LedgerCheckpoint(reader.name, size, head_hash)
        check_signature(checkpoint, signature, certificate)
        record = self._log.append(
            audit_events.ledger_checkpoint(
                time=self._clock(),
                agency=reader.name,
                size=size,
                head_hash=head_hash.hex(),
                signature=base64.b64encode(signature).decode("ascii"),
                certificate=base64.b64encode(certificate).decode("ascii"),
            )
        )
        return self._log.receipt(record)

    def _log_access(self, reader: PeerIdentity, action: str) -> None:
        self._log.append(
            audit_events.log_access(
                time=self._clock(), accessor=reader.name, role=reader.role.value, action=action
            )
        )

    def _batches(self, start: int, end: int) -> Iterator[AuditRecord]:
        for first in range(start, end, BATCH):
            yield from self._log.records(first, min(first + BATCH, end))


def _event(record: AuditRecord) -> audit.AuditEvent | None:
    """The entry's event; None when erased or unreadable (an auditor's verify names it)."""
    try:
        return record.event()
    except LiaisonError:
        return None
