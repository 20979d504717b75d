"""The node ledger: receipts, canonical bytes, and the Ledger that appends and chains.

Run on SQLite and, with ``LIAISON_TEST_POSTGRES_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from liaison.core.errors import (
    InvalidInput,
    ProofError,
)
from liaison.core.query import Justification
from liaison.crypto import audit_entries
from liaison.crypto.receipts import Receipt
from liaison.node.ledger.chain import (
    GENESIS_HASH,
    Direction,
    Ledger,
    canonical_bytes,
    chain_hash,
    verify_chain,
)
from liaison.node.ledger.sql_store import SqlLedgerStore
from tests.unit.node.ledger_support import (
    QUERY_ID,
    T0,
    BrokerLog,
    Clock,
    entry,
    make_broker_log,
    record_some,
    submitted,
)


@pytest.fixture(scope="module")
def broker_log() -> BrokerLog:
    return make_broker_log()


@pytest.fixture
def store(db_url: str) -> Iterator[SqlLedgerStore]:
    with SqlLedgerStore(db_url) as opened:
        yield opened


def flip(data: bytes) -> bytes:
    return bytes([data[0] ^ 1]) + data[1:]


def test_a_good_receipt_verifies(broker_log: BrokerLog) -> None:
    broker_log.receipt(2).verify(broker_log.key.public_key(), query_id=QUERY_ID)


def test_a_receipt_from_another_key_is_refused(broker_log: BrokerLog) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(ProofError, match="signature"):
        broker_log.receipt(2).verify(other, query_id=QUERY_ID)


def test_a_receipt_for_another_query_is_refused(broker_log: BrokerLog) -> None:
    with pytest.raises(ProofError, match="another query"):
        broker_log.receipt(4).verify(broker_log.key.public_key(), query_id=QUERY_ID)


def test_a_receipt_of_another_kind_of_entry_is_refused(broker_log: BrokerLog) -> None:
    with pytest.raises(ProofError, match="not a query_submitted"):
        broker_log.receipt(3).verify(broker_log.key.public_key(), query_id=QUERY_ID)


#: Each corrupts one part of a good receipt (index 2) and what the error says.
CORRUPTIONS: dict[str, tuple[Callable[[Receipt, BrokerLog], Receipt], str]] = {
    "head size": (
        lambda r, _: dataclasses.replace(
            r, tree_head=dataclasses.replace(r.tree_head, size=r.tree_head.size + 1)
        ),
        "signature",
    ),
    "head root": (
        lambda r, _: dataclasses.replace(
            r, tree_head=dataclasses.replace(r.tree_head, root=flip(r.tree_head.root))
        ),
        "signature",
    ),
    "head time": (
        lambda r, _: dataclasses.replace(
            r, tree_head=dataclasses.replace(r.tree_head, timestamp_ms=1)
        ),
        "signature",
    ),
    "head signature": (
        lambda r, _: dataclasses.replace(
            r, tree_head=dataclasses.replace(r.tree_head, signature=flip(r.tree_head.signature))
        ),
        "signature",
    ),
    "entry index": (lambda r, _: dataclasses.replace(r, entry_index=3), "inclusion"),
    "index beyond the tree": (lambda r, _: dataclasses.replace(r, entry_index=6), "index"),
    "proof hash": (
        lambda r, _: dataclasses.replace(
            r, inclusion_proof=(flip(r.inclusion_proof[0]), *r.inclusion_proof[1:])
        ),
        "inclusion",
    ),
    "proof too short": (
        lambda r, _: dataclasses.replace(r, inclusion_proof=r.inclusion_proof[:-1]),
        "proof",
    ),
    "proof too long": (
        lambda r, _: dataclasses.replace(r, inclusion_proof=(*r.inclusion_proof, bytes(32))),
        "proof",
    ),
    "header of another entry": (
        lambda r, log: dataclasses.replace(r, header=log.entries[4].header),
        "inclusion",
    ),
    "salt": (lambda r, _: dataclasses.replace(r, salt=flip(r.salt)), "commitment"),
    "body of another query": (
        lambda r, log: dataclasses.replace(r, body=log.entries[4].body),
        "commitment",
    ),
    "erased body": (lambda r, _: dataclasses.replace(r, salt=b"", body=b""), "salt and body"),
}


@pytest.mark.parametrize("part", CORRUPTIONS)
def test_a_receipt_with_a_corrupted_part_is_refused(broker_log: BrokerLog, part: str) -> None:
    corrupt, message = CORRUPTIONS[part]
    receipt = corrupt(broker_log.receipt(2), broker_log)

    with pytest.raises(ProofError, match=message):
        receipt.verify(broker_log.key.public_key(), query_id=QUERY_ID)


def test_a_body_committed_under_a_forged_header_fails_inclusion(broker_log: BrokerLog) -> None:
    # A consistent header, salt and body that the broker never logged.
    forged = audit_entries.seal(submitted(QUERY_ID))
    receipt = dataclasses.replace(
        broker_log.receipt(2), header=forged.header, salt=forged.salt, body=forged.body
    )
    with pytest.raises(ProofError, match="inclusion"):
        receipt.verify(broker_log.key.public_key(), query_id=QUERY_ID)


# -- canonical bytes ------------------------------------------------------------------


#: SHA-256(b"liaison-ledger-v1\x00" + 32 zero bytes + the canonical bytes below).
VECTOR_HASH = "59580ab4fd266cb5bd3c7dc846a2c776bdd302a9f1b1255a49f6ee993b85e31d"


def test_canonical_bytes_match_the_documented_vector() -> None:
    first = entry()

    assert canonical_bytes(first) == (
        b'{"case_id":"case-42","counterpart":"DE,NL","direction":"sent",'
        b'"investigator_id":"inv-7","key_count":3,"legal_basis":"art. 46",'
        b'"outcome":"NL/watchlist:ok:3 hits","prev_hash":"' + b"0" * 64 + b'",'
        b'"purpose":"fraud investigation","query_id":"0f7c2a9e-query","receipt":null,'
        b'"seq":0,"time":"2026-11-23T09:45:49.123456Z"}'
    )
    assert chain_hash(first).hex() == VECTOR_HASH


def test_canonical_bytes_are_utf8_and_time_is_utc() -> None:
    brussels = timezone(timedelta(hours=1))
    first = entry(purpose="enquête", time=T0.astimezone(brussels))

    assert "enquête".encode() in canonical_bytes(first)
    assert canonical_bytes(first) == canonical_bytes(entry(purpose="enquête"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", -1),
        ("key_count", True),
        ("time", datetime(2026, 1, 1)),
        ("direction", "sent"),
        ("purpose", "\ud800"),
        ("prev_hash", b"short"),
        ("receipt", "not a receipt"),
    ],
)
def test_an_entry_refuses_values_it_could_not_hash(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=field):
        entry(**{field: value})


# -- the ledger on each backend -------------------------------------------------------


def test_recorded_entries_are_read_back_chained(
    store: SqlLedgerStore, broker_log: BrokerLog
) -> None:
    ledger = Ledger(store, Clock())

    recorded = record_some(ledger, broker_log.receipt(2))

    assert ledger.entries() == recorded
    assert [e.seq for e in recorded] == [0, 1, 2, 3, 4]
    assert recorded[0].prev_hash == GENESIS_HASH
    assert recorded[0].counterpart == "DE,NL"
    assert recorded[1].direction is Direction.SERVED
    assert recorded[1].receipt == broker_log.receipt(2)
    assert all(e.time.tzinfo is UTC for e in ledger.entries())
    verify_chain(ledger.entries())
    assert store.last() == recorded[-1]


def test_an_empty_ledger_verifies(store: SqlLedgerStore) -> None:
    assert store.all() == []
    assert store.last() is None
    verify_chain([])


def test_concurrent_appenders_give_dense_seqs_and_one_chain(db_url: str) -> None:
    # Two ledgers per store (threads of one process) and three stores (processes).
    stores = [SqlLedgerStore(db_url) for _ in range(3)]
    ledgers = [Ledger(s, Clock()) for s in stores for _ in range(2)]
    per_thread = 8
    errors: list[BaseException] = []

    def run(ledger: Ledger, n: int) -> None:
        try:
            for i in range(per_thread):
                ledger.record_sent(
                    query_id=f"t{n}-{i}",
                    partners=["NL"],
                    justification=Justification("c", "p", "b", "i"),
                    key_count=i,
                    outcome="",
                )
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(ledger, n)) for n, ledger in enumerate(ledgers + ledgers)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        entries = stores[0].all()
    finally:
        for s in stores:
            s.close()

    assert errors == []
    assert [e.seq for e in entries] == list(range(len(threads) * per_thread))
    assert len({e.query_id for e in entries}) == len(entries)
    verify_chain(entries)


def test_record_sent_refuses_partner_names_that_would_not_split_back(
    store: SqlLedgerStore,
) -> None:
    with pytest.raises(InvalidInput, match="partner"):
        Ledger(store, Clock()).record_sent(
            query_id="q",
            partners=["NL,DE"],
            justification=Justification("c", "p", "b", "i"),
            key_count=1,
            outcome="",
        )
    assert store.all() == []


def test_a_naive_clock_is_refused(store: SqlLedgerStore) -> None:
    ledger = Ledger(store, lambda: datetime(2026, 1, 1))
    with pytest.raises(InvalidInput, match="clock"):
        record_some(ledger, None, count=1)
