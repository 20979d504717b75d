"""The node's notices on SQLAlchemy: table ``notices``, SQLite or PostgreSQL.

:class:`SqlNoticeStore` implements :class:`node.notices.NoticeStore` in the
node's database, with a metadata of its own created on open, like the users.
Database errors become :class:`~liaison.core.errors.StorageUnavailable` with
statement parameters hidden.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, MetaData, String, Text, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.core.errors import StorageUnavailable
from liaison.node.notices import Notice
from liaison.node.sql_tables import UtcDateTime
from liaison.storage.migrate import NODE
from liaison.storage.sql import WRITE_OPTION, open_engine


class NoticesBase(DeclarativeBase):
    """Declarative base of the notices table, apart from the node store's."""

    metadata = MetaData(
        naming_convention={"pk": "pk_%(table_name)s", "ix": "ix_%(table_name)s_%(column_0_N_name)s"}
    )


class NoticeRow(NoticesBase):
    """One notice to one user."""

    __tablename__ = "notices"
    __table_args__ = (Index(None, "recipient", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    recipient: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SqlNoticeStore:
    """:class:`node.notices.NoticeStore` over a SQLAlchemy URL (the node's ``database``)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the notices table if missing.

        Raises:
            ConfigError: the database cannot be opened.
        """
        self._engine = open_engine(url, NoticesBase.metadata, schema=NODE, durable=False)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def add(
        self,
        *,
        recipient: str,
        kind: str,
        case_id: str,
        reference: str,
        text: str,
        created_at: datetime,
    ) -> Notice:
        """Store a new, unread notice; return it with its id.

        Raises:
            StorageUnavailable: the database failed.
        """
        row = NoticeRow(
            recipient=recipient,
            kind=kind,
            case_id=case_id,
            reference=reference,
            text=text,
            created_at=created_at,
        )
        with self._transaction(self._writes) as session:
            session.add(row)
            session.flush()
            return _notice(row)

    def for_recipient(self, recipient: str, *, unread_only: bool, limit: int) -> list[Notice]:
        """Return a user's notices, newest first, at most ``limit``.

        Raises:
            StorageUnavailable: the database failed.
        """
        query = select(NoticeRow).where(NoticeRow.recipient == recipient)
        if unread_only:
            query = query.where(NoticeRow.read_at.is_(None))
        with self._transaction(self._reads) as session:
            rows = session.scalars(query.order_by(NoticeRow.id.desc()).limit(limit)).all()
            return [_notice(row) for row in rows]

    def mark_read(self, notice_ids: Sequence[int], *, at: datetime) -> None:
        """Set ``read_at`` of those notices that are still unread.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            session.execute(
                update(NoticeRow)
                .where(NoticeRow.id.in_(list(notice_ids)), NoticeRow.read_at.is_(None))
                .values(read_at=at)
            )

    @contextmanager
    def _transaction(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with factory() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageUnavailable(f"notices database failed ({type(exc).__name__})") from exc


def _notice(row: NoticeRow) -> Notice:
    return Notice(
        notice_id=row.id,
        recipient=row.recipient,
        kind=row.kind,
        case_id=row.case_id,
        reference=row.reference,
        text=row.text,
        created_at=row.created_at,
        read_at=row.read_at,
    )
