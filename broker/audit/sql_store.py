"""The broker's audit log on SQLAlchemy: SQLite by default, PostgreSQL in production.

:class:`SqlAuditStore` implements :class:`broker.audit_log.AuditStore` over
one table, ``audit_entries`` (``docs/audit.md``, "Broker log storage").

Indices are dense: every append takes a table-wide write lock (SQLite's
``BEGIN IMMEDIATE``; ``LOCK TABLE ... SHARE ROW EXCLUSIVE`` on PostgreSQL,
which still lets readers through), reads the highest index and inserts after
it, so concurrent appenders, even in other processes, queue instead of
leaving gaps or colliding.

Durability: an entry must survive a crash right after its commit, so SQLite
runs with ``synchronous=FULL`` (WAL's default, NORMAL, may lose the last
commits on power loss); PostgreSQL's default ``synchronous_commit=on`` is
kept, and a warning is logged if the server turned it off.

Database errors become :class:`~crypto.errors.ConfigError` on opening and
:class:`~broker.audit_log.AuditUnavailable` afterwards; statement parameters
(bodies) are hidden from their messages, and nothing here logs a body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.broker.audit.log import Erased
from liaison.core.errors import AuditUnavailable, ConfigError
from liaison.crypto.audit_entries import AuditRecord, SealedEntry
from liaison.crypto.merkle import HASH_SIZE
from liaison.storage.migrate import BROKER
from liaison.storage.sql import WRITE_OPTION, open_engine

logger = logging.getLogger(__name__)

#: How long an SQLite writer waits for another writer before failing.

#: 64-bit indices; on SQLite an INTEGER primary key is the rowid itself.
_BigIndex = BigInteger().with_variant(Integer(), "sqlite")


class AuditBase(DeclarativeBase):
    """Declarative base of the broker's audit tables."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class AuditEntryRow(AuditBase):
    """One log entry; ``salt`` and ``body`` are NULL once erased."""

    __tablename__ = "audit_entries"

    idx: Mapped[int] = mapped_column(_BigIndex, primary_key=True, autoincrement=False)
    header: Mapped[bytes] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(HASH_SIZE))
    salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    kind: Mapped[str] = mapped_column(String(32))
    time_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    #: When the body was erased: the time_ms of the erasure entry.
    erased_at_ms: Mapped[int | None] = mapped_column(BigInteger)


