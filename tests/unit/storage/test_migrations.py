"""Schema migrations: new databases at the head, old ones upgraded with their data.

The fixtures in ``tests/data/schema`` are dumps of databases that the last
release before migrations made with ``create_all`` (a node that answered a
federated match, and its broker), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, text

from liaison.broker.audit.sql_store import AuditBase, SqlAuditStore
from liaison.broker.sql_directory import EntryBase
from liaison.broker.sql_replay import ReplayBase, SqlReplayGuard
from liaison.cli.main import main
from liaison.core.errors import ConfigError
from liaison.node.agreements import Agreement
from liaison.node.ledger.sql_store import LedgerBase, SqlLedgerStore
from liaison.node.sql_agreements import AgreementBase, SqlAgreementStore
from liaison.node.sql_followups import FollowupBase
from liaison.node.sql_notices import NoticesBase
from liaison.node.sql_store import SqlNodeStore
from liaison.node.sql_tables import Base
from liaison.node.sql_users import SqlUserStore, UsersBase
from liaison.node.sql_watches import WatchesBase
from liaison.storage.migrate import BROKER, NODE, Schema, head_revision
from liaison.storage.sql import upgrade_database

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "schema"
NODE_MODELS = (
    Base.metadata,
    UsersBase.metadata,
    AgreementBase.metadata,
    LedgerBase.metadata,
    WatchesBase.metadata,
    NoticesBase.metadata,
    FollowupBase.metadata,
)
BROKER_MODELS = (AuditBase.metadata, ReplayBase.metadata, EntryBase.metadata)


def load_fixture(url: str, name: str, backend: str) -> None:
    """Fill an empty database with a fixture dump, as the old release left it."""
    script = (FIXTURES / f"{name}-before-migrations.{backend}.sql").read_text()
    if backend == "sqlite":
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            connection.executescript(script)
        finally:
            connection.close()
        return
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(script)
    finally:
        engine.dispose()


def existing_columns(url: str, tables: set[str]) -> dict[str, list[str]]:
    """The columns each of ``tables`` has now (tables it lacks are left out)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {
                table: [column["name"] for column in found.get_columns(table)]
                for table in sorted(tables)
                if found.has_table(table)
            }
    finally:
        engine.dispose()


