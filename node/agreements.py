"""Bilateral agreements: what one partner may ask of this node, and how much.

Deny by default: a partner without an agreement is refused. The operator
adds, lists and removes agreements with ``liaison node agreement``; they
live in the node's database (:class:`AgreementStore`, implemented by
:mod:`node.sql_agreements`), which the responder reads at every query, so a
change applies to the next query without a restart.

Each agreement bounds fishing: a largest query (``max_keys_per_query``), a
daily key budget per partner (``max_keys_per_day``, UTC days) and a rate
(``queries_per_minute``). :meth:`AgreementStore.spend` checks and counts
both in one transaction, so concurrent queries cannot overspend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import InvalidInput
from liaison.core.query import MatchMode

__all__ = [
    "MAX_LIST_ITEMS",
    "WILDCARD",
    "Agreement",
    "AgreementMode",
    "AgreementStore",
    "Usage",
]

#: In ``datasets`` or ``purposes``: every dataset, or every purpose (the
#: federation's purpose list still applies). Never a partner.
WILDCARD: Final = "*"
#: Most datasets or purposes one agreement names.
MAX_LIST_ITEMS: Final = 100
_MAX_ITEM_LENGTH: Final = 128


class AgreementMode(StrEnum):
    """What an agreement lets the partner learn."""

    #: Which of its keys we hold (reveal), or only how many (cardinality).
    HITS = "hits"
    #: Only how many of its keys we hold: a reveal query is refused.
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Agreement:
    """What one partner agency may ask of us.

    Raises:
        InvalidInput: a partner that is not an agency code, an empty or
            oversized list, a limit below 1 or a naive expiry.
    """

    partner: str
    datasets: tuple[str, ...]
    purposes: tuple[str, ...]
    mode: AgreementMode = AgreementMode.HITS
    max_keys_per_query: int = 1_000
    max_keys_per_day: int = 10_000
    queries_per_minute: int = 10
    #: End of the agreement (aware), or None for no end.
    expires_at: datetime | None = None
    #: Hit notices both ways with this partner (docs/followups.md, "Hit
    #: notices"): this node tells the partner of its hits on the partner's
    #: records, and accepts the partner's notices of hits on ours. Off by default.
    hit_notices: bool = False

    def __post_init__(self) -> None:
        """Refuse an agreement that could not be stored or enforced as written."""
        if not NAME_PATTERN.fullmatch(self.partner):
            raise InvalidInput("agreement partner must be an agency code")
        _check_list(self.datasets, "datasets")
        _check_list(self.purposes, "purposes")
        if not isinstance(self.mode, AgreementMode):
            raise InvalidInput("agreement mode must be hits or count")
        for name in ("max_keys_per_query", "max_keys_per_day", "queries_per_minute"):
            value = getattr(self, name)
            if type(value) is not int or not 1 <= value <= 2**31 - 1:
                raise InvalidInput(f"agreement {name} must be an integer from 1 to 2^31-1")
        if self.expires_at is not None and self.expires_at.utcoffset() is None:
            raise InvalidInput("agreement expiry must be timezone-aware")
        if not isinstance(self.hit_notices, bool):
            raise InvalidInput("agreement hit_notices must be true or false")

    def allows_dataset(self, dataset: str) -> bool:
        """Return whether the agreement covers ``dataset``."""
        return WILDCARD in self.datasets or dataset in self.datasets

    def allows_purpose(self, purpose: str) -> bool:
        """Return whether the agreement covers ``purpose``."""
        return WILDCARD in self.purposes or purpose in self.purposes

    def allows_mode(self, mode: MatchMode) -> bool:
        """Return whether a query in ``mode`` may be answered (counts only: cardinality)."""
        return self.mode is AgreementMode.HITS or mode is MatchMode.CARDINALITY

    def expired(self, now: datetime) -> bool:
        """Return whether the agreement has ended at ``now``."""
        return self.expires_at is not None and now >= self.expires_at


def _check_list(values: tuple[str, ...], name: str) -> None:
    if not isinstance(values, tuple) or not values:
        raise InvalidInput(f"agreement {name}: name at least one (or '*' for all)")
    if len(values) > MAX_LIST_ITEMS:
        raise InvalidInput(f"agreement {name}: at most {MAX_LIST_ITEMS}")
    for value in values:
        if not isinstance(value, str) or not value.strip() or len(value) > _MAX_ITEM_LENGTH:
            raise InvalidInput(f"agreement {name}: each must be 1-{_MAX_ITEM_LENGTH} characters")
        if not value.isprintable() or "," in value:
            raise InvalidInput(f"agreement {name}: control characters and commas are refused")


@dataclass(frozen=True, slots=True)
class Usage:
    """What a partner has spent: keys this UTC day, queries this minute."""

    keys_today: int
    queries_this_minute: int


class AgreementStore(Protocol):
    """Where agreements and their counters live. Implementation: ``SqlAgreementStore``."""

    def put(self, agreement: Agreement) -> None:
        """Add the agreement with its partner, or replace the existing one.

        Raises:
            StorageUnavailable: the database failed.
        """
        ...

    def get(self, partner: str) -> Agreement | None:
        """Return the agreement with ``partner``, or None.

        Raises:
            StorageUnavailable: the database failed.
        """
        ...

    def list(self) -> list[Agreement]:
        """Return every agreement, by partner.

        Raises:
            StorageUnavailable: the database failed.
        """
        ...

    def remove(self, partner: str) -> bool:
        """Remove the agreement with ``partner`` (and its counters); return whether one existed.

        Raises:
            StorageUnavailable: the database failed.
        """
        ...

    def spend(self, agreement: Agreement, keys: int, *, now: datetime) -> Usage:
        """Count one query of ``keys`` keys against the agreement's limits, atomically.

        The check and the increment happen in one transaction: of concurrent
        queries that together exceed a limit, only those that fit are counted.
        A refused query counts nothing.

        Raises:
            BudgetExhausted: the daily key budget or the rate would be exceeded.
            InvalidInput: ``keys`` below 1 or a naive ``now``.
            StorageUnavailable: the database failed.
        """
        ...

    def usage(self, partner: str, *, now: datetime) -> Usage:
        """Return what ``partner`` has spent at ``now``.

        Raises:
            StorageUnavailable: the database failed.
        """
        ...

    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        ...
