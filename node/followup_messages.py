"""Sending and opening follow-up messages: the one place that seals and checks them.

Every message goes out sealed to the recipient's key from the verified
directory (:mod:`crypto.followup_seal`), through the broker, and comes back
with the recipient's sealed acknowledgement, which must answer that very
message. Every step is written to the node's ledger (metadata only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from liaison.core.errors import EnvelopeRejected
from liaison.crypto.envelope import epoch_ms
from liaison.crypto.followup_seal import (
    FollowupKey,
    Header,
    MessageKind,
    SealedMessage,
    new_message_id,
    open_message,
    parse_header,
    seal_message,
)
from liaison.node.followup_model import dumps, loads
from liaison.node.followup_store import FollowupStore
from liaison.node.ledger.chain import Ledger
from liaison.node.partner_directory import PartnerDirectory

log = logging.getLogger(__name__)

#: Decisions of an acknowledgement.
ACCEPTED = "accepted"
REJECTED = "rejected"


class RelayPort(Protocol):
    """How a node sends a sealed message (the broker's ``RelayFollowup``)."""

    def relay(self, sealed: SealedMessage) -> SealedMessage:
        """Send ``sealed`` through the broker; return the recipient's sealed acknowledgement."""


@dataclass(frozen=True, slots=True)
class Ack:
    """A recipient's acknowledgement, opened: accepted, or rejected and why."""

    header: Header
    accepted: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Opened:
    """A message delivered to this node, opened and checked against replay."""

    header: Header
    body: dict[str, Any]


class Messenger:
    """Seals, sends, opens and acknowledges follow-up messages for one agency."""

    def __init__(
        self,
        agency: str,
        key: FollowupKey,
        directory: PartnerDirectory,
        relay: RelayPort,
        store: FollowupStore,
        ledger: Ledger,
        clock: Callable[[], datetime],
    ) -> None:
        """Act for ``agency`` with its follow-up ``key``."""
        self.agency = agency
        self.store = store
        self.ledger = ledger
        self.clock = clock
        self._key = key
        self._directory = directory
        self._relay = relay

    def header(
        self,
        kind: MessageKind,
        recipient: str,
        query_id: str,
        *,
        reply_to: str = "",
        deadline: datetime | None = None,
        decision: str = "",
        handling: str = "",
    ) -> Header:
        """Return a fresh header from this agency to ``recipient``."""
        return Header(
            kind=kind,
            message_id=new_message_id(),
            query_id=query_id,
            sender=self.agency,
            recipient=recipient,
            sent_at_ms=epoch_ms(self.clock()),
            reply_to=reply_to,
            deadline_ms=0 if deadline is None else epoch_ms(deadline),
            decision=decision,
            handling=handling,
        )

    def send(self, header: Header, body: dict[str, Any]) -> Ack:
        """Seal ``body`` under ``header``, relay it, and open the acknowledgement.

        Raises:
            NotFound: the recipient has no verified directory entry.
            EnvelopeRejected: the acknowledgement does not open or does not
                answer this message (the broker altered or substituted it).
            LiaisonError: the broker or the recipient refused the message.
        """
        recipient_key = self._directory.entry(header.recipient).encryption_key
        sealed = seal_message(header, dumps(body), self._key, recipient_key)
        reply = self._relay.relay(sealed)
        ack_header, ack_body = open_message(reply, self._key, recipient_key, me=self.agency)
        if (
            ack_header.kind is not MessageKind.ACK
            or ack_header.sender != header.recipient
            or ack_header.reply_to != header.message_id
        ):
            raise EnvelopeRejected("the acknowledgement does not answer this message")
        reason = loads(ack_body).get("reason", "")
        return Ack(ack_header, ack_header.decision == ACCEPTED, str(reason))

    def open(self, sealed: SealedMessage) -> Opened:
        """Open a delivered message and remember its id.

        Raises:
            InvalidInput: the header is malformed.
            NotFound: the sender has no verified directory entry.
            EnvelopeRejected: it does not open (altered, forged, re-addressed)
                or it was delivered before (a replay); the ledger records it.
        """
        claimed = parse_header(sealed.header)
        sender_key = self._directory.entry(claimed.sender).encryption_key
        try:
            header, body = open_message(sealed, self._key, sender_key, me=self.agency)
        except EnvelopeRejected as exc:
            self.note(claimed.query_id, claimed.sender, "", "", f"message rejected: {exc}")
            raise
        if not self.store.remember_message(header.sender, header.message_id):
            self.note(
                header.query_id,
                header.sender,
                "",
                "",
                f"message rejected: {header.kind.value} {header.message_id} replayed",
            )
            raise EnvelopeRejected("replayed follow-up message")
        return Opened(header, loads(body))

    def acknowledge(self, opened: Opened, accepted: bool, reason: str = "") -> SealedMessage:
        """Return the sealed acknowledgement of a delivered message."""
        request = opened.header
        header = self.header(
            MessageKind.ACK,
            request.sender,
            request.query_id,
            reply_to=request.message_id,
            decision=ACCEPTED if accepted else REJECTED,
        )
        sender_key = self._directory.entry(request.sender).encryption_key
        return seal_message(header, dumps({"reason": reason}), self._key, sender_key)

    def note(self, query_id: str, counterpart: str, user: str, case_id: str, outcome: str) -> None:
        """Record one follow-up step in the ledger (metadata only)."""
        self.ledger.record_followup(
            query_id=query_id, counterpart=counterpart, user=user, case_id=case_id, outcome=outcome
        )
