"""What ``liaison node status`` shows: a running node's state, read when asked.

The health verdict comes from the periodic check (:mod:`liaison.wire.health`,
wired in :mod:`node.server`); datasets, agreements and the ledger head are
read from the database at each call. The same reading refreshes the
gauges of :mod:`node.metrics` after every health check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from liaison import __version__
from liaison.node import metrics
from liaison.node.agreements import Agreement, Usage
from liaison.node.datasets import Datasets
from liaison.node.ledger.chain import LedgerEntry
from liaison.node.store import DatasetInfo, KeyEpoch


class AgreementReader(Protocol):
    """The agreements and their counters (``SqlAgreementStore``)."""

    def list(self) -> list[Agreement]:
        """Every agreement, by partner."""

    def usage(self, partner: str, *, now: datetime) -> Usage:
        """What the partner spent today and this minute."""


class LedgerHead(Protocol):
    """The ledger's last entry (``SqlLedgerStore``)."""

    def last(self) -> LedgerEntry | None:
        """The entry of highest seq, or None."""


@dataclass(frozen=True, slots=True)
class Health:
    """The last health check: when, and what failed (nothing: serving)."""

    checked_at: datetime | None
    problems: tuple[str, ...]
    broker_reachable: bool


@dataclass(frozen=True, slots=True)
class AgreementUse:
    """An agreement and the keys its partner spent today."""

    agreement: Agreement
    keys_used_today: int


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """A running node's state, for its operators."""

    agency: str
    version: str
    broker: str
    health: Health
    datasets: tuple[tuple[DatasetInfo, KeyEpoch], ...]
    agreements: tuple[AgreementUse, ...]
    ledger_entries: int
    ledger_head: bytes
    started_at: datetime

    @property
    def serving(self) -> bool:
        """Whether the last health check passed."""
        return not self.health.problems


class StatusReader:
    """Reads a node's status from its stores and its health monitor."""

    def __init__(
        self,
        agency: str,
        broker: str,
        datasets: Datasets,
        agreements: AgreementReader,
        ledger: LedgerHead,
        health: Callable[[], Health],
        *,
        clock: Callable[[], datetime],
    ) -> None:
        """Read from these; ``health`` returns the last verdict."""
        self._agency = agency
        self._broker = broker
        self._datasets = datasets
        self._agreements = agreements
        self._ledger = ledger
        self._health = health
        self._clock = clock
        self._started_at = clock()

    def status(self) -> NodeStatus:
        """Return the node's state now (one read of each store)."""
        now = self._clock()
        infos = self._datasets.list()
        datasets = tuple((info, self._datasets.key_epochs(info.name)[-1]) for info in infos)
        agreements = tuple(
            AgreementUse(a, self._agreements.usage(a.partner, now=now).keys_today)
            for a in self._agreements.list()
        )
        last = self._ledger.last()
        return NodeStatus(
            agency=self._agency,
            version=__version__,
            broker=self._broker,
            health=self._health(),
            datasets=datasets,
            agreements=agreements,
            ledger_entries=0 if last is None else last.seq + 1,
            ledger_head=b"" if last is None else last.entry_hash,
            started_at=self._started_at,
        )

    def refresh_metrics(self) -> None:
        """Set the gauges of datasets, budgets, ledger and health from a fresh read."""
        status = self.status()
        for gauge in metrics.DATASET_GAUGES:
            gauge.clear()  # a removed dataset leaves no series behind
        for info, epoch in status.datasets:
            metrics.DATASET_RECORDS.labels(info.name).set(info.records)
            metrics.DATASET_KEYS.labels(info.name).set(info.keys)
            metrics.DATASET_VERSION.labels(info.name).set(info.version)
            metrics.DATASET_KEY_EPOCH.labels(info.name).set(epoch.epoch)
            metrics.DATASET_UPDATED.labels(info.name).set(info.updated_at.timestamp())
        for use in status.agreements:
            metrics.BUDGET_KEYS_USED.labels(use.agreement.partner).set(use.keys_used_today)
            metrics.BUDGET_KEYS_LIMIT.labels(use.agreement.partner).set(
                use.agreement.max_keys_per_day
            )
        metrics.LEDGER_ENTRIES.set(status.ledger_entries)
        metrics.HEALTHY.set(status.serving)
