"""Follow-ups, hit rows and hit notices in the node's database (SQLite or PostgreSQL).

:class:`SqlFollowupStore` implements :class:`node.followup_store.FollowupStore`
with its own tables (``followups``, ``match_hits``, ``hit_notices``,
``followup_messages``) and reads the node's records and ledger tables. Hit
rows are the requester's own identifiers, kept only for its reveal queries'
hit rows so that an investigator can follow them up. Database errors become
:class:`~liaison.core.errors.StorageUnavailable`, with parameters hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, MetaData, String, Text, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.core.errors import InvalidInput, NotFound, StorageUnavailable
from liaison.core.records import Record, RecordField
from liaison.node.followup_model import (
    Followup,
    FollowupState,
    HitNotice,
    ReleasedRecord,
    Side,
    StoredHit,
    record_from_json,
    record_to_json,
)
from liaison.node.ledger.chain import Direction
from liaison.node.ledger.sql_store import LedgerRow
from liaison.node.record_rows import IdentifierKind, IdentifierRow, record_from_rows
from liaison.node.sql_tables import (
    DatasetRow,
    IdentifierValueRow,
    MatchKeyRow,
    RecordDetailRow,
    RecordRow,
    UtcDateTime,
)
from liaison.storage.migrate import NODE
from liaison.storage.sql import WRITE_OPTION, open_engine

__all__ = ["MAX_LISTED", "SqlFollowupStore"]

#: Most follow-ups (or hit notices) one listing returns, newest first.
MAX_LISTED = 500


class FollowupBase(DeclarativeBase):
    """Declarative base of the follow-up tables."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class FollowupRow(FollowupBase):
    """One follow-up on one side; JSON columns hold identifiers, refs and released fields."""

    __tablename__ = "followups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    side: Mapped[str] = mapped_column(String(8), primary_key=True)
    query_id: Mapped[str] = mapped_column(String(128))
    partner: Mapped[str] = mapped_column(String(64))
    dataset: Mapped[str] = mapped_column(String(64))
    row: Mapped[int] = mapped_column(Integer)
    row_ref: Mapped[str] = mapped_column(Text)
    investigator: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))
    identifiers: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str] = mapped_column(Text)
    matched_refs: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    officer: Mapped[str] = mapped_column(Text)
    handling: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    released: Mapped[str] = mapped_column(Text)
    overdue_flagged: Mapped[bool] = mapped_column(Boolean)


class MatchHitRow(FollowupBase):
    """A hit row of a query this node sent: the requester's own identifiers of that row."""

    __tablename__ = "match_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    query_id: Mapped[str] = mapped_column(String(128), index=True)
    partner: Mapped[str] = mapped_column(String(64))
    dataset: Mapped[str] = mapped_column(String(64))
    row: Mapped[int] = mapped_column(Integer)
    record: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str] = mapped_column(Text)


class HitNoticeRow(FollowupBase):
    """A hit notice received from a requester."""

    __tablename__ = "hit_notices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    requester: Mapped[str] = mapped_column(String(64))
    query_id: Mapped[str] = mapped_column(String(128))
    dataset: Mapped[str] = mapped_column(String(64))
    refs: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class SeenMessageRow(FollowupBase):
    """A follow-up message id accepted from a sender: a second delivery is a replay."""

    __tablename__ = "followup_messages"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(32), primary_key=True)


