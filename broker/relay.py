"""The broker's part in step two: serve signed directory entries, relay follow-ups.

The broker holds no key that opens a follow-up. It checks that a message's
clear header names the caller as sender and an admitted agency as
recipient, logs that header (metadata only: ``followup`` entries, before the
message is relayed), relays the sealed bytes, and logs and returns the
recipient's sealed acknowledgement. A directory entry is accepted only when
the caller's own certificate signed it, so the broker stores nothing an
agency did not publish; readers verify the signature themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from liaison.broker.audit.log import AuditLog
from liaison.broker.directory import Directory
from liaison.core import audit_events
from liaison.core.errors import InvalidInput, NotFound, PartnerUnavailable, PermissionDenied
from liaison.crypto.certificates import parse_certificate
from liaison.crypto.directory_entry import SignedEntry, check_entry_signature, parse_entry
from liaison.crypto.followup_seal import Header, MessageKind, SealedMessage, parse_header

log = logging.getLogger(__name__)

#: Kinds a node may send; an acknowledgement only comes back from a delivery.
SENT_KINDS = frozenset(
    {MessageKind.REQUEST, MessageKind.REPLY, MessageKind.NOTICE, MessageKind.OVERDUE}
)


class EntryStore(Protocol):
    """Where the signed entries live (``SqlDirectoryEntries``)."""

    def put(self, agency: str, signed: SignedEntry) -> None:
        """Store ``agency``'s entry in place of the previous one."""

    def all(self) -> dict[str, SignedEntry]:
        """Return every stored entry by agency."""


class FollowupPort(Protocol):
    """How the broker reaches a recipient node (gRPC in production)."""

    def deliver(self, endpoint: str, sealed: SealedMessage, *, timeout: float) -> SealedMessage:
        """Deliver a sealed message; return the recipient's sealed acknowledgement."""


class DirectoryEntries:
    """The signed entries of admitted agencies."""

    def __init__(self, directory: Directory, store: EntryStore) -> None:
        """Serve ``store``'s entries of the agencies ``directory`` admits."""
        self._directory = directory
        self._store = store

    def publish(self, agency: str, certificate_der: bytes, signed: SignedEntry) -> None:
        """Store an entry the caller ``agency`` signed with the key of ``certificate_der``.

        Raises:
            PermissionDenied: the caller is not admitted, or the entry names
                another agency or is not signed by the caller's key.
            InvalidInput: the entry is malformed.
        """
        if self._directory.get(agency) is None:
            raise PermissionDenied("not a participant of the federation")
        entry = parse_entry(signed.entry)
        if entry.agency != agency:
            raise PermissionDenied("an agency publishes its own entry only")
        check_entry_signature(signed, parse_certificate(certificate_der))
        self._store.put(agency, SignedEntry(signed.entry, signed.signature, certificate_der))
        log.info("directory entry of %s published", agency)

    def entries(self) -> dict[str, SignedEntry]:
        """Return the entries of the admitted agencies."""
        admitted = {p.agency for p in self._directory.participants()}
        return {a: e for a, e in self._store.all().items() if a in admitted}


class FollowupRelay:
    """Relays sealed follow-up messages and logs their headers."""

    def __init__(
        self,
        directory: Directory,
        nodes: FollowupPort,
        audit_log: AuditLog,
        *,
        timeout: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Relay through ``nodes`` to the agencies of ``directory``, logging to ``audit_log``."""
        self._directory = directory
        self.nodes = nodes
        self._audit_log = audit_log
        self._timeout = timeout
        self._clock = clock

    def relay(self, agency: str, sealed: SealedMessage) -> SealedMessage:
        """Relay a message from the caller ``agency``; return the recipient's acknowledgement.

        Raises:
            PermissionDenied: the caller is not admitted or not the header's sender.
            InvalidInput: the header is malformed or of a kind nodes do not send.
            NotFound: the recipient is not a participant (or is the sender).
            PartnerUnavailable: the recipient failed, or its acknowledgement
                does not answer this message.
        """
        if self._directory.get(agency) is None:
            raise PermissionDenied("not a participant of the federation")
        header = parse_header(sealed.header)
        if header.sender != agency:
            raise PermissionDenied("the message names another sender than the caller")
        if header.kind not in SENT_KINDS:
            raise InvalidInput("nodes do not send messages of this kind")
        recipient = self._directory.get(header.recipient)
        if recipient is None or header.recipient == agency:
            raise NotFound("the recipient is not a participant")
        self._log(header)
        ack = self.nodes.deliver(recipient.endpoint, sealed, timeout=self._timeout)
        try:
            ack_header = parse_header(ack.header)
        except InvalidInput:
            raise PartnerUnavailable("unusable acknowledgement from the recipient") from None
        if (
            ack_header.kind is not MessageKind.ACK
            or ack_header.sender != header.recipient
            or ack_header.recipient != agency
            or ack_header.reply_to != header.message_id
        ):
            raise PartnerUnavailable("unusable acknowledgement from the recipient")
        self._log(ack_header)
        return ack

    def _log(self, header: Header) -> None:
        self._audit_log.append(
            audit_events.followup(
                time=self._clock(),
                message_kind=header.kind.value,
                message_id=header.message_id,
                reply_to=header.reply_to,
                query_id=header.query_id,
                sender=header.sender,
                recipient=header.recipient,
                sent_at_ms=header.sent_at_ms,
                deadline_ms=header.deadline_ms,
                decision=header.decision,
                handling=header.handling,
            )
        )
