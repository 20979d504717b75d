"""Notices: what the node tells one of its users, kept until read.

A small store of short messages to one user each: a standing watch's new
hits today, later a follow-up's reply. Each notice has a kind, the case it
belongs to, a reference (a watch id, a query id, a follow-up id), a short
text, when it was made and when its user first read it. ``liaison inbox``
lists them (``docs/watches.md``, "Notices"). A notice's text is written for
the agency's own user and may name the user's own row references; it is
never sent anywhere, and no identifier of a partner is ever in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from liaison.core.errors import InvalidInput

#: Most notices one listing returns (the newest).
MAX_LISTED: Final = 500
#: Longest notice text kept (a longer one is cut).
MAX_TEXT: Final = 2000


class NoticeKind(StrEnum):
    """What a notice is about."""

    #: A standing watch found hits it had not reported before.
    WATCH_HITS = "watch_hits"
    #: A watch re-run failed or a partner did not answer it (budget, refusal).
    WATCH_PROBLEM = "watch_problem"


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice to one user; ``read_at`` is None while unread."""

    notice_id: int
    recipient: str
    kind: str
    case_id: str
    reference: str
    text: str
    created_at: datetime
    read_at: datetime | None = None


class NoticeStore(Protocol):
    """Where notices live (``node.sql_notices.SqlNoticeStore``)."""

    def add(
        self,
        *,
        recipient: str,
        kind: str,
        case_id: str,
        reference: str,
        text: str,
        created_at: datetime,
    ) -> Notice:
        """Store a new, unread notice; return it with its id.

        Raises:
            StorageUnavailable: the database failed.
        """

    def for_recipient(self, recipient: str, *, unread_only: bool, limit: int) -> list[Notice]:
        """Return a user's notices, newest first, at most ``limit``.

        Raises:
            StorageUnavailable: the database failed.
        """

    def mark_read(self, notice_ids: Sequence[int], *, at: datetime) -> None:
        """Set ``read_at`` of those notices that are still unread.

        Raises:
            StorageUnavailable: the database failed.
        """

    def close(self) -> None:
        """Release connections."""


class Inbox:
    """Writes notices and reads a user's inbox (reading marks them read)."""

    def __init__(self, store: NoticeStore, clock: Callable[[], datetime]) -> None:
        """Keep notices in ``store``, timed by ``clock``."""
        self._store = store
        self._clock = clock

    def notify(
        self, recipient: str, kind: NoticeKind, *, case_id: str, reference: str, text: str
    ) -> Notice:
        """Leave a notice for ``recipient``.

        Raises:
            InvalidInput: no recipient.
            StorageUnavailable: the database failed.
        """
        if not recipient:
            raise InvalidInput("a notice needs a recipient")
        return self._store.add(
            recipient=recipient,
            kind=kind.value,
            case_id=case_id,
            reference=reference,
            text=text[:MAX_TEXT],
            created_at=self._clock(),
        )

    def read(self, recipient: str, *, unread_only: bool = False) -> list[Notice]:
        """Return the user's notices, newest first (at most :data:`MAX_LISTED`), and mark them read.

        The notices come back as they were before this reading: a notice read
        now for the first time still shows ``read_at`` None.

        Raises:
            StorageUnavailable: the database failed.
        """
        notices = self._store.for_recipient(recipient, unread_only=unread_only, limit=MAX_LISTED)
        unread = [n.notice_id for n in notices if n.read_at is None]
        if unread:
            self._store.mark_read(unread, at=self._clock())
        return notices