def table_digests(url: str, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the sorted rows of each table, over the given columns.

    Columns a later migration adds are left out, so the digest compares what
    the fixture held before the upgrade with what it holds after.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            digests = {}
            for table, names in columns.items():
                listed = ", ".join(f'"{name}"' for name in names)
                rows = sorted(
                    repr(tuple(row)) for row in conn.execute(text(f"SELECT {listed} FROM {table}"))
                )
                digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            return digests
    finally:
        engine.dispose()


def schema_differences(url: str, models: tuple[MetaData, ...], schema: Schema) -> list[object]:
    """What autogenerate would change to make the database match the models."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _: name != schema.version_table,
                },
            )
            return list(compare_metadata(context, _combined(models)))
    finally:
        engine.dispose()


def _combined(models: tuple[MetaData, ...]) -> MetaData:
    """One metadata of every store's tables (they share one database)."""
    combined = MetaData()
    for metadata in models:
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def revision(url: str, schema: Schema) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": schema.version_table})
            return ctx.get_current_revision()
    finally:
        engine.dispose()


def test_a_new_node_database_is_created_at_the_head_and_matches_the_models(db_url: str) -> None:
    for store_class in (SqlNodeStore, SqlUserStore, SqlAgreementStore, SqlLedgerStore):
        store_class(db_url).close()
    assert revision(db_url, NODE) == head_revision(NODE)
    assert schema_differences(db_url, NODE_MODELS, NODE) == []


def test_a_new_broker_database_is_created_at_the_head_and_matches_the_models(db_url: str) -> None:
    SqlAuditStore(db_url).close()
    SqlReplayGuard(db_url).close()
    assert revision(db_url, BROKER) == head_revision(BROKER)
    assert schema_differences(db_url, BROKER_MODELS, BROKER) == []


def test_a_node_database_from_before_migrations_is_refused_until_upgraded(
    db_url: str, db_backend: str
) -> None:
    load_fixture(db_url, "node", db_backend)
    tables = existing_columns(db_url, {t for m in NODE_MODELS for t in m.tables})
    before = table_digests(db_url, tables)
    with pytest.raises(ConfigError, match=r"created before migrations.*liaison node db upgrade"):
        SqlNodeStore(db_url)
    assert revision(db_url, NODE) is None  # refusing changed nothing

    upgraded = upgrade_database(db_url, NODE)

    assert (upgraded.current, upgraded.legacy) == (None, True)
    assert revision(db_url, NODE) == head_revision(NODE)
    assert table_digests(db_url, tables) == before
    assert schema_differences(db_url, NODE_MODELS, NODE) == []
    with SqlNodeStore(db_url) as store:
        [dataset] = store.list_datasets()
        assert (dataset.name, dataset.records) == ("watchlist", 40)
        assert store.key_count("watchlist") > 0
    with SqlAgreementStore(db_url) as agreements:
        assert [a.partner for a in agreements.list()] == ["FR"]
        agreements.put(Agreement("TR", datasets=("*",), purposes=("*",)))
    ledger = SqlLedgerStore(db_url)
    try:
        assert len(ledger.all()) == 1
    finally:
        ledger.close()


def test_a_broker_database_from_before_migrations_upgrades_with_its_log_intact(
    db_url: str, db_backend: str
) -> None:
    load_fixture(db_url, "broker", db_backend)
    tables = existing_columns(db_url, {t for m in BROKER_MODELS for t in m.tables})
    before = table_digests(db_url, tables)
    with pytest.raises(ConfigError, match="liaison broker db upgrade"):
        SqlAuditStore(db_url)

    upgrade_database(db_url, BROKER)

    assert table_digests(db_url, tables) == before
    store = SqlAuditStore(db_url)
    try:
        assert store.size() == before["audit_entries"][0] > 0
    finally:
        store.close()


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    SqlNodeStore(db_url).close()
    again = upgrade_database(db_url, NODE)
    assert not again.behind


def test_a_database_from_a_newer_release_is_refused(db_url: str) -> None:
    SqlNodeStore(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE {NODE.version_table} SET version_num = 'node_9999'"))
    finally:
        engine.dispose()
    with pytest.raises(ConfigError, match="newer release"):
        SqlNodeStore(db_url)


def test_each_chain_is_linear_with_one_head() -> None:
    for schema in (NODE, BROKER):
        files = sorted(schema.folder.glob("v[0-9]*.py"))
        assert files, schema.name
        assert head_revision(schema).startswith(f"{schema.name}_")


def test_node_db_upgrade_command_upgrades_a_database_named_by_node_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "node.db"
    load_fixture(f"sqlite:///{database}", "node", "sqlite")
    config = tmp_path / "node.toml"
    config.write_text(
        "[node]\nagency = 'NL'\nfederation_listen = '127.0.0.1:0'\n"
        "local_listen = '127.0.0.1:0'\nbroker = '127.0.0.1:7000'\n"
        "[tls]\nca = 'ca.pem'\ncert = 'NL.pem'\nsealed_key = 'NL.key.sealed'\n"
    )
    assert main(["node", "db", "upgrade", "--config", str(config)]) == 0
    assert f"upgraded from before migrations to schema revision {head_revision(NODE)}" in (
        capsys.readouterr().out
    )
    assert main(["node", "db", "upgrade", "--config", str(config)]) == 0
    assert "already" in capsys.readouterr().out
    SqlNodeStore(f"sqlite:///{database}").close()
    assert inspect(create_engine(f"sqlite:///{database}")).has_table(NODE.version_table)


def test_stores_opening_a_new_database_at_once_create_it_once(db_url: str) -> None:
    opened: list[object] = []
    failed: list[BaseException] = []
    start = threading.Barrier(4)

    def open_one(store_class: type[SqlNodeStore | SqlLedgerStore | SqlUserStore]) -> None:
        start.wait()
        try:
            store = store_class(db_url)
        except BaseException as exc:
            failed.append(exc)
        else:
            opened.append(store)
            store.close()

    kinds = (SqlNodeStore, SqlLedgerStore, SqlUserStore, SqlNodeStore)
    threads = [threading.Thread(target=open_one, args=(kind,)) for kind in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failed == [] and len(opened) == 4
    assert revision(db_url, NODE) == head_revision(NODE)
