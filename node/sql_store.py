"""The node store on SQLAlchemy: SQLite by default, PostgreSQL in production.

:class:`SqlNodeStore` implements :class:`node.store.NodeStore` over any
SQLAlchemy URL. Its tables live in :mod:`node.sql_tables`, the import's bulk
writes in :mod:`node.sql_import`; opening (SQLite settings, migrations,
errors) is :func:`liaison.storage.sql.open_engine`'s. Other database errors
propagate unchanged, with statement parameters (record values) hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from liaison.core.errors import InvalidInput, NotFound
from liaison.core.records import Record
from liaison.node import sql_elements, sql_epochs, sql_queries
from liaison.node.filter_builds import FilterBuild
from liaison.node.record_rows import IdentifierKind, IdentifierRow, record_from_rows
from liaison.node.sql_kept import KeptElements
from liaison.node.sql_store_imports import ImportMethods
from liaison.node.sql_tables import (
    Base,
    DatasetRow,
    FilterRow,
    IdentifierValueRow,
    MatchKeyRow,
    RecordRow,
    SeenQueryRow,
)
from liaison.node.store import (
    FILTERS_KEPT,
    DatasetInfo,
    KeyEpoch,
    KeySnapshot,
    ServingState,
    StoredFilter,
    check_aware,
    check_dataset_name,
)
from liaison.storage.migrate import NODE
from liaison.storage.sql import WRITE_OPTION, open_engine

logger = logging.getLogger(__name__)

#: How long an SQLite writer waits for another writer (an import holds the
#: write lock for its whole transaction) before failing with "database is locked".


def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class SqlNodeStore(KeptElements, ImportMethods):
    """:class:`node.store.NodeStore` over a SQLAlchemy URL.

    Examples of URLs: ``sqlite:////var/lib/liaison/node.db`` (absolute path:
    four slashes), ``postgresql+psycopg://liaison:secret@db.internal/liaison``,
    ``postgresql+psycopg://liaison@/liaison?host=/var/run/postgresql``.
    """

    def __init__(self, url: str, *, clock: Callable[[], datetime] = utc_now) -> None:
        """Open the database and create missing tables.

        Args:
            url: a SQLAlchemy URL.
            clock: returns the current aware time, for ``created_at``/``updated_at``.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened (the message hides the password).
        """
        self._clock = clock
        self._engine = open_engine(url, Base.metadata, schema=NODE, durable=False)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        # PostgreSQL's default READ COMMITTED gives each statement its own
        # snapshot; a key snapshot needs the version and the keys from one.
        # SQLite transactions are serialisable already.
        snapshot_engine = (
            self._engine.execution_options(isolation_level="REPEATABLE READ")
            if self._engine.dialect.name == "postgresql"
            else self._engine
        )
        self._snapshots = sessionmaker(snapshot_engine, expire_on_commit=False)

    def __enter__(self) -> SqlNodeStore:
        """Return the store itself; ``close`` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def _now(self) -> datetime:
        # Checked here: inside a flush, the column type's check would surface
        # as a SQLAlchemy StatementError instead of InvalidInput.
        return check_aware(self._clock(), "clock")

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._writes() as session, session.begin():
            yield session

    # -- datasets -----------------------------------------------------------

    def create_dataset(self, name: str, sealed_server_key: bytes) -> DatasetInfo:
        """Create an empty dataset (version 0) holding the given sealed PSI server key.

        Raises:
            InvalidInput: the name is invalid or taken, or the key is empty.
        """
        check_dataset_name(name)
        if not sealed_server_key:
            raise InvalidInput("sealed server key is empty")
        now = self._now()
        try:
            with self._write() as session:
                if sql_queries.find_dataset(session, name) is not None:
                    raise InvalidInput(f"dataset {name!r} already exists")
                session.add(
                    DatasetRow(
                        name=name,
                        sealed_server_key=sealed_server_key,
                        version=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError as exc:
            # Another process created it between our check and our insert.
            raise InvalidInput(f"dataset {name!r} already exists") from exc
        return DatasetInfo(name, records=0, keys=0, version=0, updated_at=now)

    def get_dataset(self, name: str) -> DatasetInfo:
        """Return the dataset's current size and version.

        Raises:
            NotFound: no such dataset.
        """
        with self._read() as session:
            infos = sql_queries.dataset_infos(session, name)
        if not infos:
            raise NotFound(f"unknown dataset {name!r}")
        return infos[0]

    def list_datasets(self) -> list[DatasetInfo]:
        """Return every dataset, ordered by name."""
        with self._read() as session:
            return sql_queries.dataset_infos(session, None)

    def dataset_names(self) -> list[str]:
        """Return the names of every dataset, sorted, without counting anything."""
        with self._read() as session:  # sorted here: collations differ between engines
            return sorted(session.scalars(select(DatasetRow.name)))

    def dataset_version(self, name: str) -> int:
        """Return the dataset's current version, counting nothing (NotFound if none)."""
        with self._read() as session:
            return sql_queries.get_dataset(session, name).version

    def delete_dataset(self, name: str) -> int:
        """Delete a dataset and all derived from it; return its records (see ``NodeStore``)."""
        with self._write() as session:
            dataset = sql_queries.get_dataset(session, name, for_update=True)
            records = sql_queries.dataset_infos(session, name)[0].records
            session.execute(delete(DatasetRow).where(DatasetRow.id == dataset.id))
            return records

    def sealed_server_key(self, name: str) -> bytes:
        """Return the dataset's PSI server key as sealed by the caller (NotFound if none)."""
        with self._read() as session:
            return sql_queries.get_dataset(session, name).sealed_server_key

    # -- records ------------------------------------------------------------

    def get_record(self, name: str, ref: str) -> Record:
        """Return a stored record as imported.

        Raises:
            NotFound: no such dataset or no record with that ``ref``.
        """
        with self._read() as session:
            dataset = sql_queries.get_dataset(session, name)
            record_id = session.scalar(
                select(RecordRow.id).where(RecordRow.dataset_id == dataset.id, RecordRow.ref == ref)
            )
            if record_id is None:
                # The ref is the agency's own key, not a person's identifier,
                # but it is still left out: messages never carry record data.
                raise NotFound(f"no such record in dataset {name!r}")
            values = session.execute(
                select(
                    IdentifierValueRow.kind, IdentifierValueRow.position, IdentifierValueRow.value
                ).where(IdentifierValueRow.record_id == record_id)
            )
            rows = [IdentifierRow(IdentifierKind(k), p, v) for k, p, v in values]
        return record_from_rows(ref, rows)

    # -- keys ---------------------------------------------------------------

    def key_snapshot(self, name: str) -> KeySnapshot:
        """Return the dataset's distinct key strings and the version they were read at.

        Raises:
            NotFound: no such dataset.
        """
        with self._snapshots() as session, session.begin():
            dataset = sql_queries.get_dataset(session, name)
            values = session.scalars(
                select(MatchKeyRow.value).distinct().where(MatchKeyRow.dataset_id == dataset.id)
            )
            # Sorted here, not by ORDER BY: PostgreSQL would sort by its
            # collation, SQLite by code point, and the contract is one order.
            ordered = tuple(sorted(values))
            return KeySnapshot(dataset=name, version=dataset.version, values=ordered)

    def key_values(self, name: str) -> list[str]:
        """Return the dataset's distinct key strings, sorted.

        Raises:
            NotFound: no such dataset.
        """
        return list(self.key_snapshot(name).values)

    def key_count(self, name: str) -> int:
        """Return how many distinct key strings the dataset holds.

        Raises:
            NotFound: no such dataset.
        """
        return self.get_dataset(name).keys

    # -- filters ------------------------------------------------------------

    def get_filter(self, name: str, version: int) -> StoredFilter | None:
        """Return the stored filter of that dataset version, or None.

        Raises:
            NotFound: no such dataset.
        """
        with self._read() as session:
            dataset = sql_queries.get_dataset(session, name)
            row = session.get(FilterRow, (dataset.id, version))
            if row is None:
                return None
            return StoredFilter(name, row.version, row.key_count, row.setup)

    def put_filter(self, stored: StoredFilter) -> None:
        """Store a filter and drop all but the newest two versions; idempotent.

        Raises:
            NotFound: no such dataset.
            InvalidInput: the version is negative or newer than the dataset's.
        """
        try:
            with self._write() as session:
                # No row lock: building a filter must not wait for an import.
                dataset = sql_queries.get_dataset(session, stored.dataset)
                if not 0 <= stored.version <= dataset.version:
                    raise InvalidInput("filter version is not a version of the dataset")
                if session.get(FilterRow, (dataset.id, stored.version)) is None:
                    session.add(
                        FilterRow(
                            dataset_id=dataset.id,
                            version=stored.version,
                            key_count=stored.key_count,
                            setup=stored.setup,
                            created_at=self._now(),
                        )
                    )
                    session.flush()
                kept = session.scalars(
                    select(FilterRow.version)
                    .where(FilterRow.dataset_id == dataset.id)
                    .order_by(FilterRow.version.desc())
                    .limit(FILTERS_KEPT)
                ).all()
                session.execute(
                    delete(FilterRow).where(
                        FilterRow.dataset_id == dataset.id, FilterRow.version.not_in(kept)
                    ),
                    execution_options={"synchronize_session": False},
                )
        except IntegrityError:
            # A concurrent put of the same version won; the outcome is the same.
            return

    # -- key epochs (queries in node/sql_epochs.py) -------------------------

    def serving_state(self, name: str) -> ServingState:
        """Return the dataset's version, current key epoch and sealed key from one read.

        Raises:
            NotFound: no such dataset.
        """
        with self._snapshots() as session, session.begin():
            return sql_epochs.serving_state(session, sql_queries.get_dataset(session, name))

    def key_epochs(self, name: str) -> list[KeyEpoch]:
        """Return the dataset's key epochs, oldest first (epoch 0 included).

        Raises:
            NotFound: no such dataset.
        """
        with self._read() as session:
            return sql_epochs.epoch_history(session, sql_queries.get_dataset(session, name))

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
        """Replace the server key, starting a new epoch (see ``NodeStore``).

        With ``build`` (the new epoch's, its elements filled in beforehand
        by :meth:`fill_elements`), the new filter is built under the lock
        from those elements and the old epoch's elements are deleted.

        Raises:
            NotFound: no such dataset.
            InvalidInput: empty key, empty or overlong reason, or a naive ``now``.
        """
        with self._write() as session:
            # The import's lock: a rotation never interleaves with an import.
            dataset = sql_queries.get_dataset(session, name, for_update=True)
            current = sql_epochs.current_epoch(session, dataset).epoch
            if if_epoch is not None and current != if_epoch:
                return None
            if build is not None:
                if build.epoch != current + 1:
                    return None  # someone else rotated since the elements were computed
                new_filter = sql_elements.swap_in(
                    session, dataset.id, name, dataset.version + 1, build
                )
            epoch = sql_epochs.rotate(
                session, dataset, sealed_server_key, reason=reason, now=now,
                if_epoch=if_epoch, new_filter=new_filter,
            )  # fmt: skip
            if epoch is not None and build is not None:
                sql_elements.drop_epochs(session, dataset.id, keep=build.epoch)
            return epoch

    def claim_rotation(self, name: str, token: str, *, now: datetime, until: datetime) -> bool:
        """Claim the dataset's next rotation until ``until`` (see ``NodeStore``).

        Raises:
            NotFound: no such dataset.
            InvalidInput: an empty or overlong token, or a naive time.
        """
        try:
            with self._write() as session:
                return sql_epochs.claim(session, sql_queries.get_dataset(session, name), token,
                                        now=now, until=until)  # fmt: skip
        except IntegrityError:
            return False  # a concurrent claim was inserted first

    def release_rotation(self, name: str, token: str) -> None:
        """Drop the dataset's rotation claim if it is still ``token``'s.

        Raises:
            NotFound: no such dataset.
        """
        with self._write() as session:
            sql_epochs.release(session, sql_queries.get_dataset(session, name), token)

    # -- replay guard -------------------------------------------------------

    def remember_query(
        self, scope: str, query_id: str, expires_at: datetime, *, now: datetime
    ) -> bool:
        """Record a query id; return False if it was already recorded (a replay).

        Raises:
            InvalidInput: an empty or overlong scope or id, or a naive datetime.
        """
        for what, value in (("scope", scope), ("query id", query_id)):
            if not 0 < len(value) <= 128:
                raise InvalidInput(f"{what} must be 1-128 characters")
        expires_at = check_aware(expires_at, "expires_at")
        now = check_aware(now, "now")
        try:
            with self._write() as session:
                session.execute(
                    delete(SeenQueryRow).where(SeenQueryRow.expires_at <= now),
                    execution_options={"synchronize_session": False},
                )
                if session.get(SeenQueryRow, (scope, query_id)) is not None:
                    return False
                session.add(SeenQueryRow(scope=scope, query_id=query_id, expires_at=expires_at))
        except IntegrityError:
            # A concurrent caller remembered the same id first: still a replay.
            return False
        return True
