"""Agreements and their counters on SQLAlchemy: SQLite or PostgreSQL.

:class:`SqlAgreementStore` implements :class:`node.agreements.AgreementStore`
in the node's database (``[node] database``), in two tables of its own
metadata, created on open (like the ledger's): ``agreements`` (one row per
partner) and ``agreement_usage`` (per partner, the keys spent in the current
UTC day and the queries in the current minute).

A spend is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING``
per counter, in one transaction: the row is locked by the update itself
(PostgreSQL) or by the write lock taken up front (SQLite, ``BEGIN
IMMEDIATE``), and the ``WHERE`` refuses an update that would pass the limit,
so the check and the increment cannot be separated by another query.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    MetaData,
    String,
    Text,
    case,
    delete,
    false,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.errors import BudgetExhausted, InvalidInput, StorageUnavailable
from liaison.node.agreements import Agreement, AgreementMode, Usage
from liaison.node.sql_tables import UtcDateTime
from liaison.node.store import check_aware
from liaison.storage.sql import WRITE_OPTION, open_engine

_DAY: Final = "day"
_MINUTE: Final = "minute"


class AgreementBase(DeclarativeBase):
    """Declarative base of the agreement tables, apart from the node store's."""

    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})


class AgreementRow(AgreementBase):
    """One agreement; ``datasets`` and ``purposes`` are JSON arrays of text."""

    __tablename__ = "agreements"

    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    datasets: Mapped[str] = mapped_column(Text)
    purposes: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(8))
    max_keys_per_query: Mapped[int] = mapped_column(BigInteger)
    max_keys_per_day: Mapped[int] = mapped_column(BigInteger)
    queries_per_minute: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    hit_notices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class UsageRow(AgreementBase):
    """What one partner spent in the current window of one period (day or minute)."""

    __tablename__ = "agreement_usage"

    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    amount: Mapped[int] = mapped_column(BigInteger)