class SqlAuditStore:
    """:class:`broker.audit_log.AuditStore` over a SQLAlchemy URL.

    Examples of URLs: ``sqlite:////var/lib/liaison/broker.db`` (absolute path:
    four slashes), ``postgresql+psycopg://liaison@/liaison?host=/var/run/postgresql``.
    """

    def __init__(self, url: str) -> None:
        """Open the database and create the table if missing.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened (the message hides the password).
        """
        self._engine = _open_engine(url)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def __enter__(self) -> SqlAuditStore:
        """Return the store itself; ``close`` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def append(self, entries: Sequence[SealedEntry]) -> list[int]:
        """Insert entries after the last one, in one transaction, committed on return.

        Raises:
            AuditUnavailable: nothing was written, or the commit's outcome is unknown.
        """
        if not entries:
            return []
        with self._write("append") as session:
            first = self._lock_and_next_index(session)
            session.execute(
                insert(AuditEntryRow),
                [_row(first + offset, entry) for offset, entry in enumerate(entries)],
            )
        return list(range(first, first + len(entries)))

    def size(self) -> int:
        """Return the number of entries (one more than the highest index).

        Raises:
            AuditUnavailable: the database cannot be read.
        """
        with self._read("read the size") as session:
            return _next_index(session)

    def leaf_hashes(self, start: int = 0) -> list[bytes]:
        """Return the leaf hashes of entries ``start`` onwards, in index order.

        Raises:
            AuditUnavailable: the database cannot be read.
        """
        query = (
            select(AuditEntryRow.leaf_hash)
            .where(AuditEntryRow.idx >= start)
            .order_by(AuditEntryRow.idx)
        )
        with self._read("read leaf hashes") as session:
            return [bytes(hashed) for hashed in session.scalars(query)]

    def records(self, start: int, end: int) -> list[AuditRecord]:
        """Return the entries with ``start <= index < end``, in index order.

        Raises:
            AuditUnavailable: the database cannot be read.
        """
        query = (
            select(
                AuditEntryRow.idx,
                AuditEntryRow.header,
                AuditEntryRow.leaf_hash,
                AuditEntryRow.salt,
                AuditEntryRow.body,
            )
            .where(AuditEntryRow.idx >= start, AuditEntryRow.idx < end)
            .order_by(AuditEntryRow.idx)
        )
        with self._read("read entries") as session:
            return [
                AuditRecord(
                    index=index,
                    header=bytes(header),
                    leaf_hash=bytes(leaf),
                    salt=None if salt is None else bytes(salt),
                    body=None if body is None else bytes(body),
                )
                for index, header, leaf, salt, body in session.execute(query)
            ]

    def erase_bodies(
        self, before_ms: int, note: Callable[[Erased], SealedEntry]
    ) -> tuple[Erased, int] | None:
        """Erase salt and body of entries older than ``before_ms`` and append ``note``'s entry.

        Both happen in one transaction, under the append lock.

        Returns:
            What was erased and the appended entry's index, or None (nothing
            written) when no unerased entry is older than ``before_ms``.

        Raises:
            AuditUnavailable: nothing was written, or the commit's outcome is unknown.
        """
        old = (AuditEntryRow.time_ms < before_ms, AuditEntryRow.body.is_not(None))
        with self._write("erase") as session:
            index = self._lock_and_next_index(session)
            first, last, count = session.execute(
                select(
                    func.min(AuditEntryRow.idx), func.max(AuditEntryRow.idx), func.count()
                ).where(*old)
            ).one()
            if not count:
                return None
            erased = Erased(first_index=first, last_index=last, count=count)
            entry = note(erased)
            session.execute(
                update(AuditEntryRow)
                .where(*old)
                .values(salt=None, body=None, erased_at_ms=entry.time_ms),
                execution_options={"synchronize_session": False},
            )
            session.execute(insert(AuditEntryRow), [_row(index, entry)])
        return erased, index

    def _lock_and_next_index(self, session: Session) -> int:
        if self._postgres:
            # Conflicts with itself, not with readers (ACCESS SHARE): appenders
            # queue here, and the max read below then sees the last commit.
            session.execute(text(f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE"))
        # SQLite: BEGIN IMMEDIATE (see _sqlite_begin) has already taken the write lock.
        return _next_index(session)

    @contextmanager
    def _read(self, what: str) -> Iterator[Session]:
        with _converted(what), self._reads() as session, session.begin():
            yield session

    @contextmanager
    def _write(self, what: str) -> Iterator[Session]:
        with _converted(what), self._writes() as session, session.begin():
            yield session


_TABLE: Final = AuditEntryRow.__tablename__


def _next_index(session: Session) -> int:
    highest = session.scalar(select(func.max(AuditEntryRow.idx)))
    return 0 if highest is None else int(highest) + 1


def _row(index: int, entry: SealedEntry) -> dict[str, Any]:
    return {
        "idx": index,
        "header": entry.header,
        "leaf_hash": entry.leaf_hash,
        "salt": entry.salt,
        "body": entry.body,
        "kind": entry.kind.value,
        "time_ms": entry.time_ms,
        "erased_at_ms": None,
    }


@contextmanager
def _converted(what: str) -> Iterator[None]:
    """Turn database errors into AuditUnavailable (the cause is chained, parameters hidden)."""
    try:
        yield
    except SQLAlchemyError as exc:
        logger.error("audit log: cannot %s: %s", what, type(exc).__name__)
        raise AuditUnavailable(f"audit log: cannot {what}") from exc


def _open_engine(url: str) -> Engine:
    """Open the audit database, warning if PostgreSQL may lose commits.

    Raises:
        ConfigError: bad URL, missing driver, or database unreachable.
    """
    engine = open_engine(
        url, AuditBase.metadata, schema=BROKER, durable=True, label="audit database"
    )
    if engine.dialect.name == "postgresql":
        try:
            _warn_unless_synchronous(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise ConfigError("cannot open the audit database") from exc
    return engine


def _warn_unless_synchronous(engine: Engine) -> None:
    with engine.connect() as connection:
        setting = connection.execute(text("SHOW synchronous_commit")).scalar()
    if setting == "off":
        logger.warning(
            "audit database has synchronous_commit=off: entries committed just before "
            "a crash may be lost"
        )
