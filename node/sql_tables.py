"""The node's tables, as SQLAlchemy 2 typed ORM classes (used by :mod:`node.sql_store`).

Created by the migrations of ``liaison.storage.migrations.node`` (Alembic),
which address constraints by their fixed names; a change here needs a new
migration (``docs/storage.md``, "Migrations"). ``docs/storage.md`` describes what each table holds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from liaison.node.store import MAX_REF_LENGTH, check_aware


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


class RecordDetailRow(Base):
    """A ``release.*`` or ``source.*`` field of a record (docs/input-format.md); never a key."""

    __tablename__ = "record_details"
    __table_args__ = (UniqueConstraint("record_id", "name"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(_BigId, ForeignKey("records.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
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


class KeyEpochRow(Base):
    """A PSI server key rotation: the epoch it started and the version it began at.

    Epoch 0 (the key a dataset was created with) has no row.
    """

    __tablename__ = "key_epochs"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    epoch: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    started_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(32))


class KeyRotationClaimRow(Base):
    """A rotation in progress: who builds the next epoch's filter, and until when.

    One row per dataset at most (the primary key), so two processes never
    build the same dataset's next epoch at once; an expired claim (its
    builder died) may be taken over.
    """

    __tablename__ = "key_rotation_claims"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class RecordElementsRow(Base):
    """A record's keys encrypted under one key epoch's server key: the filter's curve work, kept.

    ``elements`` is the record's distinct encrypted keys (33-byte points),
    sorted and concatenated; ``content_hash`` is the record's hash when they
    were computed, so that a rotation that raced an import detects stale rows.
    """

    __tablename__ = "record_elements"
    __table_args__ = (Index(None, "dataset_id", "epoch"),)

    record_id: Mapped[int] = mapped_column(
        _BigId, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    epoch: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    elements: Mapped[bytes]


def table_of(model: type[Base]) -> Table:
    """Return a model's Core table, for bulk inserts that skip the ORM's per-row work."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class StagedRecordRow(Base):
    """A new or changed record of an import in progress, committed batch by batch.

    Applied to the live tables in the import's last transaction, then
    deleted (``node/sql_staging.py``). ``record_id`` is the live record a
    changed row replaces (None: a new record); ``elements`` its keys
    encrypted under key epoch ``epoch`` (None without a filter build).
    """

    __tablename__ = "staged_records"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    ref: Mapped[str] = mapped_column(String(MAX_REF_LENGTH), primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int | None] = mapped_column(_BigId)
    epoch: Mapped[int | None]
    elements: Mapped[bytes | None]


class StagedIdentifierRow(Base):
    """An identifier value of a staged record (see :class:`IdentifierValueRow`)."""

    __tablename__ = "staged_identifiers"
    __table_args__ = (Index(None, "token"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(MAX_REF_LENGTH))
    kind: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    value: Mapped[str] = mapped_column(Text)


class StagedDetailRow(Base):
    """A ``release.*`` or ``source.*`` field of a staged record (see :class:`RecordDetailRow`)."""

    __tablename__ = "staged_details"
    __table_args__ = (Index(None, "token"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(MAX_REF_LENGTH))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)


class StagedKeyRow(Base):
    """A match key of a staged record (see :class:`MatchKeyRow`)."""

    __tablename__ = "staged_keys"
    __table_args__ = (Index(None, "token"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(MAX_REF_LENGTH))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    key_spec: Mapped[str] = mapped_column(String(64))


class ImportClaimRow(Base):
    """An import in progress: one per dataset, so that imports into it run one at a time.

    An import's batches commit as they go, so the dataset's row lock no
    longer serialises imports; this row does, across processes. An
    expired claim (its importer died) is taken over, its staged rows dropped.
    """

    __tablename__ = "import_claims"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime]
