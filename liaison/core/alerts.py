"""Fishing alerts: a query or submission refused because a budget or a rate ran out.

An :class:`Alert` says which limit fired, what it allows, what was already
used in its window and what the refused request asked for, so that the
broker can log it as a ``fishing_alert`` entry without reading any free text
(``docs/audit.md``, "Alerts"). Metadata only: counts, never a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

#: The ``partner`` of an alert the broker's own throttle raised.
BROKER: Final = "broker"


class AlertLimit(StrEnum):
    """Which limit fired."""

    DAILY_KEY_BUDGET = "daily_key_budget"  # keys per UTC day, a partner's agreement
    PARTNER_RATE = "partner_rate"  # queries per minute, a partner's agreement
    BROKER_IN_FLIGHT = "broker_in_flight"  # queries at once, the broker's admission
    BROKER_RATE = "broker_rate"  # queries per minute, the broker's admission

    @property
    def at_broker(self) -> bool:
        """Whether the broker (not a partner) enforces this limit."""
        return self in (AlertLimit.BROKER_IN_FLIGHT, AlertLimit.BROKER_RATE)


@dataclass(frozen=True, slots=True)
class Alert:
    """One refusal by a limit: ``used`` + ``asked`` would have passed ``allowed``.

    ``asked`` is the refused request's own amount: its keys against a daily
    key budget, one query against a rate or an in-flight limit. ``used`` is
    what the window already holds (keys spent today, queries this minute or
    in flight). Our own code builds alerts; the codec bounds what a
    partner sends, and the audit entry checks every count again.
    """

    limit: AlertLimit
    allowed: int
    used: int
    asked: int
