"""The node store's methods over kept elements (a part of :class:`node.sql_store.SqlNodeStore`).

Split from :mod:`node.sql_store` to keep modules short: filling a key
epoch's elements in batches outside the import lock (a rotation's curve
work), and rebuilding a filter from kept elements when none is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liaison.node import sql_elements, sql_epochs, sql_queries
from liaison.node.filter_builds import FilterBuild
from liaison.node.store import FilterBuilder, StoredFilter


class KeptElements:
    """Methods of :class:`node.sql_store.SqlNodeStore` over the ``record_elements`` table."""

    _read: Callable[[], AbstractContextManager[Session]]
    _write: Callable[[], AbstractContextManager[Session]]
    _now: Callable[[], datetime]

    def fill_elements(self, name: str, build: FilterBuild, *, fresh: bool = False) -> int:
        """Compute the elements of ``build.epoch`` for every record lacking them.

        Runs in batches, each read and written in its own short transaction
        and none under the import lock, so queries and imports go on
        meanwhile; the workers encrypt one batch while the previous one is
        written. A record an import changes or deletes meanwhile is caught
        when the epoch is swapped in (:meth:`rotate_server_key` with
        ``build`` fixes stale and missing rows under the lock). With
        ``fresh``, the epoch's rows are deleted first (left by a rotation
        that died).

        Returns:
            How many records were encrypted.

        Raises:
            NotFound: no such dataset.
        """
        with self._write() as session:
            dataset_id = sql_queries.get_dataset(session, name).id
            if fresh:
                sql_elements.drop_epoch(session, dataset_id, build.epoch)
        with self._read() as session:
            total = sql_elements.count_records(session, dataset_id)
        done = 0
        # Batch k+1 is read and encrypted by the workers while batch k is written.
        previous: tuple[list[tuple[int, str]], Callable[[], list[bytes]]] | None = None
        for current in self._encrypted_batches(dataset_id, build):
            if previous is not None:
                done += self._store_filled(dataset_id, build.epoch, *previous)
            previous = current
            if build.progress is not None:
                build.progress("encrypt", done, max(total, done))
        if previous is not None:
            done += self._store_filled(dataset_id, build.epoch, *previous)
        if build.progress is not None:
            build.progress("encrypt", done, max(total, done))
        return done

    def _store_filled(
        self,
        dataset_id: int,
        epoch: int,
        batch: list[tuple[int, str]],
        blobs: Callable[[], list[bytes]],
    ) -> int:
        """Store a filled batch's elements, of records still as they were read; return its size."""
        computed = blobs()
        try:
            with self._write() as session:
                # Only records still as they were read: the swap fills the rest.
                current = sql_elements.hashes_of(session, [id_ for id_, _ in batch])
                rows = [
                    (id_, digest, blob)
                    for (id_, digest), blob in zip(batch, computed, strict=True)
                    if current.get(id_) == digest
                ]
                sql_elements.insert_elements(session, dataset_id, epoch, rows)
        except IntegrityError:
            pass  # a record deleted meanwhile (PostgreSQL): the swap fills what is missing
        return len(batch)

    def _encrypted_batches(
        self, dataset_id: int, build: FilterBuild
    ) -> Iterator[tuple[list[tuple[int, str]], Callable[[], list[bytes]]]]:
        """Yield batches of records lacking elements, each with its encryption already started."""
        after = 0
        while True:
            with self._read() as session:
                batch = sql_elements.missing(session, dataset_id, build.epoch, after=after)
                if not batch:
                    return
                keys = sql_elements.keys_of(session, [id_ for id_, _ in batch])
            after = batch[-1][0]
            yield batch, build.encrypt([keys[id_] for id_, _ in batch])

    def refresh_filter(self, name: str, builder: FilterBuilder) -> StoredFilter:
        """Build and store the current version's filter from kept elements, filling any missing.

        The path of a dataset imported before elements were kept; an import
        with a builder stores its filter itself.

        Raises:
            NotFound: no such dataset.
        """
        with self._write() as session:
            dataset = sql_queries.get_dataset(session, name, for_update=True)
            build = builder(sql_epochs.serving_state(session, dataset))
            sql_elements.drop_stale(session, dataset.id, build.epoch)
            sql_elements.fill(session, dataset.id, build)
            stored = sql_elements.build_filter(session, dataset.id, name, dataset.version, build)
            sql_elements.store_filter(session, dataset.id, stored, self._now())
            return stored
