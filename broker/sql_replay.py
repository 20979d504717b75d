"""The broker's replay guard in its database, so a restart does not forget.

:class:`SqlReplayGuard` implements :class:`liaison.crypto.envelope.ReplayGuard`
over one table, ``accepted_queries`` (query id, expiry in milliseconds), in
the broker's database (the same URL as the audit log). Each insert first
deletes the ids that have expired, so the table holds at most the queries
accepted during one envelope lifetime
(:data:`~liaison.crypto.envelope.MAX_LIFETIME`). The coordinator remembers an
id only once the query has passed verification and the federation policy:
refused queries never reach the table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import BigInteger, MetaData, String, delete, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from liaison.core.errors import EnvelopeRejected, StorageUnavailable
from liaison.crypto.envelope import epoch_ms
from liaison.storage.migrate import BROKER
from liaison.storage.sql import WRITE_OPTION, open_engine

__all__ = ["SqlReplayGuard"]


class ReplayBase(DeclarativeBase):
    """Declarative base of the broker's replay table."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class AcceptedQueryRow(ReplayBase):
    """A query id the broker accepted, kept until the query expires."""

    __tablename__ = "accepted_queries"

    query_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_ms: Mapped[int] = mapped_column(BigInteger, index=True)


class SqlReplayGuard:
    """Accepted query ids in the broker's database (SQLite or PostgreSQL)."""

    def __init__(
        self, url: str, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        """Open the database and create the table if missing.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened.
        """
        self._engine = open_engine(
            url, ReplayBase.metadata, schema=BROKER, durable=True, label="broker database"
        )
        self._reads = sessionmaker(self._engine)
        self._writes = sessionmaker(self._engine.execution_options(**{WRITE_OPTION: True}))
        self._clock = clock

    def check_and_remember(self, query_id: str, expires_at: datetime) -> None:
        """Remember ``query_id`` until ``expires_at``, or refuse it if already remembered.

        Raises:
            EnvelopeRejected: the id is remembered and has not expired
                ("replayed query"), or is longer than 64 characters.
            StorageUnavailable: the database failed; nothing was remembered.
        """
        if not 0 < len(query_id) <= 64:
            raise EnvelopeRejected("malformed query id")
        now_ms = epoch_ms(self._clock())
        try:
            with self._writes.begin() as session:
                session.execute(
                    delete(AcceptedQueryRow).where(AcceptedQueryRow.expires_ms <= now_ms),
                    execution_options={"synchronize_session": False},
                )
                if session.get(AcceptedQueryRow, query_id) is not None:
                    raise EnvelopeRejected("replayed query")
                session.add(AcceptedQueryRow(query_id=query_id, expires_ms=epoch_ms(expires_at)))
        except IntegrityError:
            # A concurrent submit of the same id committed first.
            raise EnvelopeRejected("replayed query") from None
        except SQLAlchemyError as exc:
            raise StorageUnavailable("the broker database cannot record the query") from exc

    def __len__(self) -> int:
        """Return how many ids are remembered (expired ones until the next insert).

        Raises:
            StorageUnavailable: the database cannot be read.
        """
        try:
            with self._reads() as session:
                return session.scalar(select(func.count()).select_from(AcceptedQueryRow)) or 0
        except SQLAlchemyError as exc:
            raise StorageUnavailable("the broker database cannot be read") from exc

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()
