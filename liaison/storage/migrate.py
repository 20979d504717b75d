"""Schema versions: the Alembic chains of the node's and the broker's databases.

Every store opens its engine through :func:`liaison.storage.sql.open_engine`,
which calls :func:`ensure_current`: an empty database is brought to the head
revision there and then (a new node or broker needs no extra step), one at
the head is used as it is, and one that is behind (or that an older release
created without migrations) is refused with the command that upgrades it.
Upgrading is explicit (``liaison node db upgrade``, ``liaison broker db
upgrade``) because an operator backs the database up first.

The migrations run in one transaction under a lock (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL), so two processes opening a new
database at once create it once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from liaison.core.errors import ConfigError

_MIGRATIONS: Final = Path(__file__).resolve().parent / "migrations"
#: Execution option that makes a SQLite transaction ``BEGIN IMMEDIATE`` (see sql.py).
_WRITE_OPTION: Final = "liaison_write"


@dataclass(frozen=True, slots=True)
class Schema:
    """One database's chain of migrations."""

    #: "node" or "broker": names the folder and the command that upgrades.
    name: str
    #: Tables the releases before migrations created: their presence without
    #: a version row marks a database made by ``create_all``.
    legacy_tables: frozenset[str]
    #: Key of the PostgreSQL advisory lock taken while migrating.
    lock_key: int

    @property
    def folder(self) -> Path:
        """The folder of this chain's revision files."""
        return _MIGRATIONS / self.name

    @property
    def version_table(self) -> str:
        """The table holding the revision (its own per chain: a node and a
        broker may share one PostgreSQL database)."""
        return f"liaison_{self.name}_version"

    @property
    def upgrade_command(self) -> str:
        """The command an operator runs to upgrade."""
        return f"liaison {self.name} db upgrade --config {self.name}.toml"


NODE: Final = Schema(
    "node",
    frozenset({"datasets", "records", "ledger_entries", "local_users", "agreements"}),
    lock_key=0x4C49_4E4F,
)
BROKER: Final = Schema(
    "broker", frozenset({"audit_entries", "accepted_queries"}), lock_key=0x4C49_4252
)


@dataclass(frozen=True, slots=True)
class Revisions:
    """Where a database stands: its revision (None: unversioned) and the head."""

    current: str | None
    head: str
    #: Tables of the schema exist although no revision is recorded.
    legacy: bool = False

    @property
    def behind(self) -> bool:
        """Whether an upgrade has something to do."""
        return self.current != self.head


@functools.cache
def _scripts(schema: Schema) -> ScriptDirectory:
    # Read once per process: every store's open asks for the head.
    return ScriptDirectory(str(schema.folder), version_locations=[str(schema.folder)])


def head_revision(schema: Schema) -> str:
    """Return the newest revision of the chain (it has exactly one head)."""
    head = _scripts(schema).get_current_head()
    if head is None:
        raise ConfigError(f"the {schema.name} migrations are missing")
    return head


def revisions(connection: Connection, schema: Schema) -> Revisions:
    """Read where the database on ``connection`` stands (a plain read: no Alembic context)."""
    tables = set(inspect(connection).get_table_names())
    current = None
    if schema.version_table in tables:
        query = text(f"SELECT version_num FROM {schema.version_table}")
        current = connection.execute(query).scalar_one_or_none()
    legacy = current is None and bool(schema.legacy_tables & tables)
    return Revisions(current, head_revision(schema), legacy)


def ensure_current(engine: Engine, schema: Schema, *, shown: str, label: str) -> None:
    """Create the schema of an empty database; refuse one that is behind.

    Raises:
        ConfigError: the database is behind the head, or ahead of it (a newer
            release wrote it), or cannot be read; the message says what to run.
    """
    try:
        with engine.connect() as connection:
            state = revisions(connection, schema)
        if state.current is None and not state.legacy:
            upgrade(engine, schema)
            return
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot open {label} {shown}") from exc
    if not state.behind:
        return
    if state.current is not None and state.current not in _known(schema):
        raise ConfigError(
            f"{label} {shown} is at schema revision {state.current}, which this release "
            "does not know: it was written by a newer release of Liaison"
        )
    where = "was created before migrations" if state.legacy else f"is at {state.current}"
    raise ConfigError(
        f"{label} {shown} {where}; this release needs schema revision {state.head}: "
        f"back it up, then run '{schema.upgrade_command}'"
    )


def _known(schema: Schema) -> set[str]:
    return {script.revision for script in _scripts(schema).walk_revisions()}


def upgrade(engine: Engine, schema: Schema) -> Revisions:
    """Apply every migration the database lacks, in one locked transaction.

    Returns:
        Where the database stood before (``current``) and the head it is at now.
    """
    scripts = _scripts(schema)
    config = Config()
    config.set_main_option("script_location", str(schema.folder))
    options = {_WRITE_OPTION: True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            connection.execute(lock, {"key": schema.lock_key})
        before = revisions(connection, schema)

        def steps(rev: object, context: MigrationContext) -> list[object]:
            return list(scripts._upgrade_revs("head", rev))  # type: ignore[arg-type]

        with EnvironmentContext(config, scripts, fn=steps) as environment:
            environment.configure(
                connection=connection,
                version_table=schema.version_table,
                transactional_ddl=True,
            )
            environment.run_migrations()
    return before
