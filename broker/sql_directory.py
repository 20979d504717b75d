"""The agencies' signed directory entries in the broker's database.

One row per agency (table ``directory_entries``): the last entry its node
published, the signature and the certificate it was published with. The
broker serves them as they are; readers verify them (``crypto/directory_entry.py``).
"""

from __future__ import annotations

from sqlalchemy import LargeBinary, MetaData, String, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from liaison.core.errors import StorageUnavailable
from liaison.crypto.directory_entry import SignedEntry
from liaison.storage.sql import WRITE_OPTION, open_engine

__all__ = ["SqlDirectoryEntries"]


class EntryBase(DeclarativeBase):
    """Declarative base of the broker's directory table."""

    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})


class DirectoryEntryRow(EntryBase):
    """The last signed entry one agency published."""

    __tablename__ = "directory_entries"

    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    certificate: Mapped[bytes] = mapped_column(LargeBinary)


class SqlDirectoryEntries:
    """Signed entries by agency (SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the table if missing.

        Raises:
            ConfigError: the database cannot be opened.
        """
        self._engine = open_engine(url, EntryBase.metadata, durable=True, label="broker database")
        self._reads = sessionmaker(self._engine)
        self._writes = sessionmaker(self._engine.execution_options(**{WRITE_OPTION: True}))

    def put(self, agency: str, signed: SignedEntry) -> None:
        """Store ``agency``'s entry in place of the previous one.

        Raises:
            StorageUnavailable: the database failed.
        """
        try:
            with self._writes.begin() as session:
                session.merge(
                    DirectoryEntryRow(
                        agency=agency,
                        entry=signed.entry,
                        signature=signed.signature,
                        certificate=signed.certificate,
                    )
                )
        except SQLAlchemyError as exc:
            raise StorageUnavailable("the broker database cannot store the entry") from exc

    def all(self) -> dict[str, SignedEntry]:
        """Return every stored entry by agency.

        Raises:
            StorageUnavailable: the database failed.
        """
        try:
            with self._reads() as session:
                rows = session.scalars(select(DirectoryEntryRow)).all()
                return {r.agency: SignedEntry(r.entry, r.signature, r.certificate) for r in rows}
        except SQLAlchemyError as exc:
            raise StorageUnavailable("the broker database cannot be read") from exc

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()
