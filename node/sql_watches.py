"""The node's standing watches on SQLAlchemy: tables ``watches`` and ``watch_hits``.

:class:`SqlWatchStore` implements :class:`node.watches.WatchStore` in the
node's database, with a metadata of its own created on open. A watch's rows
(the investigator's own query file) are kept as JSON in its row, on the
node only, to be matched again; they are never logged. ``watch_hits`` has
one row per (watch, partner, dataset, row) reported: its primary key is
what makes a hit reported once. Database errors become
:class:`~liaison.core.errors.StorageUnavailable` with parameters hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, MetaData, String, Text, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker, undefer

from liaison.core.errors import QuotaExceeded, StorageUnavailable
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.node.sql_tables import UtcDateTime
from liaison.node.watches import MAX_LIVE_WATCHES, RunRecord, Seen, Watch, WatchHit, WatchState
from liaison.storage.migrate import NODE
from liaison.storage.sql import WRITE_OPTION, open_engine


class WatchesBase(DeclarativeBase):
    """Declarative base of the watch tables, apart from the node store's."""

    metadata = MetaData(
        naming_convention={"pk": "pk_%(table_name)s", "ix": "ix_%(table_name)s_%(column_0_N_name)s"}
    )


class WatchRow(WatchesBase):
    """A standing watch: justification, rows (JSON), state and what it last saw."""

    __tablename__ = "watches"

    watch_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    case_id: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    partners: Mapped[str] = mapped_column(Text)
    records: Mapped[str] = mapped_column(Text, deferred=True)
    row_count: Mapped[int] = mapped_column(Integer)
    key_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_query_id: Mapped[str] = mapped_column(String(64), default="")
    last_outcome: Mapped[str] = mapped_column(Text, default="")
    seen: Mapped[str] = mapped_column(Text, default="[]")
    retry_after: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_by: Mapped[str] = mapped_column(String(128), default="")


