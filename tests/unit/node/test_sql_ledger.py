"""The ledger's SQL store: persistence, tampering seen by the chain, the database's failures.

Run on SQLite and, with ``LIAISON_TEST_POSTGRES_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from liaison.core.errors import (
    ConfigError,
    LedgerUnavailable,
    ProofError,
    StaleAppend,
)
from liaison.core.query import Justification
from liaison.node.ledger.chain import (
    Ledger,
    chain_hash,
    verify_chain,
)
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.sql_store import SqlNodeStore
from liaison.storage.sql import SQLITE_BUSY_TIMEOUT_MS
from tests.unit.node.ledger_support import (
    BrokerLog,
    Clock,
    make_broker_log,
    record_some,
)


@pytest.fixture(scope="module")
def broker_log() -> BrokerLog:
    return make_broker_log()


@pytest.fixture
def store(db_url: str) -> Iterator[SqlLedgerStore]:
    with SqlLedgerStore(db_url) as opened:
        yield opened


def test_a_reopened_store_continues_the_chain(db_url: str) -> None:
    with SqlLedgerStore(db_url) as first:
        record_some(Ledger(first, Clock()), None, count=2)
    with SqlLedgerStore(db_url) as second:
        ledger = Ledger(second, Clock())
        record_some(ledger, None, count=2)
        entries = ledger.entries()

    assert [e.seq for e in entries] == [0, 1, 2, 3]
    verify_chain(entries)


def tamper(db_url: str, *statements: str) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


TAMPERINGS = {
    "field updated": (
        ["UPDATE ledger_entries SET outcome = 'NL/watchlist:ok:0 hits' WHERE seq = 2"],
        r"seq 2: entry_hash",
    ),
    "time updated": (
        [
            "UPDATE ledger_entries SET time = (SELECT time FROM ledger_entries WHERE seq = 0) "
            "WHERE seq = 3"
        ],
        r"seq 3: entry_hash",
    ),
    "receipt removed": (
        ["UPDATE ledger_entries SET receipt = NULL WHERE seq = 1"],
        r"seq 1: entry_hash",
    ),
    "row deleted": (["DELETE FROM ledger_entries WHERE seq = 2"], r"seq 2: missing"),
    "first row deleted": (["DELETE FROM ledger_entries WHERE seq = 0"], r"seq 0: missing"),
    "rows swapped": (
        [
            "UPDATE ledger_entries SET seq = -1 WHERE seq = 1",
            "UPDATE ledger_entries SET seq = 1 WHERE seq = 3",
            "UPDATE ledger_entries SET seq = 3 WHERE seq = -1",
        ],
        r"seq 1: prev_hash",
    ),
    "row deleted and later ones renumbered": (
        [
            "DELETE FROM ledger_entries WHERE seq = 2",
            "UPDATE ledger_entries SET seq = 2 WHERE seq = 3",
            "UPDATE ledger_entries SET seq = 3 WHERE seq = 4",
        ],
        r"seq 2: prev_hash",
    ),
}


@pytest.mark.parametrize("how", TAMPERINGS)
def test_tampering_with_the_table_is_detected_at_its_seq(
    db_url: str, broker_log: BrokerLog, how: str
) -> None:
    statements, message = TAMPERINGS[how]
    with SqlLedgerStore(db_url) as store:
        record_some(Ledger(store, Clock()), broker_log.receipt(2))
        verify_chain(store.all())

        tamper(db_url, *statements)

        with pytest.raises(ProofError, match=message):
            verify_chain(store.all())


def test_a_row_that_cannot_be_an_entry_is_reported_by_seq(db_url: str) -> None:
    with SqlLedgerStore(db_url) as store:
        record_some(Ledger(store, Clock()), None, count=3)
        tamper(db_url, "UPDATE ledger_entries SET direction = 'lost' WHERE seq = 1")

        with pytest.raises(ProofError, match="seq 1: stored row"):
            store.all()


def test_the_store_refuses_an_entry_that_does_not_extend_the_last(
    store: SqlLedgerStore,
) -> None:
    first = Ledger(store, Clock()).record_sent(
        query_id="q",
        partners=["NL"],
        justification=Justification("c", "p", "b", "i"),
        key_count=1,
        outcome="",
    )
    again = dataclasses.replace(first, query_id="other")
    again = dataclasses.replace(again, entry_hash=chain_hash(again))
    stale = dataclasses.replace(again, seq=1)
    stale = dataclasses.replace(stale, entry_hash=chain_hash(stale))

    with pytest.raises(StaleAppend):
        store.append(again)
    with pytest.raises(StaleAppend):
        store.append(stale)
    with pytest.raises(ProofError, match="entry_hash"):
        store.append(dataclasses.replace(first, seq=1, prev_hash=first.entry_hash))
    assert store.all() == [first]


def test_a_failing_database_becomes_ledger_unavailable(db_url: str) -> None:
    with SqlLedgerStore(db_url) as store:
        tamper(db_url, "DROP TABLE ledger_entries")

        with pytest.raises(LedgerUnavailable, match="ledger database failed"):
            store.all()
        with pytest.raises(LedgerUnavailable):
            record_some(Ledger(store, Clock()), None, count=1)


def test_the_ledger_shares_the_node_database(db_url: str) -> None:
    with SqlNodeStore(db_url) as node, SqlLedgerStore(db_url) as store:
        node.create_dataset("watchlist", b"sealed")
        record_some(Ledger(store, Clock()), None, count=2)

        assert [d.name for d in node.list_datasets()] == ["watchlist"]
        verify_chain(store.all())


def test_sqlite_ledger_connections_are_durable_and_wait(tmp_path: Path) -> None:
    with (
        SqlLedgerStore(f"sqlite:///{tmp_path / 'node.db'}") as store,
        store._engine.connect() as connection,
    ):
        settings = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout")
        ]

    assert settings == ["wal", 2, SQLITE_BUSY_TIMEOUT_MS]  # 2: FULL


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://user:hunter2@host/db"])
def test_an_unusable_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        SqlLedgerStore(url)
    assert "hunter2" not in str(caught.value)