class SqlFollowupStore:
    """:class:`~node.followup_store.FollowupStore` over a SQLAlchemy URL (the node's database)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the follow-up tables if missing.

        Raises:
            ConfigError: the database cannot be opened.
        """
        self._engine = open_engine(url, FollowupBase.metadata, schema=NODE, durable=True)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def __enter__(self) -> SqlFollowupStore:
        """Return the store itself; ``close`` runs on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        factory = self._writes if write else self._reads
        try:
            with factory() as session, session.begin():
                yield session
        except (InvalidInput, NotFound):
            raise
        except IntegrityError:
            raise InvalidInput("a follow-up with this id exists already") from None
        except SQLAlchemyError as exc:
            raise StorageUnavailable("the follow-up tables cannot be used") from exc

    # -- hits ---------------------------------------------------------------

    def remember_hits(self, hits: Sequence[StoredHit]) -> None:
        """Keep the hit rows of a query this node sent."""
        with self._session(write=True) as session:
            session.add_all(
                MatchHitRow(
                    query_id=h.query_id,
                    partner=h.partner,
                    dataset=h.dataset,
                    row=h.row,
                    record=json.dumps(record_to_json(h.record)),
                    case_id=h.case_id,
                )
                for h in hits
            )

    def hits(self, query_id: str, partner: str, row: int) -> list[StoredHit]:
        """Return the kept hits of one row of one query at one partner."""
        with self._session() as session:
            rows = session.scalars(
                select(MatchHitRow).where(
                    MatchHitRow.query_id == query_id,
                    MatchHitRow.partner == partner,
                    MatchHitRow.row == row,
                )
            ).all()
            return [
                StoredHit(
                    r.query_id,
                    r.partner,
                    r.dataset,
                    r.row,
                    record_from_json(json.loads(r.record)),
                    r.case_id,
                )
                for r in rows
            ]

    # -- follow-ups ---------------------------------------------------------

    def add(self, followup: Followup) -> None:
        """Store a new follow-up."""
        with self._session(write=True) as session:
            session.add(FollowupRow(**_columns(followup)))

    def get(self, followup_id: str, side: Side) -> Followup:
        """Return a follow-up, or raise NotFound."""
        with self._session() as session:
            row = session.get(FollowupRow, (followup_id, side.value))
            if row is None:
                raise NotFound("no such follow-up")
            return _followup(row)

    def by_side(self, side: Side) -> list[Followup]:
        """Return one side's follow-ups, newest first (at most :data:`MAX_LISTED`)."""
        with self._session() as session:
            rows = session.scalars(
                select(FollowupRow)
                .where(FollowupRow.side == side.value)
                .order_by(FollowupRow.created_at.desc())
                .limit(MAX_LISTED)
            ).all()
            return [_followup(r) for r in rows]

    def update(self, followup: Followup) -> None:
        """Replace a stored follow-up."""
        with self._session(write=True) as session:
            row = session.get(FollowupRow, (followup.id, followup.side.value))
            if row is None:
                raise NotFound("no such follow-up")
            for name, value in _columns(followup).items():
                setattr(row, name, value)

    # -- notices and replays ------------------------------------------------

    def add_notice(self, notice: HitNotice) -> None:
        """Store a received hit notice."""
        with self._session(write=True) as session:
            session.add(
                HitNoticeRow(
                    id=notice.id,
                    requester=notice.requester,
                    query_id=notice.query_id,
                    dataset=notice.dataset,
                    refs=json.dumps(list(notice.refs)),
                    received_at=notice.received_at,
                )
            )

    def notices(self) -> list[HitNotice]:
        """Return the received hit notices, newest first (at most :data:`MAX_LISTED`)."""
        with self._session() as session:
            rows = session.scalars(
                select(HitNoticeRow).order_by(HitNoticeRow.received_at.desc()).limit(MAX_LISTED)
            ).all()
            return [
                HitNotice(
                    r.id,
                    r.requester,
                    r.query_id,
                    r.dataset,
                    tuple(json.loads(r.refs)),
                    r.received_at,
                )
                for r in rows
            ]

    def remember_message(self, sender: str, message_id: str) -> bool:
        """Remember a message id; False if it was seen before."""
        try:
            with self._session(write=True) as session:
                if session.get(SeenMessageRow, (sender, message_id)) is not None:
                    return False
                session.add(SeenMessageRow(sender=sender, message_id=message_id))
        except InvalidInput:
            return False  # a concurrent delivery of the same id committed first
        return True

    # -- reads of the node's other tables ------------------------------------

    def served(self, query_id: str, requester: str) -> tuple[str, list[str]]:
        """Return the case id and outcomes of this node's answers to that query of ``requester``."""
        with self._session() as session:
            rows = session.execute(
                select(LedgerRow.case_id, LedgerRow.outcome).where(
                    LedgerRow.query_id == query_id,
                    LedgerRow.direction == Direction.SERVED.value,
                    LedgerRow.counterpart == requester,
                )
            ).all()
        case_id = rows[0][0] if rows else ""
        return case_id, [outcome for _, outcome in rows]

    def records_with_keys(self, dataset: str, keys: Sequence[str]) -> list[str]:
        """Return the refs of the dataset's current records holding any of ``keys``."""
        if not keys:
            return []
        with self._session() as session:
            refs = session.scalars(
                select(RecordRow.ref)
                .join(MatchKeyRow, MatchKeyRow.record_id == RecordRow.id)
                .join(DatasetRow, DatasetRow.id == RecordRow.dataset_id)
                .where(DatasetRow.name == dataset, MatchKeyRow.value.in_(list(keys)))
                .distinct()
                .order_by(RecordRow.ref)
            ).all()
            return list(refs)

    def record(self, dataset: str, ref: str) -> Record | None:
        """Return a current record with its details, or None."""
        with self._session() as session:
            record_id = session.scalar(
                select(RecordRow.id)
                .join(DatasetRow, DatasetRow.id == RecordRow.dataset_id)
                .where(DatasetRow.name == dataset, RecordRow.ref == ref)
            )
            if record_id is None:
                return None
            values = session.execute(
                select(
                    IdentifierValueRow.kind, IdentifierValueRow.position, IdentifierValueRow.value
                ).where(IdentifierValueRow.record_id == record_id)
            ).all()
            details = session.execute(
                select(RecordDetailRow.name, RecordDetailRow.value)
                .where(RecordDetailRow.record_id == record_id)
                .order_by(RecordDetailRow.id)
            ).all()
        record = record_from_rows(
            ref, [IdentifierRow(IdentifierKind(k), p, v) for k, p, v in values]
        )
        return _with_details(record, tuple(RecordField(n, v) for n, v in details))

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()


