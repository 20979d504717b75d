"""Step two on one node: the follow-ups it asks and answers, as one service.

The local face calls :class:`Followups` for investigators and officers, the
federation face for messages the broker delivers. Listing either box flags
each queued follow-up past its deadline once: in the ledger, and with an
``overdue`` message to the other side (``docs/followups.md``, "Deadlines").
"""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType
from typing import Final

from liaison.core.errors import InvalidInput, NotFound, PermissionDenied
from liaison.crypto.followup_seal import MessageKind, SealedMessage
from liaison.node.agreements import AgreementStore
from liaison.node.followup_inbox import Inbox, flag_overdue, receive_overdue
from liaison.node.followup_messages import Messenger
from liaison.node.followup_model import Followup, HitNotice, ReleasedRecord, Side
from liaison.node.followup_outbox import Outbox
from liaison.node.model import MatchRequest, MatchResult
from liaison.node.users import LocalRole, User

#: Which role reads which box: officers the received follow-ups, investigators the sent ones.
BOX_ROLE: Final = MappingProxyType(
    {Side.RECEIVED: LocalRole.OFFICER, Side.SENT: LocalRole.INVESTIGATOR}
)


def box_for(user: User) -> Side:
    """The box ``user`` reads.

    Raises:
        PermissionDenied: the role reads no box.
    """
    for side, role in BOX_ROLE.items():
        if user.role is role:
            return side
    raise PermissionDenied(f"role {user.role} reads no follow-up box")


def require_box(user: User, side: Side) -> None:
    """Refuse a user the box of another role.

    Raises:
        PermissionDenied: ``side`` is not the user's box.
    """
    if user.role is not BOX_ROLE[side]:
        raise PermissionDenied(f"the {side.value} box is read by the {BOX_ROLE[side].value} role")


class Followups:
    """Requests, replies, the officer's queue and hit notices of one node."""

    def __init__(self, messenger: Messenger, agreements: AgreementStore) -> None:
        """Work through ``messenger``; hit notices as ``agreements`` say."""
        self._m = messenger
        self.outbox = Outbox(messenger, agreements)
        self.inbox = Inbox(messenger, agreements)

    def after_match(self, request: MatchRequest, result: MatchResult) -> None:
        """Keep a reveal match's hit rows and send the agreed hit notices."""
        if result.count_only:
            return
        self.outbox.remember(request, result)
        self.outbox.send_notices(request, result)

    def request(
        self,
        user: str,
        query_id: str,
        partner: str,
        dataset: str,
        row: int,
        message: str,
        deadline: timedelta | None = None,
    ) -> Followup:
        """Ask a partner about one hit row (see :meth:`Outbox.request`)."""
        return self.outbox.request(user, query_id, partner, dataset, row, message, deadline)

    def deliver(self, sealed: SealedMessage) -> SealedMessage:
        """Open a delivered message, act on it, and return the sealed acknowledgement.

        Raises:
            InvalidInput: a malformed header or body, or an acknowledgement.
            NotFound: the sender has no verified directory entry.
            EnvelopeRejected: it does not open, or it is a replay.
        """
        opened = self._m.open(sealed)
        kind = opened.header.kind
        if kind is MessageKind.REQUEST:
            accepted, reason = self.inbox.receive_request(opened)
        elif kind is MessageKind.REPLY:
            accepted, reason = self.outbox.receive_reply(opened)
        elif kind is MessageKind.NOTICE:
            accepted, reason = self.inbox.receive_notice(opened)
        elif kind is MessageKind.OVERDUE:
            accepted, reason = receive_overdue(self._m, opened)
        else:
            raise InvalidInput("an acknowledgement is not delivered on its own")
        return self._m.acknowledge(opened, accepted, reason)

    def box(self, side: Side) -> list[Followup]:
        """Return one box, newest first, flagging what became overdue."""
        now = self._m.clock()
        return [
            flag_overdue(self._m, f, now) if f.overdue(now) and not f.overdue_flagged else f
            for f in self._m.store.by_side(side)
        ]

    def show(self, followup_id: str) -> tuple[Followup, tuple[ReleasedRecord, ...]]:
        """Return a follow-up of either box and, if received, its matched records as they are now.

        Raises:
            NotFound: no follow-up with this id.
        """
        for side in (Side.RECEIVED, Side.SENT):
            try:
                followup = self._m.store.get(followup_id, side)
            except NotFound:
                continue
            now = self._m.clock()
            if followup.overdue(now) and not followup.overdue_flagged:
                followup = flag_overdue(self._m, followup, now)
            return followup, self.inbox.records(followup) if side is Side.RECEIVED else ()
        raise NotFound("no such follow-up")

    def notices(self) -> list[HitNotice]:
        """Return the received hit notices, newest first."""
        return self._m.store.notices()
