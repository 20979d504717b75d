"""The local face's directory and follow-up methods: decode, authorise by role, delegate, encode.

:class:`~node.servicer.NodeLocalServicer` forwards its step-two methods
here (one servicer per service, this module keeps it short). The interceptor
has already checked the method's roles (``PERMISSIONS``); the box a caller
reads is checked here: officers read the inbox (received), investigators
the sent box.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from liaison.core.errors import InvalidInput, NotFound
from liaison.node.followup_codec import followup_to_proto, listing_to_proto, notice_to_proto
from liaison.node.followup_model import Side
from liaison.node.followups import Followups, box_for, require_box
from liaison.node.partner_directory import PartnerDirectory
from liaison.node.users import User
from liaison.v1 import node_pb2

_BOXES = {"inbox": Side.RECEIVED, "sent": Side.SENT}


class FollowupMethods:
    """The step-two calls of the local face."""

    def __init__(
        self, followups: Followups, directory: PartnerDirectory, clock: Callable[[], datetime]
    ) -> None:
        """Serve ``followups`` and ``directory``."""
        self.followups = followups
        self._directory = directory
        self._clock = clock

    @property
    def directory(self) -> PartnerDirectory:
        """The verified directory these calls read."""
        return self._directory

    def list_directory(self, agency: str) -> node_pb2.ListDirectoryReply:
        """List the verified entries (of one agency, if named)."""
        listings = [x for x in self._directory.listings() if agency in ("", x.agency)]
        return node_pb2.ListDirectoryReply(entries=[listing_to_proto(x) for x in listings])

    def request(self, user: str, request: node_pb2.RequestFollowupRequest) -> node_pb2.FollowupView:
        """Ask a partner about one hit row."""
        if request.deadline_s < 0:
            raise InvalidInput("a deadline is positive")
        deadline = timedelta(seconds=request.deadline_s) if request.deadline_s else None
        followup = self.followups.request(
            user,
            request.query_id,
            request.partner,
            request.dataset,
            request.row,
            request.message,
            deadline,
        )
        return followup_to_proto(followup, self._clock())

    def box(self, user: User, name: str) -> node_pb2.ListFollowupsReply:
        """List the caller's box."""
        side = _BOXES.get(name)
        if side is None:
            raise InvalidInput("a box is 'inbox' or 'sent'")
        require_box(user, side)
        now = self._clock()
        return node_pb2.ListFollowupsReply(
            followups=[followup_to_proto(f, now) for f in self.followups.box(side)]
        )

    def show(self, user: User, followup_id: str) -> node_pb2.FollowupView:
        """Show one follow-up of the caller's box."""
        followup, records = self.followups.show(followup_id)
        if followup.side is not box_for(user):
            raise NotFound("no such follow-up")
        return followup_to_proto(followup, self._clock(), records)

    def answer(
        self, officer: str, request: node_pb2.AnswerFollowupRequest
    ) -> node_pb2.FollowupView:
        """Approve or refuse a received follow-up."""
        answered = self.followups.inbox.answer(
            officer,
            request.id,
            approve=request.approve,
            fields=tuple(request.fields),
            handling=request.handling,
            note=request.note,
            reason=request.reason,
        )
        return followup_to_proto(answered, self._clock())

    def notices(self) -> node_pb2.ListHitNoticesReply:
        """List the received hit notices."""
        return node_pb2.ListHitNoticesReply(
            notices=[notice_to_proto(n) for n in self.followups.notices()]
        )
