"""What a node keeps: datasets, their records and match keys, filters, seen queries.

This is the domain side of storage: frozen dataclasses, the :class:`NodeStore`
protocol every store implements, and the pure helpers all implementations
share (name rules, the content hash that detects changed records, the mapping
between an :class:`~crypto.record.Identity` and its identifier rows). It
imports neither SQLAlchemy nor gRPC; :mod:`node.sql_store` is the
implementation, and ``tests/unit/node/test_store_contract.py`` is the contract
every implementation must pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Protocol

from liaison.core.errors import InvalidInput
from liaison.core.records import MatchKey, Record
from liaison.node.filter_builds import FilterBuild

#: Dataset names: they travel in query envelopes and appear in logs, so keep
#: them short and free of anything a shell, a URL or a log parser would mangle.
DATASET_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: Longest accepted record reference (a unique index covers it).
MAX_REF_LENGTH: Final = 256
#: How many filter versions a store keeps per dataset: the current one and its
#: predecessor, which requesters that fetched it just before an import still use.
FILTERS_KEPT: Final = 2


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """A dataset's name and current size.

    ``keys`` counts distinct match-key strings (what a filter holds), not
    key rows. ``version`` starts at 0 and grows by one with every import that
    changed anything; ``updated_at`` (UTC) is when that last happened.
    """

    name: str
    records: int
    keys: int
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import did; ``version`` is the dataset's version afterwards."""

    dataset: str
    inserted: int
    updated: int
    unchanged: int
    removed: int
    version: int


@dataclass(frozen=True, slots=True)
class KeySnapshot:
    """A dataset's distinct match-key strings, sorted, and the version they belong to."""

    dataset: str
    version: int
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredFilter:
    """A serialised PSI filter (``ServerSetup``) built from one dataset version."""

    dataset: str
    version: int
    key_count: int
    setup: bytes


@dataclass(frozen=True, slots=True)
class KeyEpoch:
    """One PSI server key's life in a dataset (``docs/epochs.md``).

    Epoch 0 is the key the dataset was created with (``started_at`` is its
    creation time); each rotation starts the next. ``version`` is the dataset
    version the epoch began at: a rotation increments the version, so no
    filter version ever spans two keys. ``reason`` says what started it
    (``created``, ``schedule``, ``change``, ``operator``).
    """

    dataset: str
    epoch: int
    version: int
    started_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ServingState:
    """What answering a query needs, read at once: the version, its key epoch and key."""

    dataset: str
    version: int
    epoch: KeyEpoch
    sealed_server_key: bytes


#: Given the serving state read under the dataset's write lock, the build
#: for its key epoch (the caller unseals that epoch's key).
FilterBuilder = Callable[["ServingState"], FilterBuild]


