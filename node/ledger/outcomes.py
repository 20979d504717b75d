"""Outcomes of a sent query that say where it stands, not what it found.

The requester records its intent before it calls the broker (a ``sent``
entry with outcome :data:`SUBMITTED`), then the completion: the per-partner
summary, ``refused by the broker: …``, or, when the broker failed before
answering, :data:`LOST_PREFIX` and why. A query whose completion is missing
or lost is what an interrupted fan-out leaves behind, and the auditor
reports it as such (``docs/audit.md``, "Intent before submission").
"""

from __future__ import annotations

from typing import Final

from liaison.node.ledger.chain import Direction, LedgerEntry

#: The intent entry, written before the broker sees the query.
SUBMITTED: Final = "submitted"
#: Start of the completion of a query whose answers never reached the requester.
LOST_PREFIX: Final = "lost: "


def is_intent(entry: LedgerEntry) -> bool:
    """Whether ``entry`` is a requester's intent entry."""
    return entry.direction is Direction.SENT and entry.outcome == SUBMITTED


def is_lost(entry: LedgerEntry) -> bool:
    """Whether ``entry`` records a sent query whose result never arrived."""
    return entry.direction is Direction.SENT and entry.outcome.startswith(LOST_PREFIX)
