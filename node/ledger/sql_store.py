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
from typing import Final

from sqlalchemy import (
    BigInteger,
    LargeBinary,
    MetaData,
    String,
    Text,
    select,
    text,
)
from sqlalchemy.exc import (
    IntegrityError,
    SQLAlchemyError,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.core.errors import InvalidInput, LedgerUnavailable, ProofError, StaleAppend
from liaison.node.ledger.chain import (
    GENESIS_HASH,
    HASH_SIZE,
    Direction,
    LedgerEntry,
    chain_hash,
)
from liaison.node.ledger.export import receipt_from_json, receipt_to_json
from liaison.node.sql_tables import UtcDateTime
from liaison.storage.sql import WRITE_OPTION, open_engine

#: How long an SQLite writer waits for another writer before giving up.


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
        self._engine = open_engine(url, LedgerBase.metadata, durable=True)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
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
            raise InvalidInput("direction is not 'sent', 'served', 'watch' or 'followup'")
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
