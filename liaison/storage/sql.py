"""Opening databases: the SQLAlchemy boundary shared by every SQL store.

The node's store and ledger and the broker's audit log all open an engine
the same way: any SQLAlchemy URL, errors that never echo a password or a
stored value, and on SQLite the settings that let one process write while
others read. Only ``sql_*`` modules import this.
"""

from __future__ import annotations

import os
from typing import Any, Final

from sqlalchemy import Engine, MetaData, create_engine, event, inspect
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from liaison.core.errors import ConfigError
from liaison.core.files import PRIVATE_FILE_MODE
from liaison.storage.migrate import Revisions, Schema, ensure_current, head_revision, upgrade

#: How long a SQLite writer waits for another one before failing.
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
#: Execution option marking a writer's transactions (``BEGIN IMMEDIATE`` on SQLite).
WRITE_OPTION: Final = "liaison_write"


def open_engine(
    url: str, metadata: MetaData, *, schema: Schema, durable: bool, label: str = "database"
) -> Engine:
    """Create an engine, configure SQLite, bring a new database to the current schema.

    The schema comes from the migrations of ``schema`` (``liaison.storage.migrate``):
    an empty database is created at the head revision, one behind it is
    refused with the command that upgrades it.

    Args:
        url: any SQLAlchemy URL.
        metadata: the caller's tables; each must exist once migrated (a table
            added to a model without its migration fails here, by name).
        schema: the chain of migrations of this database (node or broker).
        durable: audit records: on SQLite, sync the WAL at every commit
            (``synchronous=FULL``) so a committed row survives power loss.
        label: how errors name the database ("audit database", ...).

    Raises:
        ConfigError: bad URL, missing driver, database unreachable, or
            schema behind; the message hides the password.
    """
    engine, shown = _create_engine(url, durable=durable, label=label)
    try:
        ensure_current(engine, schema, shown=shown, label=label)
        _check_tables(engine, metadata, schema, label)
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_database(url: str, schema: Schema, *, label: str = "database") -> Revisions:
    """Apply the migrations a database lacks (``liaison node|broker db upgrade``).

    Returns:
        The revision it was at (None: new, or made before migrations) and the head.

    Raises:
        ConfigError: the URL is unusable or the database unreachable.
    """
    engine, shown = _create_engine(url, durable=True, label=label)
    try:
        return upgrade(engine, schema)
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot upgrade {label} {shown}: {type(exc).__name__}") from exc
    finally:
        engine.dispose()


def _create_engine(url: str, *, durable: bool, label: str) -> tuple[Engine, str]:
    """Return the engine of ``url`` with the SQLite settings, and the URL as shown."""
    try:
        parsed: URL = make_url(url)
    except ArgumentError as exc:
        # Not echoed: a malformed URL may still contain a password.
        raise ConfigError(f"{label} URL is malformed") from exc
    shown = parsed.render_as_string(hide_password=True)
    _create_private_sqlite_file(parsed)
    try:
        # hide_parameters: DBAPI errors would otherwise quote stored values.
        engine = create_engine(parsed, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"cannot open {label} {shown}: unsupported URL or driver") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings(durable=durable))
        event.listen(engine, "begin", _sqlite_begin)
    return engine, shown


def _check_tables(engine: Engine, metadata: MetaData, schema: Schema, label: str) -> None:
    try:
        present = set(inspect(engine).get_table_names())
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot open {label}") from exc
    missing = sorted(set(metadata.tables) - present)
    if missing:
        raise ConfigError(
            f"{label}: table {missing[0]} is missing at schema revision "
            f"{head_revision(schema)}: no migration creates it (docs/storage.md, 'Migrations')"
        )


def _create_private_sqlite_file(parsed: URL) -> None:
    """Create a new SQLite file empty and 0600 before SQLite creates it by the umask.

    SQLite gives the -wal and -shm files the mode of the database file. An
    existing file is left as it is; a failure here is left to the open that
    follows, which reports it.
    """
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return  # a URI filename: SQLite parses it, we do not
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except OSError:
        return


def _sqlite_settings(*, durable: bool) -> Any:
    def connect(dbapi_connection: Any, connection_record: object) -> None:
        # Python's sqlite3 (before 3.12's autocommit attribute) would issue
        # BEGIN itself, lazily and never before a SELECT; _sqlite_begin does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # First, so that switching to WAL waits for a busy file like the rest.
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            # WAL: readers (servers, auditors) are not blocked by the writer.
            cursor.execute("PRAGMA journal_mode=WAL")
            # Off by default in SQLite; our foreign keys cascade.
            cursor.execute("PRAGMA foreign_keys=ON")
            if durable:
                # NORMAL, WAL's usual setting, may lose the last commits on power loss.
                cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    return connect


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock up front (IMMEDIATE): a deferred
    # transaction that reads first cannot upgrade once another writer has
    # committed, and would fail at once instead of waiting busy_timeout; and
    # the last index or sequence number it reads stays the last until it commits.
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
