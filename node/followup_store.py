"""Where a node keeps its follow-ups, hit rows and hit notices (``node.sql_followups``).

Also the few reads of the node's other tables a follow-up needs: which
queries this node answered for a requester (its ledger), which current
records of a dataset hold some match keys, and a record with its details.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from liaison.core.records import Record
from liaison.node.followup_model import Followup, HitNotice, Side, StoredHit


class FollowupStore(Protocol):
    """Follow-up tables of the node's database. Every method may raise ``StorageUnavailable``."""

    def remember_hits(self, hits: Sequence[StoredHit]) -> None:
        """Keep the hit rows of a query this node sent."""

    def hits(self, query_id: str, partner: str, row: int) -> list[StoredHit]:
        """Return the kept hits of one row of one query at one partner (one per dataset)."""

    def add(self, followup: Followup) -> None:
        """Store a new follow-up.

        Raises:
            InvalidInput: one with this id and side exists already.
        """

    def get(self, followup_id: str, side: Side) -> Followup:
        """Return a follow-up.

        Raises:
            NotFound: none with this id on this side.
        """

    def by_side(self, side: Side) -> list[Followup]:
        """Return the follow-ups of one side, newest first (a bounded number)."""

    def update(self, followup: Followup) -> None:
        """Replace a stored follow-up (same id and side)."""

    def add_notice(self, notice: HitNotice) -> None:
        """Store a received hit notice."""

    def notices(self) -> list[HitNotice]:
        """Return the received hit notices, newest first (a bounded number)."""

    def remember_message(self, sender: str, message_id: str) -> bool:
        """Remember a message id from ``sender``; False if it was seen before (a replay)."""

    def served(self, query_id: str, requester: str) -> tuple[str, list[str]]:
        """Return the case id and the outcomes of this node's answers to ``requester``'s query."""

    def records_with_keys(self, dataset: str, keys: Sequence[str]) -> list[str]:
        """Return the refs of the dataset's current records that hold any of ``keys``."""

    def record(self, dataset: str, ref: str) -> Record | None:
        """Return a current record with its details, or None if it is gone."""
