"""The node store on SQLAlchemy: SQLite by default, PostgreSQL in production.

:class:`SqlNodeStore` implements :class:`node.store.NodeStore` over any
SQLAlchemy URL. Tables are created on open with ``metadata.create_all``;
schema migrations (Alembic) come when the schema first changes, which is why
constraints are named by a fixed convention already.

SQLite is opened in WAL mode with foreign keys on and a busy timeout, because
``liaison import`` writes while the node server reads. SQLAlchemy errors on
opening become :class:`~crypto.errors.ConfigError`; other database errors
propagate unchanged, with statement parameters (record values) hidden from
their messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any, ClassVar, Final

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    delete,
    distinct,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from crypto.errors import ConfigError, InvalidInput, NotFound
from crypto.identity import Identity, MatchKey
from node.store import (
    FILTERS_KEPT,
    MAX_REF_LENGTH,
    DatasetInfo,
    IdentifierKind,
    IdentifierRow,
    ImportSummary,
    KeySnapshot,
    StoredFilter,
    check_aware,
    check_dataset_name,
    content_hash,
    identifier_rows,
    identity_from_rows,
)

logger = logging.getLogger(__name__)

#: Rows per import batch: bounds memory and the number of bound parameters
#: per statement (SQLite and PostgreSQL both cap them), and paces ``progress``.
BATCH_SIZE: Final = 1000
#: How long an SQLite writer waits for another writer (an import holds the
#: write lock for its whole transaction) before failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
#: Execution option marking the engine whose transactions write (see _sqlite_begin).
_WRITE_OPTION: Final = "liaison_write"


def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so values are converted to UTC on the way in (which
    also keeps SQLite's text comparisons chronological) and tagged UTC on the
    way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse a naive one."""
        return None if value is None else check_aware(value, "timestamp")

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: 64-bit ids for the big tables; SQLite only auto-increments INTEGER keys.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of the node's tables."""

    # Fixed constraint names so that future migrations can address them.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, bytes: LargeBinary}


class DatasetRow(Base):
    """A dataset: its name, sealed PSI server key and content version."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_server_key: Mapped[bytes]
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RecordRow(Base):
    """A record, unique by ``ref`` within its dataset; the hash detects changes."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("dataset_id", "ref"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(MAX_REF_LENGTH))
    content_hash: Mapped[str] = mapped_column(String(64))