class SqlAgreementStore:
    """:class:`node.agreements.AgreementStore` over a SQLAlchemy URL (the node's ``database``)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the agreement tables if missing.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened (the message hides the password).
        """
        self._engine = open_engine(url, AgreementBase.metadata, durable=False)
        self._insert = (
            postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        )
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def __enter__(self) -> SqlAgreementStore:
        """Return the store itself; ``close`` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def put(self, agreement: Agreement) -> None:
        """Add or replace the agreement with its partner.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            session.merge(_row(agreement))

    def get(self, partner: str) -> Agreement | None:
        """Return the agreement with ``partner``, or None.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            row = session.get(AgreementRow, partner)
            return None if row is None else _agreement(row)

    def list(self) -> list[Agreement]:
        """Return every agreement, by partner.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            rows = session.scalars(select(AgreementRow).order_by(AgreementRow.partner)).all()
            return [_agreement(row) for row in rows]

    def remove(self, partner: str) -> bool:
        """Remove the agreement with ``partner`` and its counters; return whether one existed.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            session.execute(delete(UsageRow).where(UsageRow.partner == partner))
            removed = session.execute(delete(AgreementRow).where(AgreementRow.partner == partner))
            return bool(getattr(removed, "rowcount", 0))

    def spend(self, agreement: Agreement, keys: int, *, now: datetime) -> Usage:
        """Count one query of ``keys`` keys against the agreement's rate and daily budget.

        Raises:
            BudgetExhausted: the rate or the daily key budget would be exceeded
                (nothing is counted); its ``alert`` names the limit, what it
                allows, what the window holds and what the query asked.
            InvalidInput: ``keys`` below 1 or a naive ``now``.
            StorageUnavailable: the database failed.
        """
        if type(keys) is not int or keys < 1:
            raise InvalidInput("a query spends at least one key")
        minute, day = _windows(check_aware(now, "now"))
        with self._transaction(self._writes) as session:
            queries = self._add(
                session, agreement.partner, _MINUTE, minute, 1, agreement.queries_per_minute
            )
            if queries is None:
                used = self._current(session, agreement.partner, _MINUTE, minute)
                raise BudgetExhausted(
                    f"rate limit reached: the agreement allows "
                    f"{agreement.queries_per_minute} queries per minute",
                    alert=Alert(AlertLimit.PARTNER_RATE, agreement.queries_per_minute, used, 1),
                )
            spent = self._add(
                session, agreement.partner, _DAY, day, keys, agreement.max_keys_per_day
            )
            if spent is None:
                used = self._current(session, agreement.partner, _DAY, day)
                raise BudgetExhausted(
                    f"daily key budget exhausted: the agreement allows "
                    f"{agreement.max_keys_per_day} keys per day",
                    alert=Alert(
                        AlertLimit.DAILY_KEY_BUDGET, agreement.max_keys_per_day, used, keys
                    ),
                )
        return Usage(keys_today=spent, queries_this_minute=queries)

    def _add(
        self, session: Session, partner: str, period: str, start: datetime, amount: int, limit: int
    ) -> int | None:
        # The new total, or None if it would pass the limit (then nothing changed).
        if amount > limit:
            return None
        statement = self._insert(UsageRow).values(
            partner=partner, period=period, window_start=start, amount=amount
        )
        total = case(
            (UsageRow.window_start == statement.excluded.window_start, UsageRow.amount + amount),
            else_=amount,
        )
        upsert = statement.on_conflict_do_update(
            index_elements=[UsageRow.partner, UsageRow.period],
            set_={"amount": total, "window_start": statement.excluded.window_start},
            where=total <= limit,
        ).returning(UsageRow.amount)
        value: int | None = session.execute(upsert).scalar_one_or_none()
        return value

    def _current(self, session: Session, partner: str, period: str, start: datetime) -> int:
        # What the window starting at ``start`` holds (0 once a new window began).
        row = session.scalars(
            select(UsageRow).where(UsageRow.partner == partner, UsageRow.period == period)
        ).one_or_none()
        return row.amount if row is not None and row.window_start == start else 0

    def usage(self, partner: str, *, now: datetime) -> Usage:
        """Return what ``partner`` has spent in the current day and minute.

        Raises:
            InvalidInput: a naive ``now``.
            StorageUnavailable: the database failed.
        """
        minute, day = _windows(check_aware(now, "now"))
        with self._transaction(self._reads) as session:
            rows = session.scalars(select(UsageRow).where(UsageRow.partner == partner)).all()
            current = {
                row.period: row.amount
                for row in rows
                if row.window_start == (day if row.period == _DAY else minute)
            }
        return Usage(keys_today=current.get(_DAY, 0), queries_this_minute=current.get(_MINUTE, 0))

    @contextmanager
    def _transaction(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with factory() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageUnavailable(f"agreement database failed ({type(exc).__name__})") from exc


def _windows(now: datetime) -> tuple[datetime, datetime]:
    """Return the start of ``now``'s minute and of its UTC day."""
    utc = now.astimezone(UTC)
    minute = utc.replace(second=0, microsecond=0)
    day = utc.replace(hour=0, minute=0, second=0, microsecond=0)
    return minute, day


def _row(agreement: Agreement) -> AgreementRow:
    return AgreementRow(
        partner=agreement.partner,
        datasets=json.dumps(list(agreement.datasets)),
        purposes=json.dumps(list(agreement.purposes)),
        mode=agreement.mode.value,
        max_keys_per_query=agreement.max_keys_per_query,
        max_keys_per_day=agreement.max_keys_per_day,
        queries_per_minute=agreement.queries_per_minute,
        expires_at=agreement.expires_at,
        hit_notices=agreement.hit_notices,
    )


def _agreement(row: AgreementRow) -> Agreement:
    return Agreement(
        partner=row.partner,
        datasets=_strings(row.datasets),
        purposes=_strings(row.purposes),
        mode=AgreementMode(row.mode),
        max_keys_per_query=row.max_keys_per_query,
        max_keys_per_day=row.max_keys_per_day,
        queries_per_minute=row.queries_per_minute,
        expires_at=row.expires_at,
        hit_notices=bool(row.hit_notices),
    )


def _strings(text: str) -> tuple[str, ...]:
    value: Any = json.loads(text)
    return tuple(str(item) for item in value)
