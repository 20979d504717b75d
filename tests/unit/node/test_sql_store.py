"""What :class:`node.sql_store.SqlNodeStore` adds to the store contract.

Opening errors, SQLite's connection settings, and PostgreSQL locking. The
contract itself is in ``test_store_contract.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from liaison.core.errors import ConfigError
from liaison.core.records import KeyKind, MatchKey, Record
from liaison.node.sql_store import SqlNodeStore
from liaison.node.store import StoredFilter
from liaison.storage.sql import SQLITE_BUSY_TIMEOUT_MS


def derive(identity: Record) -> list[MatchKey]:
    return [MatchKey(KeyKind.NATIONAL_ID, f"t1|national_id|{identity.ref}")]


@pytest.mark.parametrize("url", ["not a url", "sqlite:/:/", ""])
def test_malformed_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="malformed"):
        SqlNodeStore(url)


def test_unknown_dialect_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unsupported URL or driver"):
        SqlNodeStore("nosuchdb://user:hunter2@host/db")


def test_unopenable_sqlite_file_is_a_config_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'node.db'}"

    with pytest.raises(ConfigError, match=r"cannot open database sqlite:///.*missing-dir"):
        SqlNodeStore(url)


def test_unreachable_postgres_error_hides_the_password(tmp_path: Path) -> None:
    # A socket directory that does not exist: fails at once, without a network.
    url = f"postgresql+psycopg://liaison:hunter2@/node?host={tmp_path / 'nowhere'}"

    with pytest.raises(ConfigError, match="cannot open database") as caught:
        SqlNodeStore(url)

    assert "hunter2" not in str(caught.value)
    assert "***" in str(caught.value)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "node.db"
    with SqlNodeStore(f"sqlite:///{path}") as store, store._engine.connect() as connection:
        settings = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]

    assert settings == ["wal", 1, SQLITE_BUSY_TIMEOUT_MS]
    # journal_mode is a property of the file, kept for every later reader.
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sqlite_deleting_a_dataset_cascades(tmp_path: Path) -> None:
    path = tmp_path / "node.db"
    with SqlNodeStore(f"sqlite:///{path}") as store:
        store.create_dataset("ds", b"key")
        store.import_records("ds", [Record(ref="r1")], derive, replace=False, key_spec="t1")
        # There is no delete_dataset yet; the cascade is what a future one relies on.
        with store._engine.begin() as connection:
            connection.execute(text("DELETE FROM datasets"))
            leftovers = [
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("records", "identifiers", "match_keys")
            ]

    assert leftovers == [0, 0, 0]


# PostgreSQL only: SQLite has one writer at a time, so there the filter waits.
@pytest.mark.parametrize(
    "db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_stores_a_filter_while_an_import_runs(db_url: str) -> None:
    # If the import's row lock blocked the filter, fail in seconds, not hang.
    url = make_url(db_url)
    impatient = url.update_query_dict({"options": f"{url.query['options']} -clock_timeout=5s"})
    server_url = impatient.render_as_string(hide_password=False)
    with SqlNodeStore(db_url) as store, SqlNodeStore(server_url) as server:
        store.create_dataset("ds", b"key")
        stored: list[StoredFilter | None] = []

        def build_filter_meanwhile(rows: int) -> None:
            server.put_filter(StoredFilter("ds", 0, 0, b"setup"))
            stored.append(server.get_filter("ds", 0))

        store.import_records(
            "ds",
            [Record(ref="r1")],
            derive,
            replace=False,
            key_spec="t1",
            progress=build_filter_meanwhile,
        )

    assert stored == [StoredFilter("ds", 0, 0, b"setup")]