class IdentifierValueRow(Base):
    """One identifier value of a record, as imported (the key spec normalises later)."""

    __tablename__ = "identifiers"
    # The unique constraint's index also serves deletes by record_id.
    __table_args__ = (UniqueConstraint("record_id", "kind", "position"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(_BigId, ForeignKey("records.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    value: Mapped[str] = mapped_column(Text)


class MatchKeyRow(Base):
    """A match key derived from a record; ``dataset_id`` is repeated for the lookup index."""

    __tablename__ = "match_keys"
    __table_args__ = (
        UniqueConstraint("record_id", "value"),
        Index(None, "dataset_id", "value"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(_BigId, ForeignKey("records.id", ondelete="CASCADE"))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    key_spec: Mapped[str] = mapped_column(String(64))


class FilterRow(Base):
    """A serialised PSI filter of one dataset version."""

    __tablename__ = "filters"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(primary_key=True)
    key_count: Mapped[int]
    setup: Mapped[bytes]
    created_at: Mapped[datetime]


class SeenQueryRow(Base):
    """A query id already served, kept until it expires (the replay guard)."""

    __tablename__ = "seen_queries"

    scope: Mapped[str] = mapped_column(String(128), primary_key=True)
    query_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


@dataclass(frozen=True, slots=True)
class _Existing:
    """A stored record as far as an import needs to know it."""

    id: int
    content_hash: str


class SqlNodeStore:
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
        self._engine = _open_engine(url)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
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
        now = self._clock()
        try:
            with self._write() as session:
                if _find_dataset(session, name) is not None:
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
        return self.get_dataset(name)

    def get_dataset(self, name: str) -> DatasetInfo:
        """Return the dataset's current size and version.

        Raises:
            NotFound: no such dataset.
        """
        with self._read() as session:
            infos = _dataset_infos(session, name)
        if not infos:
            raise NotFound(f"unknown dataset {name!r}")
        return infos[0]

    def list_datasets(self) -> list[DatasetInfo]:
        """Return every dataset, ordered by name."""
        with self._read() as session:
            return _dataset_infos(session, None)

    def sealed_server_key(self, name: str) -> bytes:
        """Return the dataset's PSI server key exactly as sealed by the caller.

        Raises:
            NotFound: no such dataset.
        """
        with self._read() as session:
            return _get_dataset(session, name).sealed_server_key

    # -- records ------------------------------------------------------------

    def import_records(
        self,
        name: str,
        identities: Iterable[Identity],
        derive: Callable[[Identity], Sequence[MatchKey]],
        *,
        replace: bool,
        key_spec: str,
        progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Insert or update records by ``ref`` in one transaction: all rows or none.

        See :meth:`node.store.NodeStore.import_records` for the contract.

        Raises:
            NotFound: no such dataset.
            InvalidInput: an empty, overlong or repeated ``ref``, or an empty ``key_spec``.
            Exception: whatever ``derive`` or ``progress`` raise, after rollback.
        """
        if not key_spec:
            raise InvalidInput("key_spec is empty")
        with self._write() as session:
            # Serialises imports into one dataset on PostgreSQL; SQLite's
            # BEGIN IMMEDIATE has already serialised all writers.
            dataset = _get_dataset(session, name, for_update=True)
            batch = _ImportBatch(session, dataset.id, key_spec, derive)
            existing = batch.load_existing()
            seen: set[str] = set()
            rows = iter(identities)
            while chunk := list(islice(rows, BATCH_SIZE)):
                batch.apply(chunk, existing, seen)
                if progress is not None:
                    progress(len(seen))
            if replace:
                batch.remove([e.id for ref, e in existing.items() if ref not in seen])
            if batch.inserted or batch.updated or batch.removed:
                dataset.version += 1
                dataset.updated_at = self._clock()
            summary = ImportSummary(
                dataset=name,
                inserted=batch.inserted,
                updated=batch.updated,
                unchanged=batch.unchanged,
                removed=batch.removed,
                version=dataset.version,
            )
        logger.info(
            "import into %s: %d inserted, %d updated, %d unchanged, %d removed, version %d",
            name,
            summary.inserted,
            summary.updated,
            summary.unchanged,
            summary.removed,
            summary.version,
        )
        return summary

    def get_record(self, name: str, ref: str) -> Identity:
        """Return a stored record as imported.

        Raises:
            NotFound: no such dataset or no record with that ``ref``.
        """
        with self._read() as session:
            dataset = _get_dataset(session, name)
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
        return identity_from_rows(ref, rows)

    # -- keys ---------------------------------------------------------------

    def key_snapshot(self, name: str) -> KeySnapshot:
        """Return the dataset's distinct key strings and the version they were read at.

        Raises:
            NotFound: no such dataset.
        """
        with self._snapshots() as session, session.begin():
            dataset = _get_dataset(session, name)
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
            dataset = _get_dataset(session, name)
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
                dataset = _get_dataset(session, stored.dataset)
                if not 0 <= stored.version <= dataset.version:
                    raise InvalidInput("filter version is not a version of the dataset")
                if session.get(FilterRow, (dataset.id, stored.version)) is None:
                    session.add(
                        FilterRow(
                            dataset_id=dataset.id,
                            version=stored.version,
                            key_count=stored.key_count,
                            setup=stored.setup,
                            created_at=self._clock(),
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


class _ImportBatch:
    """The writes of one import, batch by batch, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        dataset_id: int,
        key_spec: str,
        derive: Callable[[Identity], Sequence[MatchKey]],
    ) -> None:
        self._session = session
        self._dataset_id = dataset_id
        self._key_spec = key_spec
        self._derive = derive
        self.inserted = self.updated = self.unchanged = self.removed = 0

    def load_existing(self) -> dict[str, _Existing]:
        """Return ref -> (id, hash) of the dataset's records: one query, not one per row."""
        rows = self._session.execute(
            select(RecordRow.ref, RecordRow.id, RecordRow.content_hash).where(
                RecordRow.dataset_id == self._dataset_id
            )
        )
        return {ref: _Existing(id_, hash_) for ref, id_, hash_ in rows}

    def apply(self, chunk: list[Identity], existing: dict[str, _Existing], seen: set[str]) -> None:
        """Insert new records, rewrite changed ones, count unchanged ones.

        Raises:
            InvalidInput: an empty, overlong or repeated ref (named by row number).
        """
        new: list[tuple[Identity, str]] = []
        changed: list[tuple[Identity, str, int]] = []
        for identity in chunk:
            _check_ref(identity.ref, seen)
            seen.add(identity.ref)
            digest = content_hash(identity, self._key_spec)
            old = existing.get(identity.ref)
            if old is None:
                new.append((identity, digest))
            elif old.content_hash != digest:
                changed.append((identity, digest, old.id))
            else:
                self.unchanged += 1
        # Derive before writing so that a failing derive leaves less to roll back.
        keyed = [(i, self._derive(i)) for i, _ in new]
        rekeyed = [(i, self._derive(i)) for i, _, _ in changed]
        ids = self._insert_records([(i.ref, d) for i, d in new])
        self._rewrite_records([(record_id, d) for _, d, record_id in changed])
        contents = [(ids[i.ref], i, keys) for i, keys in keyed]
        contents += [
            (record_id, i, keys)
            for (i, keys), (_, _, record_id) in zip(rekeyed, changed, strict=True)
        ]
        self._insert_contents(contents)
        self.inserted += len(new)
        self.updated += len(changed)

    def remove(self, record_ids: list[int]) -> None:
        """Delete records with their identifiers and keys."""
        for start in range(0, len(record_ids), BATCH_SIZE):
            batch = record_ids[start : start + BATCH_SIZE]
            self._delete_contents(batch)
            self._session.execute(
                delete(RecordRow).where(RecordRow.id.in_(batch)),
                execution_options={"synchronize_session": False},
            )
        self.removed += len(record_ids)

    def _insert_records(self, refs: list[tuple[str, str]]) -> dict[str, int]:
        if not refs:
            return {}
        result = self._session.execute(
            insert(RecordRow).returning(RecordRow.ref, RecordRow.id),
            [
                {"dataset_id": self._dataset_id, "ref": ref, "content_hash": digest}
                for ref, digest in refs
            ],
        )
        return {ref: id_ for ref, id_ in result}

    def _rewrite_records(self, hashes: list[tuple[int, str]]) -> None:
        if not hashes:
            return
        record_ids = [record_id for record_id, _ in hashes]
        self._delete_contents(record_ids)
        self._session.execute(
            update(RecordRow),
            [{"id": record_id, "content_hash": digest} for record_id, digest in hashes],
        )

    def _delete_contents(self, record_ids: list[int]) -> None:
        # Explicit rather than relying on ON DELETE CASCADE: a changed record
        # keeps its row, and SQLite enforces foreign keys only when told to.
        for table in (IdentifierValueRow, MatchKeyRow):
            self._session.execute(
                delete(table).where(table.record_id.in_(record_ids)),
                execution_options={"synchronize_session": False},
            )

    def _insert_contents(self, contents: list[tuple[int, Identity, Sequence[MatchKey]]]) -> None:
        identifiers: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for record_id, identity, derived in contents:
            identifiers.extend(
                {
                    "record_id": record_id,
                    "kind": row.kind.value,
                    "position": row.position,
                    "value": row.value,
                }
                for row in identifier_rows(identity)
            )
            # dict.fromkeys: a record may yield the same key twice (one phone
            # listed twice); keep one row, in first-seen order.
            keys.extend(
                {
                    "record_id": record_id,
                    "dataset_id": self._dataset_id,
                    "kind": str(key.kind),
                    "value": key.value,
                    "key_spec": self._key_spec,
                }
                for key in dict.fromkeys(derived)
            )
        if identifiers:
            self._session.execute(insert(IdentifierValueRow), identifiers)
        if keys:
            self._session.execute(insert(MatchKeyRow), keys)


def _check_ref(ref: str, seen: set[str]) -> None:
    row = len(seen) + 1
    if not ref:
        raise InvalidInput(f"row {row}: ref is empty")
    if len(ref) > MAX_REF_LENGTH:
        raise InvalidInput(f"row {row}: ref is longer than {MAX_REF_LENGTH} characters")
    if ref in seen:
        raise InvalidInput(f"row {row}: ref repeats an earlier row")


def _find_dataset(session: Session, name: str, *, for_update: bool = False) -> DatasetRow | None:
    query = select(DatasetRow).where(DatasetRow.name == name)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def _get_dataset(session: Session, name: str, *, for_update: bool = False) -> DatasetRow:
    dataset = _find_dataset(session, name, for_update=for_update)
    if dataset is None:
        raise NotFound(f"unknown dataset {name!r}")
    return dataset


def _dataset_infos(session: Session, name: str | None) -> list[DatasetInfo]:
    """Return DatasetInfo of one dataset (or all), counts included, in one statement."""
    # Correlated subqueries: each count uses the (dataset_id, ...) index of
    # its table and touches only that dataset's rows.
    records = (
        select(func.count())
        .select_from(RecordRow)
        .where(RecordRow.dataset_id == DatasetRow.id)
        .scalar_subquery()
    )
    keys = (
        select(func.count(distinct(MatchKeyRow.value)))
        .where(MatchKeyRow.dataset_id == DatasetRow.id)
        .scalar_subquery()
    )
    query = select(DatasetRow.name, records, keys, DatasetRow.version, DatasetRow.updated_at)
    if name is not None:
        query = query.where(DatasetRow.name == name)
    # Sorted in Python: the database's collation would differ between engines.
    return sorted((DatasetInfo(*row) for row in session.execute(query)), key=lambda d: d.name)


def _open_engine(url: str) -> Engine:
    """Create the engine, configure SQLite, create missing tables.

    Raises:
        ConfigError: bad URL, missing driver, or database unreachable.
    """
    try:
        parsed: URL = make_url(url)
    except ArgumentError as exc:
        # Not echoed: a malformed URL may still contain a password.
        raise ConfigError("database URL is malformed") from exc
    shown = parsed.render_as_string(hide_password=True)
    try:
        # hide_parameters: DBAPI errors would otherwise quote record values.
        engine = create_engine(parsed, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"cannot open database {shown}: unsupported URL or driver") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        Base.metadata.create_all(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise ConfigError(f"cannot open database {shown}") from exc
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: object) -> None:
    # Python's sqlite3 (before 3.12's autocommit attribute) would issue BEGIN
    # itself, lazily and never before a SELECT; _sqlite_begin takes over.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL: readers (the server) are not blocked by the writer (an import).
        cursor.execute("PRAGMA journal_mode=WAL")
        # Off by default in SQLite; our foreign keys cascade.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock up front (IMMEDIATE): a deferred
    # transaction that reads first cannot upgrade once another writer has
    # committed, and would fail at once instead of waiting busy_timeout.
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