class NodeStore(Protocol):
    """Everything a node persists. Implementations: :class:`node.sql_store.SqlNodeStore`.

    Dataset names follow :data:`DATASET_NAME_PATTERN`. Every method that takes
    a dataset name raises :class:`~crypto.errors.NotFound` if it does not exist.
    Datetimes in and out are timezone-aware; they come back in UTC.
    """

    def create_dataset(self, name: str, sealed_server_key: bytes) -> DatasetInfo:
        """Create an empty dataset (version 0) holding the given sealed PSI server key.

        Raises:
            InvalidInput: the name is invalid or taken, or the key is empty.
        """
        ...

    def get_dataset(self, name: str) -> DatasetInfo:
        """Return the dataset's current size and version.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def list_datasets(self) -> list[DatasetInfo]:
        """Return every dataset, ordered by name."""
        ...

    def dataset_names(self) -> list[str]:
        """Return the names of every dataset, sorted, without counting anything.

        The per-query path of a query that names no dataset: cheap however
        large the datasets.
        """
        ...

    def delete_dataset(self, name: str) -> int:
        """Delete a dataset with all derived from it in one transaction; return its records.

        Raises NotFound when there is no such dataset.
        """
        ...

    def dataset_version(self, name: str) -> int:
        """Return the dataset's current version, without counting anything.

        The per-query path: cheap however large the dataset.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def sealed_server_key(self, name: str) -> bytes:
        """Return the dataset's PSI server key exactly as sealed by the caller.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def import_records(
        self,
        name: str,
        records: Iterable[Record],
        derive: Callable[[Record], Sequence[MatchKey]],
        *,
        replace: bool,
        key_spec: str,
        progress: Callable[[int], None] | None = None,
        builder: FilterBuilder | None = None,
    ) -> ImportSummary:
        """Insert or update records by ``ref`` in one transaction: all rows or none.

        A record whose content (or ``key_spec``) changed gets its identifiers
        and keys replaced; an unchanged one is left alone and ``derive`` is not
        called for it. With ``replace``, records absent from ``records``
        are deleted, so they stop matching as soon as the import commits. The
        version grows by one if anything was inserted, updated or removed.

        Args:
            name: the dataset.
            records: the records; may be a generator (read once).
            derive: the key spec, turning an record into its match keys.
            replace: delete the dataset's records that are not in ``records``.
            key_spec: the key-spec version ``derive`` implements, stored with each key.
            progress: called after each batch of at most 1,000 input rows with
                the number processed so far (the last call gives the total).
            builder: called under the dataset's lock with its serving state;
                the build it returns encrypts the new and changed records'
                keys (curve work for those only), and the new version's
                filter is built from kept elements and stored in the same
                transaction, so readers never see a version without its filter.

        Raises:
            NotFound: no such dataset.
            InvalidInput: an empty, overlong or repeated ``ref`` (the message
                gives the row number), or an empty ``key_spec``.
            Exception: whatever ``derive`` or ``progress`` raise, unchanged,
                after rolling everything back.
        """
        ...

    def get_record(self, name: str, ref: str) -> Record:
        """Return a stored record as imported.

        Raises:
            NotFound: no such dataset or no record with that ``ref``.
        """
        ...

    def key_snapshot(self, name: str) -> KeySnapshot:
        """Return the dataset's distinct key strings and the version they were read at.

        Use this to build a filter: the version and the keys come from one
        consistent read, so a concurrent import cannot mislabel the filter.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def key_values(self, name: str) -> list[str]:
        """Return the dataset's distinct key strings, sorted.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def key_count(self, name: str) -> int:
        """Return how many distinct key strings the dataset holds.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def get_filter(self, name: str, version: int) -> StoredFilter | None:
        """Return the stored filter of that dataset version, or None.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def put_filter(self, stored: StoredFilter) -> None:
        """Store a filter and drop all but the newest :data:`FILTERS_KEPT` versions.

        Idempotent: if a filter of that version exists, it is kept as is.

        Raises:
            NotFound: no such dataset.
            InvalidInput: the version is negative or newer than the dataset's.
        """
        ...

    def serving_state(self, name: str) -> ServingState:
        """Return the dataset's version, current key epoch and sealed key from one read.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def key_epochs(self, name: str) -> list[KeyEpoch]:
        """Return the dataset's key epochs, oldest first (epoch 0 included).

        Raises:
            NotFound: no such dataset.
        """
        ...

    def rotate_server_key(
        self,
        name: str,
        sealed_server_key: bytes,
        *,
        reason: str,
        now: datetime,
        if_epoch: int | None = None,
        new_filter: StoredFilter | None = None,
        build: FilterBuild | None = None,
    ) -> KeyEpoch | None:
        """Replace the dataset's server key, starting a new key epoch, in one transaction.

        With ``build`` (instead of ``new_filter``): the new epoch's elements,
        filled in beforehand by :meth:`fill_elements`, are made whole under
        the lock (stale or missing rows recomputed), the new version's filter
        is built from them, and the old epoch's elements are deleted.

        The old sealed key is overwritten (not kept), the version grows by
        one and every stored filter (built under the old key) is deleted.
        With ``if_epoch``, nothing happens unless that epoch is still the
        current one (two processes finding a rotation due rotate once).
        With ``new_filter``, the filter of the new version built beforehand
        under the new key: nothing happens unless its version is the
        dataset's current version plus one (no import committed since its
        keys were read), and it is stored in the same transaction, so the
        new epoch is never without its filter.

        Returns:
            The new epoch, or None if ``if_epoch`` was no longer current or
            ``new_filter`` was built from keys that are no longer current.

        Raises:
            NotFound: no such dataset.
            InvalidInput: empty key, empty or overlong reason, or a naive ``now``.
        """
        ...

    def fill_elements(self, name: str, build: FilterBuild, *, fresh: bool = False) -> int:
        """Compute ``build.epoch``'s elements of every record lacking them, in short batches.

        Holds no lock for long: queries and imports go on meanwhile. With
        ``fresh``, that epoch's rows are deleted first. Returns how many
        records were encrypted.

        Raises:
            NotFound: no such dataset.
        """
        ...

    def refresh_filter(self, name: str, builder: FilterBuilder) -> StoredFilter:
        """Build and store the current version's filter from kept elements (filling missing ones).

        Raises:
            NotFound: no such dataset.
        """
        ...

    def claim_rotation(self, name: str, token: str, *, now: datetime, until: datetime) -> bool:
        """Claim the dataset's next rotation for ``token``; False if another claim is live.

        At most one claim per dataset exists, across processes; a claim
        whose ``until`` has passed at ``now`` is dropped first (its holder
        died or overran), so a rotation is never blocked for good.

        Raises:
            NotFound: no such dataset.
            InvalidInput: an empty or overlong (over 64 characters) token, or a naive time.
        """
        ...

    def release_rotation(self, name: str, token: str) -> None:
        """Drop the dataset's rotation claim if it is still ``token``'s (else do nothing).

        Raises:
            NotFound: no such dataset.
        """
        ...

    def remember_query(
        self, scope: str, query_id: str, expires_at: datetime, *, now: datetime
    ) -> bool:
        """Record a query id; return False if it was already recorded (a replay).

        Entries expired at ``now`` are pruned first, so the caller must refuse
        expired queries itself: the guard only covers their validity window.

        Raises:
            InvalidInput: an empty scope or id, or a naive datetime.
        """
        ...

    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        ...


def check_dataset_name(name: str) -> None:
    """Check a dataset name against :data:`DATASET_NAME_PATTERN`.

    Raises:
        InvalidInput: the name does not match (the message does not echo it).
    """
    if DATASET_NAME_PATTERN.fullmatch(name) is None:
        raise InvalidInput(
            "dataset name must be 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )


def check_aware(value: datetime, what: str) -> datetime:
    """Return ``value`` in UTC.

    Raises:
        InvalidInput: ``value`` is naive (its zone would be a guess).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{what} must be timezone-aware")
    return value.astimezone(UTC)
