"""The node's ledger on SQLAlchemy: table ``ledger_entries``, SQLite or PostgreSQL.

:class:`SqlLedgerStore` implements :class:`node.ledger.LedgerStore`. It may
share the node's database (``[node] database``): its one table has its own
name and its own metadata, created on open.

Appends are serialised, so seqs stay dense with several writers (threads or
processes): SQLite takes the write lock up front (``BEGIN IMMEDIATE``),
PostgreSQL locks the table against other writers (readers are not blocked).
Under that lock the store refuses an entry that does not extend the last
one, and the :class:`~node.ledger.Ledger` rebuilds and retries it. SQLite
runs with ``synchronous=FULL``: an audit record must survive a power cut
once the append returned. Database errors become
:class:`~node.ledger.LedgerUnavailable` (or ``ConfigError`` on opening),
with statement parameters hidden.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Text,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from crypto.errors import ConfigError, InvalidInput, ProofError
from node.ledger import (
    GENESIS_HASH,
    HASH_SIZE,
    Direction,
    LedgerEntry,
    LedgerUnavailable,
    StaleAppend,
    chain_hash,
    receipt_from_json,
    receipt_to_json,
)
from node.sql_tables import UtcDateTime

#: How long an SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
#: Execution option marking the engine whose transactions write (see _sqlite_begin).
_WRITE_OPTION: Final = "liaison_ledger_write"


class LedgerBase(DeclarativeBase):
    """Declarative base of the ledger's table, apart from the node store's."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class LedgerRow(LedgerBase):
    """One ledger entry; ``receipt`` is the receipt's canonical JSON, or NULL."""

    __tablename__ = "ledger_entries"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    time: Mapped[datetime] = mapped_column(UtcDateTime)
    direction: Mapped[str] = mapped_column(String(8))
    query_id: Mapped[str] = mapped_column(Text, index=True)
    counterpart: Mapped[str] = mapped_column(Text)
    investigator_id: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    key_count: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(Text)
    receipt: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(HASH_SIZE))
    entry_hash: Mapped[bytes] = mapped_column(LargeBinary(HASH_SIZE))


class SqlLedgerStore:
    """:class:`node.ledger.LedgerStore` over a SQLAlchemy URL (the node's ``database``)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the ledger table if missing.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened (the message hides the password).
        """
        self._engine = _open_engine(url)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    def __enter__(self) -> SqlLedgerStore:
        """Return the store itself; ``close`` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def append(self, entry: LedgerEntry) -> None:
        """Store one entry in its own transaction, if it extends the last one.

        Raises:
            StaleAppend: another writer appended first (seq or prev_hash is stale).
            ProofError: the entry hash does not match the entry.
            LedgerUnavailable: the database failed.
        """
        if not hmac.compare_digest(entry.entry_hash, chain_hash(entry)):
            raise ProofError(f"ledger seq {entry.seq}: entry_hash does not match its contents")
        try:
            with self._transaction(self._writes) as session:
                if self._postgres:
                    # Held until commit: the next append waits; readers do not.
                    session.execute(_LOCK_TABLE)
                last = _last_row(session)
                expected = (0, GENESIS_HASH) if last is None else (last.seq + 1, last.entry_hash)
                if (entry.seq, entry.prev_hash) != expected:
                    raise StaleAppend(f"ledger seq {entry.seq}: another entry was appended first")
                session.add(_row(entry))
        except IntegrityError as exc:
            # Not expected under the lock; the outcome is the same: retry.
            raise StaleAppend(f"ledger seq {entry.seq}: already taken") from exc

    def all(self) -> list[LedgerEntry]:
        """Return every entry, ordered by seq.

        Raises:
            ProofError: a stored row cannot be an entry (the message names its seq).
            LedgerUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            rows = session.scalars(select(LedgerRow).order_by(LedgerRow.seq)).all()
        return [_entry(row) for row in rows]

    def last(self) -> LedgerEntry | None:
        """Return the entry with the highest seq, or None.

        Raises:
            ProofError: the stored row cannot be an entry.
            LedgerUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            row = _last_row(session)
        return None if row is None else _entry(row)

    @contextmanager
    def _transaction(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with factory() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise LedgerUnavailable(f"ledger database failed ({type(exc).__name__})") from exc


#: Conflicts with every writer of the table (and itself), not with SELECT.
_LOCK_TABLE: Final = text(f"LOCK TABLE {LedgerRow.__tablename__} IN EXCLUSIVE MODE")


def _last_row(session: Session) -> LedgerRow | None:
    return session.scalar(select(LedgerRow).order_by(LedgerRow.seq.desc()).limit(1))


def _row(entry: LedgerEntry) -> LedgerRow:
    return LedgerRow(
        seq=entry.seq,
        time=entry.time,
        direction=entry.direction.value,
        query_id=entry.query_id,
        counterpart=entry.counterpart,
        investigator_id=entry.investigator_id,
        case_id=entry.case_id,
        purpose=entry.purpose,
        legal_basis=entry.legal_basis,
        key_count=entry.key_count,
        outcome=entry.outcome,
        receipt=None if entry.receipt is None else receipt_to_json(entry.receipt),
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash,
    )


def _entry(row: LedgerRow) -> LedgerEntry:
    """Rebuild an entry from its row; a row that cannot be one is reported by seq.

    Raises:
        ProofError: a column holds what no append could have written.
    """
    try:
        if row.direction not in {d.value for d in Direction}:
            raise InvalidInput("direction is neither 'sent' nor 'served'")
        return LedgerEntry(
            seq=row.seq,
            time=row.time,
            direction=Direction(row.direction),
            query_id=row.query_id,
            counterpart=row.counterpart,
            investigator_id=row.investigator_id,
            case_id=row.case_id,
            purpose=row.purpose,
            legal_basis=row.legal_basis,
            key_count=row.key_count,
            outcome=row.outcome,
            receipt=None if row.receipt is None else receipt_from_json(row.receipt),
            prev_hash=bytes(row.prev_hash),
            entry_hash=bytes(row.entry_hash),
        )
    except InvalidInput as exc:
        raise ProofError(f"ledger seq {row.seq}: stored row is not a valid entry: {exc}") from exc


def _open_engine(url: str) -> Engine:
    """Create the engine, configure SQLite, create the ledger table.

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
        engine = create_engine(parsed, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"cannot open database {shown}: unsupported URL or driver") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        LedgerBase.metadata.create_all(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise ConfigError(f"cannot open database {shown}") from exc
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: object) -> None:
    # _sqlite_begin issues BEGIN itself (Python's sqlite3 would do it lazily).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL: the node server and `liaison node ledger export` read while one appends.
        cursor.execute("PRAGMA journal_mode=WAL")
        # An audit record: durable once the append returned, even on power loss.
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # An append reads the last entry then inserts: IMMEDIATE takes the write
    # lock first, so two appenders queue instead of one failing to upgrade.
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
