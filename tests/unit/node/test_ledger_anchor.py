"""The ledger anchor: newest head signed and sent off the query path, retried, coalesced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.errors import Unreachable
from liaison.crypto.ledger_checkpoint import LedgerCheckpoint
from liaison.crypto.receipts import Receipt
from liaison.node.ledger.anchor import LedgerAnchor
from liaison.node.ledger.chain import Ledger, LedgerEntry
from liaison.node.ledger.sql_store import SqlLedgerStore
from tests.unit.node.ledger_support import Clock, make_broker_log, record_some

KEY = ec.generate_private_key(ec.SECP256R1())
RECEIPT = make_broker_log().receipt(2)


class FakeBroker:
    """An AnchorPort that fails a given number of times, then records what it got."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[tuple[int, bytes, bytes]] = []
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.gate.set()

    def anchor_ledger(self, size: int, head_hash: bytes, signature: bytes) -> Receipt:
        self.gate.wait(10)
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise Unreachable("down")
            self.calls.append((size, head_hash, signature))
        return RECEIPT


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlLedgerStore]:
    opened = SqlLedgerStore(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield opened
    opened.close()


def run(broker: FakeBroker, store: SqlLedgerStore, count: int) -> list[LedgerEntry]:
    anchor = LedgerAnchor("FR", KEY, broker, retry_s=0.01)
    anchor.start()
    try:
        entries = record_some(Ledger(store, Clock(), on_append=anchor.note), None, count)
        assert anchor.wait_anchored(count, 10)
        assert anchor.anchored_size == count
    finally:
        anchor.close()
    return entries


def test_the_newest_head_is_anchored_with_the_agency_signature(store: SqlLedgerStore) -> None:
    broker = FakeBroker()
    entries = run(broker, store, 5)
    size, head, signature = broker.calls[-1]
    assert (size, head) == (5, entries[-1].entry_hash)
    checkpoint = LedgerCheckpoint("FR", size, head)
    KEY.public_key().verify(signature, checkpoint.signed_bytes(), ec.ECDSA(hashes.SHA256()))
    sizes = [call[0] for call in broker.calls]
    assert sizes == sorted(set(sizes))  # never the same or an older head twice


def test_heads_noted_while_the_broker_is_busy_are_coalesced(store: SqlLedgerStore) -> None:
    broker = FakeBroker()
    broker.gate.clear()  # the first call hangs until every entry is written
    anchor = LedgerAnchor("FR", KEY, broker, retry_s=0.01)
    anchor.start()
    try:
        record_some(Ledger(store, Clock(), on_append=anchor.note), None, 6)
        broker.gate.set()
        assert anchor.wait_anchored(6, 10)
    finally:
        anchor.close()
    assert len(broker.calls) <= 2 and broker.calls[-1][0] == 6


def test_a_broker_that_is_down_is_retried_until_the_head_is_anchored(
    store: SqlLedgerStore,
) -> None:
    broker = FakeBroker(failures=3)
    run(broker, store, 2)
    assert broker.failures == 0 and broker.calls[-1][0] == 2


def test_waiting_gives_up_after_the_timeout_and_on_close() -> None:
    anchor = LedgerAnchor("FR", KEY, FakeBroker())
    assert not anchor.wait_anchored(1, 0.01)
    anchor.close()
    assert not anchor.wait_anchored(1, 10)  # closed: returns at once


def test_heads_noted_during_the_pause_after_an_anchor_are_coalesced(
    store: SqlLedgerStore,
) -> None:
    broker = FakeBroker()
    anchor = LedgerAnchor("FR", KEY, broker, retry_s=0.01, min_interval_s=1.0)
    anchor.start()
    try:
        ledger = Ledger(store, Clock(), on_append=anchor.note)
        record_some(ledger, None, 1)
        assert anchor.wait_anchored(1, 10)
        # Written back to back during the pause: one anchor covers them all.
        record_some(ledger, None, 5)
        assert anchor.wait_anchored(6, 10)
    finally:
        anchor.close()
    assert [call[0] for call in broker.calls] == [1, 6]
