"""The node's users on SQLAlchemy: table ``local_users``, SQLite or PostgreSQL.

:class:`SqlUserStore` implements :class:`node.users.UserStore` in the node's
database (``[node] database``), with a metadata of its own created on open,
like the ledger. Every authentication reads the row afresh: no cache, so a
disabled or removed user is refused at the very next call. Database errors
become :class:`~liaison.core.errors.StorageUnavailable` with statement
parameters hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Boolean, MetaData, String, Text, delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from liaison.core.errors import InvalidInput, NotFound, StorageUnavailable
from liaison.node.sql_tables import UtcDateTime
from liaison.node.users import LocalRole, User
from liaison.storage.migrate import NODE
from liaison.storage.sql import WRITE_OPTION, open_engine


class UsersBase(DeclarativeBase):
    """Declarative base of the users table, apart from the node store's."""

    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})


class UserRow(UsersBase):
    """A person's credential: role, state and the scrypt hash of the token's secret."""

    __tablename__ = "local_users"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    secret_hash: Mapped[str] = mapped_column(Text)


class SqlUserStore:
    """:class:`node.users.UserStore` over a SQLAlchemy URL (the node's ``database``)."""

    def __init__(self, url: str) -> None:
        """Open the database and create the users table if missing.

        Raises:
            ConfigError: the URL is malformed, its driver is missing, or the
                database cannot be opened (the message hides the password).
        """
        self._engine = open_engine(url, UsersBase.metadata, schema=NODE, durable=False)
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()

    def add_user(self, user: User) -> None:
        """Store a new user.

        Raises:
            InvalidInput: a user of that name exists.
            StorageUnavailable: the database failed.
        """
        try:
            with self._transaction(self._writes) as session:
                if session.get(UserRow, user.name) is not None:
                    raise InvalidInput("a user of that name exists")
                session.add(
                    UserRow(
                        name=user.name,
                        role=user.role.value,
                        enabled=user.enabled,
                        created_at=user.created_at,
                        secret_hash=user.secret_hash,
                    )
                )
        except IntegrityError as exc:
            raise InvalidInput("a user of that name exists") from exc

    def get_user(self, name: str) -> User | None:
        """Return the user of that name, or None.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            row = session.get(UserRow, name)
            return None if row is None else _user(row)

    def list_users(self) -> list[User]:
        """Return every user, by name.

        Raises:
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._reads) as session:
            return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Enable or disable a user.

        Raises:
            NotFound: no such user.
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            changed = session.execute(
                update(UserRow).where(UserRow.name == name).values(enabled=enabled)
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                raise NotFound("no user of that name")

    def remove_user(self, name: str) -> None:
        """Delete a user.

        Raises:
            NotFound: no such user.
            StorageUnavailable: the database failed.
        """
        with self._transaction(self._writes) as session:
            removed = session.execute(delete(UserRow).where(UserRow.name == name))
            if removed.rowcount != 1:  # type: ignore[attr-defined]
                raise NotFound("no user of that name")

    @contextmanager
    def _transaction(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with factory() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StorageUnavailable(f"user database failed ({type(exc).__name__})") from exc


def _user(row: UserRow) -> User:
    return User(row.name, LocalRole(row.role), row.enabled, row.created_at, row.secret_hash)
