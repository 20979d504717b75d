"""Standing watches: a case's list matched again whenever a partner's data changes.

An investigator registers a watch (``liaison watch add``): a case, purpose,
legal basis, the rows of a query file, the partners to watch (none: every
partner) and an optional end. The node runs the match at once, then polls
its partners' dataset content versions (:mod:`core.versions`) and re-runs
the match for each live watch whose partners changed, asking only those
partners. Each run is an ordinary audited, signed and budgeted query with the
watch's justification and its owner as the investigator; a hit already
reported for the watch is never reported again (``docs/watches.md``).

This module holds the types and the store's protocol; :mod:`node.watcher`
runs watches and :mod:`node.sql_watches` stores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record

#: Most live watches one node keeps (each costs a poll share and re-runs).
MAX_LIVE_WATCHES: Final = 1000


class WatchState(StrEnum):
    """Where a watch stands: live until removed or past its end."""

    LIVE = "live"
    EXPIRED = "expired"
    REMOVED = "removed"


#: (agency, dataset) -> the content version a watch last matched against.
Seen = Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Watch:
    """A standing watch and where it stands.

    ``justification.investigator_id`` is the owner: the investigator who
    registered it, named as the author of every run. ``partners`` empty
    means every partner of the federation at each poll. ``seen`` holds, per
    partner dataset, the content version the watch last matched against;
    ``retry_after`` holds back a watch whose last run failed somewhere.
    ``records`` is empty when the watch was read without its rows (lists
    and polls: :meth:`WatchStore.get` reads them); ``row_count`` is always set.
    """

    watch_id: str
    justification: Justification
    partners: tuple[str, ...]
    records: tuple[Record, ...]
    key_count: int
    created_at: datetime
    until: datetime | None = None
    state: WatchState = WatchState.LIVE
    runs: int = 0
    hits: int = 0
    last_run_at: datetime | None = None
    last_query_id: str = ""
    last_outcome: str = ""
    seen: Seen = field(default_factory=dict)
    retry_after: datetime | None = None
    ended_at: datetime | None = None
    ended_by: str = ""
    row_count: int = 0

    def __post_init__(self) -> None:
        """Count the rows of a watch built with them."""
        if self.records and not self.row_count:
            object.__setattr__(self, "row_count", len(self.records))

    @property
    def owner(self) -> str:
        """The investigator who registered the watch."""
        return self.justification.investigator_id

    def expired(self, now: datetime) -> bool:
        """Whether the watch's end has come at ``now``."""
        return self.until is not None and now >= self.until


@dataclass(frozen=True, slots=True)
class WatchHit:
    """A hit one of a watch's runs found: a row of the watch at a partner dataset."""

    agency: str
    dataset: str
    row: int
    ref: str
    keys: tuple[str, ...]
    strength: KeyStrength
    query_id: str
    found_at: datetime


@dataclass(frozen=True, slots=True)
class RunRecord:
    """What one run of a watch changes in its state."""

    query_id: str
    outcome: str
    run_at: datetime
    seen: Seen
    retry_after: datetime | None
    hits: tuple[WatchHit, ...] = ()


class WatchStore(Protocol):
    """Where watches and their reported hits live (``node.sql_watches.SqlWatchStore``)."""

    def add(self, watch: Watch) -> None:
        """Store a new watch.

        Raises:
            QuotaExceeded: the node holds :data:`MAX_LIVE_WATCHES` live watches.
            StorageUnavailable: the database failed.
        """

    def get(self, watch_id: str) -> Watch | None:
        """Return a watch with its rows, or None."""

    def listed(self, owner: str | None = None) -> list[Watch]:
        """Return every watch (of ``owner`` if given), oldest first, without rows."""

    def live(self) -> list[Watch]:
        """Return the live watches, oldest first, without rows (memory stays bounded)."""

    def record_run(self, watch_id: str, run: RunRecord) -> tuple[WatchHit, ...]:
        """Store a run of a live watch in one transaction; return the hits new to it.

        Of ``run.hits``, those already reported for the watch (same partner,
        dataset and row) are dropped; the rest are stored and counted. A
        watch no longer live records nothing (and gets no hit).

        Raises:
            StorageUnavailable: the database failed.
        """

    def end(self, watch_id: str, state: WatchState, *, at: datetime, by: str) -> bool:
        """Move a live watch to ``state``; return False if it was not live.

        Raises:
            StorageUnavailable: the database failed.
        """

    def hits(self, watch_id: str) -> list[WatchHit]:
        """Return the hits reported for a watch, in the order found."""

    def close(self) -> None:
        """Release connections."""


def changed_partners(
    watch: Watch, polled: Mapping[str, Mapping[str, int]], partners: Sequence[str]
) -> list[str]:
    """Return the partners of ``partners`` with a dataset the watch did not match at its version.

    ``polled`` maps each partner that answered the poll to its datasets'
    content versions; a partner missing from it is left alone (it did not
    answer, so nothing is known to have changed).
    """
    return [
        agency
        for agency in partners
        if agency in polled
        and any(watch.seen.get((agency, d)) != v for d, v in polled[agency].items())
    ]
