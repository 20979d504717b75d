"""The node store's import (a part of :class:`node.sql_store.SqlNodeStore`).

Split from :mod:`node.sql_store` to keep modules short. An import claims the
dataset's imports (one at a time, across processes), stages its batches in
short transactions (:mod:`node.sql_import`), then applies them, builds the
new version's filter and increments the version in one transaction under
the dataset's row lock (:mod:`node.sql_staging`).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liaison.core.errors import InvalidInput, StorageUnavailable
from liaison.core.records import MatchKey, Record
from liaison.node import sql_elements, sql_epochs, sql_queries, sql_staging
from liaison.node.filter_builds import FilterBuild
from liaison.node.sql_import import StagedImport, stage_import
from liaison.node.sql_tables import FilterRow
from liaison.node.store import FilterBuilder, ImportSummary

logger = logging.getLogger(__name__)

#: How long an import's claim lives without a batch renewing it; past it the
#: importer is presumed dead and another import takes over (dropping its rows).
IMPORT_LEASE: Final = timedelta(minutes=10)
#: How long an import waits for another import into the same dataset.
IMPORT_WAIT_S: Final = 600.0
_POLL_S: Final = 0.1


class ImportMethods:
    """:meth:`import_records` of :class:`node.sql_store.SqlNodeStore`."""

    _write: Callable[[], AbstractContextManager[Session]]
    _now: Callable[[], datetime]

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
        """Insert or update records by ``ref``, all rows or none, in one switch of version.

        See :meth:`node.store.NodeStore.import_records` for the contract.
        Batches are staged in short transactions (no lock held while keys
        are derived and encrypted); the last transaction applies them and,
        with ``builder``, stores the new version's filter built from kept
        elements.

        Raises:
            NotFound: no such dataset.
            InvalidInput: an empty, overlong or repeated ``ref``, or an empty ``key_spec``.
            StorageUnavailable: another import into the dataset ran for too long.
            Exception: whatever ``derive`` or ``progress`` raise, nothing applied.
        """
        if not key_spec:
            raise InvalidInput("key_spec is empty")
        with self._write() as session:
            dataset_id = sql_queries.get_dataset(session, name).id
        token = secrets.token_hex(16)
        self._claim_import(dataset_id, token)
        try:
            build = None
            if builder is not None:
                with self._write() as session:
                    dataset = sql_queries.get_dataset(session, name)
                    build = builder(sql_epochs.serving_state(session, dataset))
            staged = stage_import(
                lambda: self._staging(dataset_id, token), dataset_id, token, records, derive,
                replace=replace, key_spec=key_spec, progress=progress, build=build,
            )  # fmt: skip
            summary = self._apply(name, token, staged, builder, build)
        finally:
            with self._write() as session:
                sql_staging.release(session, dataset_id, token)
        logger.info(
            "import into %s: %d inserted, %d updated, %d unchanged, %d removed, version %d",
            name, summary.inserted, summary.updated, summary.unchanged, summary.removed,
            summary.version,
        )  # fmt: skip
        return summary

    def _apply(
        self,
        name: str,
        token: str,
        staged: StagedImport,
        builder: FilterBuilder | None,
        build: FilterBuild | None,
    ) -> ImportSummary:
        """Apply the staged rows, build the filter, switch the version: one transaction."""
        counts = staged.counts
        with self._write() as session:
            # Serialises with rotations (and readers see nothing until the commit).
            dataset = sql_queries.get_dataset(session, name, for_update=True)
            sql_staging.check_claim(session, dataset.id, token)
            if builder is not None:
                state = sql_epochs.serving_state(session, dataset)
                if build is None or build.epoch != state.epoch.epoch:
                    build = builder(state)  # rotated meanwhile: staged elements are stale
            epoch = None if build is None else build.epoch
            sql_staging.apply(session, dataset.id, token, staged.removed, epoch=epoch)
            if counts.changed_anything:
                dataset.version += 1
                dataset.updated_at = self._now()
            if build is not None and session.get(FilterRow, (dataset.id, dataset.version)) is None:
                sql_elements.fill(session, dataset.id, build)
                stored = sql_elements.build_filter(
                    session, dataset.id, name, dataset.version, build
                )
                sql_elements.store_filter(session, dataset.id, stored, self._now())
            sql_staging.drop(session, token)
            return ImportSummary(
                dataset=name, inserted=counts.inserted, updated=counts.updated,
                unchanged=counts.unchanged, removed=counts.removed, version=dataset.version,
            )  # fmt: skip

    def _claim_import(self, dataset_id: int, token: str) -> None:
        """Wait until this import holds the dataset's import claim.

        Raises:
            StorageUnavailable: another import held it for :data:`IMPORT_WAIT_S`.
        """
        deadline = time.monotonic() + IMPORT_WAIT_S
        while True:
            now = self._now()
            try:
                with self._write() as session:
                    if sql_staging.claim(
                        session, dataset_id, token, now=now, until=now + IMPORT_LEASE
                    ):
                        return
            except IntegrityError:
                pass  # a concurrent claim was inserted first
            if time.monotonic() > deadline:
                raise StorageUnavailable("another import into the dataset is still running")
            time.sleep(_POLL_S)

    @contextmanager
    def _staging(self, dataset_id: int, token: str) -> Iterator[Session]:
        """A short write transaction of this import, renewing its claim.

        Raises:
            StorageUnavailable: the claim was lost (it expired and was taken over).
        """
        with self._write() as session:
            sql_staging.renew(session, dataset_id, token, until=self._now() + IMPORT_LEASE)
            yield session
