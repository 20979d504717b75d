"""The node ledger: chain, receipts, export, and :class:`node.sql_ledger.SqlLedgerStore`.

Store tests run on SQLite and, with ``LIAISON_TEST_POSTGRES_URL`` set, on
PostgreSQL. Receipts are checked against a real tiny broker log: a Merkle
tree of sealed audit entries under a tree head signed with a fresh key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from liaison.core import audit
from liaison.core.errors import (
    ConfigError,
    InvalidInput,
    LedgerUnavailable,
    ProofError,
    StaleAppend,
)
from liaison.crypto import audit_entries
from liaison.crypto.merkle import MerkleTree
from liaison.crypto.tree_head import sign_tree_head
from liaison.node.ledger import (
    GENESIS_HASH,
    Direction,
    Ledger,
    LedgerEntry,
    Receipt,
    canonical_bytes,
    chain_hash,
    export_jsonl,
    read_export,
    verify_chain,
)
from liaison.node.sql_ledger import SqlLedgerStore
from liaison.node.sql_store import SqlNodeStore
from liaison.storage.sql import SQLITE_BUSY_TIMEOUT_MS

T0 = datetime(2026, 11, 23, 9, 45, 49, 123456, tzinfo=UTC)
QUERY_ID = "0f7c2a9e-query"


class Clock:
    """A clock that moves one second per reading, thread-safely."""

    def __init__(self) -> None:
        self._now = T0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=1)
            return self._now


# -- a tiny broker log and its receipts ---------------------------------------------


@dataclass(frozen=True)
class BrokerLog:
    key: Ed25519PrivateKey
    tree: MerkleTree
    entries: tuple[audit_entries.SealedEntry, ...]

    def receipt(self, index: int) -> Receipt:
        head = sign_tree_head(self.tree.size, self.tree.root(), self.key, now=T0)
        entry = self.entries[index]
        return Receipt(
            entry_index=index,
            header=entry.header,
            salt=entry.salt,
            body=entry.body,
            tree_head=head,
            inclusion_proof=tuple(self.tree.inclusion_proof(index, head.size)),
        )


def submitted(query_id: str) -> audit.AuditEvent:
    return audit.query_submitted(
        time=T0,
        query_id=query_id,
        requesting_agency="BE",
        investigator_id="inv-7",
        case_id="case-42",
        purpose="fraud investigation",
        legal_basis="art. 46",
        targets=("NL:watchlist", "DE:*"),
        key_count=3,
        payload_digest="ab" * 32,
        issued_at_ms=1_700_000_000_000,
        expires_at_ms=1_700_000_060_000,
    )


@pytest.fixture(scope="module")
def broker_log() -> BrokerLog:
    """Six entries; ``QUERY_ID`` was submitted at index 2."""
    events = [
        audit.participant_admitted(time=T0, agency="BE", endpoint="be.example:7000"),
        audit.participant_admitted(time=T0, agency="NL", endpoint="nl.example:7000"),
        submitted(QUERY_ID),
        audit.partner_answered(
            time=T0,
            query_id=QUERY_ID,
            agency="NL",
            dataset="watchlist",
            status="ok",
            reason="",
            filter_version=4,
        ),
        submitted("another-query"),
        audit.query_completed(time=T0, query_id=QUERY_ID, requesting_agency="BE", answers=1, ok=1),
    ]
    entries = tuple(audit_entries.seal(event) for event in events)
    tree = MerkleTree(entry.leaf_hash for entry in entries)
    return BrokerLog(Ed25519PrivateKey.generate(), tree, entries)


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


def entry(**changes: object) -> LedgerEntry:
    base = LedgerEntry(
        seq=0,
        time=T0,
        direction=Direction.SENT,
        query_id=QUERY_ID,
        counterpart="DE,NL",
        investigator_id="inv-7",
        case_id="case-42",
        purpose="fraud investigation",
        legal_basis="art. 46",
        key_count=3,
        outcome="NL/watchlist:ok:3 hits",
        receipt=None,
        prev_hash=GENESIS_HASH,
        entry_hash=GENESIS_HASH,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


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


@pytest.fixture
def store(db_url: str) -> Iterator[SqlLedgerStore]:
    with SqlLedgerStore(db_url) as opened:
        yield opened


def record_some(ledger: Ledger, receipt: Receipt | None, count: int = 5) -> list[LedgerEntry]:
    recorded = []
    for i in range(count):
        if i % 2:
            recorded.append(
                ledger.record_served(
                    query_id=QUERY_ID if receipt else f"q-{i}",
                    requester="BE",
                    investigator_id="inv-7",
                    case_id="case-42",
                    purpose="fraud investigation",
                    legal_basis="art. 46",
                    key_count=3,
                    outcome="watchlist:ok",
                    receipt=receipt,
                )
            )
        else:
            recorded.append(
                ledger.record_sent(
                    query_id=f"q-{i}",
                    partners=["DE", "NL"],
                    investigator_id="inv-9",
                    case_id="case-1",
                    purpose="trafficking",
                    legal_basis="art. 12",
                    key_count=i,
                    outcome=f"NL/watchlist:ok:{i} hits",
                )
            )
    return recorded


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


def test_a_reopened_store_continues_the_chain(db_url: str) -> None:
    with SqlLedgerStore(db_url) as first:
        record_some(Ledger(first, Clock()), None, count=2)
    with SqlLedgerStore(db_url) as second:
        ledger = Ledger(second, Clock())
        record_some(ledger, None, count=2)
        entries = ledger.entries()

    assert [e.seq for e in entries] == [0, 1, 2, 3]
    verify_chain(entries)


def test_an_empty_ledger_verifies(store: SqlLedgerStore) -> None:
    assert store.all() == []
    assert store.last() is None
    verify_chain([])


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
        investigator_id="i",
        case_id="c",
        purpose="p",
        legal_basis="b",
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
                    investigator_id="i",
                    case_id="c",
                    purpose="p",
                    legal_basis="b",
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
            investigator_id="i",
            case_id="c",
            purpose="p",
            legal_basis="b",
            key_count=1,
            outcome="",
        )
    assert store.all() == []


def test_a_naive_clock_is_refused(store: SqlLedgerStore) -> None:
    ledger = Ledger(store, lambda: datetime(2026, 1, 1))
    with pytest.raises(InvalidInput, match="clock"):
        record_some(ledger, None, count=1)


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


# -- export and import ----------------------------------------------------------------


def test_an_export_reads_back_as_the_same_entries(
    store: SqlLedgerStore, broker_log: BrokerLog
) -> None:
    recorded = record_some(Ledger(store, Clock()), broker_log.receipt(2))
    out = io.StringIO()

    export_jsonl("NL", store.all(), out)
    lines = out.getvalue().splitlines()
    agency, entries = read_export(io.StringIO(out.getvalue()))

    assert json.loads(lines[0]) == {"ledger": "liaison", "v": 1, "agency": "NL"}
    assert len(lines) == 1 + len(recorded)
    assert (agency, entries) == ("NL", recorded)
    verify_chain(entries)
    assert entries[1].receipt is not None
    entries[1].receipt.verify(broker_log.key.public_key(), query_id=QUERY_ID)


def exported(count: int = 3) -> str:
    ledger_entries: list[LedgerEntry] = []
    for seq in range(count):
        prev = ledger_entries[-1].entry_hash if ledger_entries else GENESIS_HASH
        draft = entry(seq=seq, prev_hash=prev, query_id=f"q-{seq}")
        ledger_entries.append(dataclasses.replace(draft, entry_hash=chain_hash(draft)))
    out = io.StringIO()
    export_jsonl("NL", ledger_entries, out)
    return out.getvalue()


def test_an_edited_export_still_parses_but_does_not_verify() -> None:
    lines = exported().splitlines()
    lines[2] = lines[2].replace('"key_count":3', '"key_count":4')

    _, entries = read_export(lines)

    with pytest.raises(ProofError, match="seq 1: entry_hash"):
        verify_chain(entries)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("[]\n", "line 1: not a JSON object"),
        ('{"ledger": "other", "v": 1, "agency": "NL"}', "line 1: not a Liaison"),
        ('{"ledger": "liaison", "v": 2, "agency": "NL"}', "line 1: .*version 2"),
        ('{"ledger": "liaison", "v": 1, "agency": ""}', "line 1: .*agency is empty"),
        ('{"ledger": "liaison", "v": 1}', "line 1: .*missing field agency"),
    ],
)
def test_a_malformed_export_header_is_invalid_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_export(io.StringIO(text))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"seq":1', '"seq":-1', "seq must be"),
        ('"seq":1', '"seq":true', "seq must be"),
        ('"direction":"sent"', '"direction":"up"', "direction"),
        ('"time":"2026-11-23T09:45:49.123456Z"', '"time":"2026-11-23T09:45:49Z"', "time"),
        ('"time":"2026-11-23T09:45:49.123456Z"', '"time":"2026-11-23"', "time"),
        ('"receipt":null', '"receipt":{}', "receipt: missing field"),
        ('"receipt":null', '"receipt":[]', "receipt must be an object"),
        ('"prev_hash":"', '"prev_hash":"00', "prev_hash"),
        ('"outcome":', '"extra":1,"outcome":', "unexpected"),
    ],
)
def test_a_malformed_export_entry_names_its_line(old: str, new: str, message: str) -> None:
    lines = exported().splitlines()
    assert old in lines[2]
    lines[2] = lines[2].replace(old, new, 1)

    with pytest.raises(InvalidInput, match=f"line 3: .*{message}"):
        read_export(lines)


def test_an_export_that_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(exported().encode() + b"\xff\xfe\n")

    with path.open(encoding="utf-8") as handle, pytest.raises(InvalidInput, match="UTF-8"):
        read_export(handle)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=4))
def test_random_text_raises_only_invalid_input(lines: list[str]) -> None:
    with contextlib.suppress(InvalidInput):
        read_export(lines)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_mutated_export_raises_only_invalid_input_or_proof_error(data: st.DataObject) -> None:
    text_ = exported()
    position = data.draw(st.integers(0, len(text_) - 1))
    replacement = data.draw(st.text(max_size=3))
    mutated = text_[:position] + replacement + text_[position + 1 :]
    with contextlib.suppress(InvalidInput):
        _, entries = read_export(mutated.splitlines())
        verify_chain(entries)