class WatchHitRow(WatchesBase):
    """A hit reported for a watch, once per partner dataset and row."""

    __tablename__ = "watch_hits"

    watch_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    dataset: Mapped[str] = mapped_column(String(128), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(Text)
    keys: Mapped[str] = mapped_column(Text)
    strength: Mapped[str] = mapped_column(String(16))
    query_id: Mapped[str] = mapped_column(String(64))
    found_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seq: Mapped[int] = mapped_column(BigInteger)


class SqlWatchStore:
    """:class:`node.watches.WatchStore` over a SQLAlchemy URL (the node's ``database``)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the watch tables if missing.

        Raises:
            ConfigError: the database cannot be opened.
        """
        self._engine = open_engine(url, WatchesBase.metadata, schema=NODE, durable=False)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def add(self, watch: Watch) -> None:
        """Store a new watch.

        Raises:
            QuotaExceeded: the node holds the most live watches it keeps.
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            live = session.scalar(
                select(func.count()).select_from(WatchRow).where(WatchRow.state == "live")
            )
            if (live or 0) >= MAX_LIVE_WATCHES:
                raise QuotaExceeded(f"this node keeps at most {MAX_LIVE_WATCHES} live watches")
            session.add(_row(watch))

    def get(self, watch_id: str) -> Watch | None:
        """Return a watch, or None."""
        with self._transaction(self._reads) as session:
            row = session.get(WatchRow, watch_id, options=[undefer(WatchRow.records)])
            return None if row is None else _watch(row, with_records=True)

    def listed(self, owner: str | None = None) -> list[Watch]:
        """Return every watch (of ``owner`` if given), oldest first."""
        query = select(WatchRow)
        if owner is not None:
            query = query.where(WatchRow.owner == owner)
        with self._transaction(self._reads) as session:
            rows = session.scalars(query.order_by(WatchRow.created_at, WatchRow.watch_id)).all()
            return [_watch(row) for row in rows]

    def live(self) -> list[Watch]:
        """Return the live watches, oldest first."""
        query = select(WatchRow).where(WatchRow.state == WatchState.LIVE.value)
        with self._transaction(self._reads) as session:
            rows = session.scalars(query.order_by(WatchRow.created_at, WatchRow.watch_id)).all()
            return [_watch(row) for row in rows]

    def record_run(self, watch_id: str, run: RunRecord) -> tuple[WatchHit, ...]:
        """Store a run of a live watch; return the hits it had not reported before.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            row = session.get(WatchRow, watch_id, with_for_update=True)
            if row is None or row.state != WatchState.LIVE.value:
                return ()  # ended meanwhile: nothing is reported
            known = {
                (h.agency, h.dataset, h.row)
                for h in session.scalars(
                    select(WatchHitRow).where(WatchHitRow.watch_id == watch_id)
                )
            }
            seq = len(known)
            new: list[WatchHit] = []
            for hit in run.hits:
                key = (hit.agency, hit.dataset, hit.row)
                if key in known:
                    continue
                known.add(key)
                session.add(_hit_row(watch_id, hit, seq))
                seq += 1
                new.append(hit)
            row.runs += 1
            row.hits += len(new)
            row.last_run_at = run.run_at
            row.last_query_id = run.query_id
            row.last_outcome = run.outcome[:2000]
            row.seen = _seen_json(run.seen)
            row.retry_after = run.retry_after
            return tuple(new)

    def end(self, watch_id: str, state: WatchState, *, at: datetime, by: str) -> bool:
        """Move a live watch to ``state``; return False if it was not live.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            row = session.get(WatchRow, watch_id, with_for_update=True)
            if row is None or row.state != WatchState.LIVE.value:
                return False
            row.state = state.value
            row.ended_at = at
            row.ended_by = by
            return True

    def hits(self, watch_id: str) -> list[WatchHit]:
        """Return the hits reported for a watch, in the order found."""
        query = select(WatchHitRow).where(WatchHitRow.watch_id == watch_id)
        with self._transaction(self._reads) as session:
            return [_hit(r) for r in session.scalars(query.order_by(WatchHitRow.seq))]

    @contextmanager
    def _transaction(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with factory() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageUnavailable(f"watch database failed ({type(exc).__name__})") from exc


def _records_json(records: tuple[Record, ...]) -> str:
    return json.dumps([asdict(r) for r in records], ensure_ascii=False)


def _records(text: str) -> tuple[Record, ...]:
    items: list[dict[str, Any]] = json.loads(text)
    return tuple(_record(item) for item in items)


def _record(item: dict[str, Any]) -> Record:
    def values(name: str) -> tuple[str, ...]:
        return tuple(str(v) for v in item.get(name, ()))

    return Record(
        ref=str(item.get("ref", "")),
        full_name=str(item.get("full_name", "")),
        date_of_birth=str(item.get("date_of_birth", "")),
        nationality=str(item.get("nationality", "")),
        document_numbers=values("document_numbers"),
        document_countries=values("document_countries"),
        national_ids=values("national_ids"),
        phones=values("phones"),
        emails=values("emails"),
        ibans=values("ibans"),
        wallets=values("wallets"),
        aliases=values("aliases"),
    )


def _seen_json(seen: Seen) -> str:
    return json.dumps(sorted([a, d, v] for (a, d), v in seen.items()))


def _seen(text: str) -> dict[tuple[str, str], int]:
    return {(a, d): int(v) for a, d, v in json.loads(text)}


def _row(watch: Watch) -> WatchRow:
    j = watch.justification
    return WatchRow(
        watch_id=watch.watch_id,
        owner=j.investigator_id,
        case_id=j.case_id,
        purpose=j.purpose,
        legal_basis=j.legal_basis,
        partners=json.dumps(list(watch.partners)),
        records=_records_json(watch.records),
        row_count=watch.row_count,
        key_count=watch.key_count,
        created_at=watch.created_at,
        until=watch.until,
        state=watch.state.value,
        runs=watch.runs,
        hits=watch.hits,
        last_run_at=watch.last_run_at,
        last_query_id=watch.last_query_id,
        last_outcome=watch.last_outcome,
        seen=_seen_json(watch.seen),
        retry_after=watch.retry_after,
        ended_at=watch.ended_at,
        ended_by=watch.ended_by,
    )


def _watch(row: WatchRow, *, with_records: bool = False) -> Watch:
    partners: Any = json.loads(row.partners)
    return Watch(
        watch_id=row.watch_id,
        justification=Justification(row.case_id, row.purpose, row.legal_basis, row.owner),
        partners=tuple(str(p) for p in partners),
        records=_records(row.records) if with_records else (),
        row_count=row.row_count,
        key_count=row.key_count,
        created_at=row.created_at,
        until=row.until,
        state=WatchState(row.state),
        runs=row.runs,
        hits=row.hits,
        last_run_at=row.last_run_at,
        last_query_id=row.last_query_id,
        last_outcome=row.last_outcome,
        seen=_seen(row.seen),
        retry_after=row.retry_after,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


def _hit_row(watch_id: str, hit: WatchHit, seq: int) -> WatchHitRow:
    return WatchHitRow(
        watch_id=watch_id,
        agency=hit.agency,
        dataset=hit.dataset,
        row=hit.row,
        ref=hit.ref,
        keys=",".join(hit.keys),
        strength=hit.strength.value,
        query_id=hit.query_id,
        found_at=hit.found_at,
        seq=seq,
    )


def _hit(row: WatchHitRow) -> WatchHit:
    return WatchHit(
        agency=row.agency,
        dataset=row.dataset,
        row=row.row,
        ref=row.ref,
        keys=tuple(k for k in row.keys.split(",") if k),
        strength=KeyStrength(row.strength),
        query_id=row.query_id,
        found_at=row.found_at,
    )