def _with_details(record: Record, details: tuple[RecordField, ...]) -> Record:
    fields = {name: getattr(record, name) for name in record.__slots__}
    fields["details"] = details
    return Record(**fields)


def _columns(f: Followup) -> dict[str, Any]:
    return {
        "id": f.id,
        "side": f.side.value,
        "query_id": f.query_id,
        "partner": f.partner,
        "dataset": f.dataset,
        "row": f.row,
        "row_ref": f.row_ref,
        "investigator": f.investigator,
        "message": f.message,
        "created_at": f.created_at,
        "deadline": f.deadline,
        "state": f.state.value,
        "identifiers": json.dumps(record_to_json(f.identifiers)),
        "case_id": f.case_id,
        "matched_refs": json.dumps(list(f.matched_refs)),
        "answered_at": f.answered_at,
        "officer": f.officer,
        "handling": f.handling,
        "note": f.note,
        "reason": f.reason,
        "released": json.dumps(
            [
                {
                    "dataset": r.dataset,
                    "ref": r.ref,
                    "fields": [[x.name, x.value] for x in r.fields],
                }
                for r in f.released
            ]
        ),
        "overdue_flagged": f.overdue_flagged,
    }


def _followup(row: FollowupRow) -> Followup:
    released = tuple(
        ReleasedRecord(r["dataset"], r["ref"], tuple(RecordField(n, v) for n, v in r["fields"]))
        for r in json.loads(row.released)
    )
    return Followup(
        id=row.id,
        side=Side(row.side),
        query_id=row.query_id,
        partner=row.partner,
        dataset=row.dataset,
        row=row.row,
        row_ref=row.row_ref,
        investigator=row.investigator,
        message=row.message,
        created_at=row.created_at,
        deadline=row.deadline,
        state=FollowupState(row.state),
        identifiers=record_from_json(json.loads(row.identifiers)),
        case_id=row.case_id,
        matched_refs=tuple(json.loads(row.matched_refs)),
        answered_at=row.answered_at,
        officer=row.officer,
        handling=row.handling,
        note=row.note,
        reason=row.reason,
        released=released,
        overdue_flagged=row.overdue_flagged,
    )
