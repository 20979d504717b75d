"""The broker's audit log over every store implementation (contract suite).

Each test runs once per implementation and database: SQLite always, and
PostgreSQL when ``LIAISON_TEST_POSTGRES_URL`` is set (see ``tests/conftest.py``).
Tampering is done the way an operator would: SQL straight into the table.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text

from liaison.broker.audit.log import AuditLog, AuditStore, Erased
from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.core import audit, audit_events
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import AuditUnavailable, ConfigError, InvalidInput, ProofError
from liaison.crypto import audit_entries
from liaison.crypto.audit_entries import AuditRecord, SealedEntry
from liaison.crypto.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion
from liaison.crypto.tree_head import verify_tree_head

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))

#: Every implementation of AuditStore, built from a database URL.
IMPLEMENTATIONS: dict[str, Callable[[str], AuditStore]] = {"sql": SqlAuditStore}


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def open_store(request: pytest.FixtureRequest, db_url: str) -> Iterator[Callable[[], AuditStore]]:
    """Yield a function opening another store on the same database (all closed at teardown)."""
    factory = IMPLEMENTATIONS[request.param]
    opened: list[AuditStore] = []

    def open_() -> AuditStore:
        store = factory(db_url)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def open_log(open_store: Callable[[], AuditStore], clock: Clock) -> Callable[[], AuditLog]:
    """Return a function opening another log on the same database."""
    return lambda: AuditLog(open_store(), KEY, clock)


@pytest.fixture
def log(open_log: Callable[[], AuditLog]) -> AuditLog:
    return open_log()


@pytest.fixture
def execute_sql(db_url: str) -> Iterator[Callable[..., None]]:
    """Yield a function running SQL on the test's database, as a tampering operator would."""
    engine = create_engine(db_url)

    def execute(statement: str, **parameters: object) -> None:
        with engine.begin() as connection:
            connection.execute(text(statement), parameters)

    yield execute
    engine.dispose()


def access(n: int, *, at: datetime = T0) -> AuditEvent:
    return audit_events.log_access(
        time=at, accessor=f"auditor-{n}", role="auditor", action=f"read {n}"
    )


def fill(log: AuditLog, count: int, *, at: datetime = T0) -> list[AuditRecord]:
    return log.append_all([access(n, at=at) for n in range(count)])


def reference_root(records: Sequence[AuditRecord]) -> bytes:
    return MerkleTree(leaf_hash(record.header) for record in records).root()


# -- append and read ----------------------------------------------------------


def test_an_empty_log(log: AuditLog) -> None:
    assert log.size == 0
    assert log.records(0, 0) == []
    head = log.tree_head()
    assert (head.size, head.root) == (0, MerkleTree().root())
    assert log.append_all([]) == []


def test_append_and_records_round_trip(log: AuditLog) -> None:
    first = log.append(access(0))
    more = log.append_all([access(1), access(2)])
    assert [r.index for r in (first, *more)] == [0, 1, 2]
    stored = log.records(0, 3)
    assert stored == [first, *more]
    for record, n in zip(stored, range(3), strict=True):
        record.verify()
        assert record.event() == access(n)
        assert record.leaf_hash == leaf_hash(record.header)
        assert record.salt is not None and len(record.salt) == 32
    assert log.records(1, 2) == [more[0]]
    assert log.root() == reference_root(stored)


def test_indices_are_dense_from_zero(log: AuditLog) -> None:
    for batch in (1, 3, 1, 5):
        fill(log, batch)
    assert log.size == 10
    assert [r.index for r in log.records(0, 10)] == list(range(10))


def test_each_entry_has_its_own_salt(log: AuditLog) -> None:
    a, b = log.append_all([access(0), access(0)])
    assert a.body == b.body
    assert a.salt != b.salt
    assert a.header != b.header


@pytest.mark.parametrize(("start", "end"), [(-1, 0), (0, 4), (2, 1), (True, 1)])
def test_records_outside_the_log_are_invalid_input(log: AuditLog, start: int, end: int) -> None:
    fill(log, 3)
    with pytest.raises(InvalidInput):
        log.records(start, end)


def test_restart_gives_the_same_tree(open_log: Callable[[], AuditLog]) -> None:
    log = open_log()
    fill(log, 7)
    head = log.tree_head()
    reopened = open_log()
    assert reopened.size == 7
    assert reopened.root() == head.root
    assert reopened.inclusion_proof(3, 7) == log.inclusion_proof(3, 7)
    assert reopened.consistency_proof(2, 7) == log.consistency_proof(2, 7)
    assert reopened.append(access(7)).index == 7


# -- tree heads and proofs ----------------------------------------------------


def test_tree_head_is_signed_over_size_and_root_at_clock_time(log: AuditLog, clock: Clock) -> None:
    records = fill(log, 5)
    clock.now = T0 + timedelta(seconds=90, microseconds=1500)
    head = log.tree_head()
    verify_tree_head(head, KEY.public_key())
    assert head.size == 5
    assert head.root == reference_root(records)
    assert head.timestamp_ms == audit.datetime_to_ms(clock.now)


def test_proofs_verify_against_signed_heads(log: AuditLog) -> None:
    fill(log, 3)
    old = log.tree_head()
    records = log.records(0, 3) + fill(log, 6)
    new = log.tree_head()
    for record in records:
        proof = log.inclusion_proof(record.index, new.size)
        verify_inclusion(record.leaf_hash, record.index, new.size, proof, new.root)
    verify_consistency(old.size, new.size, log.consistency_proof(3, 9), old.root, new.root)
    with pytest.raises(InvalidInput):
        log.inclusion_proof(9, 9)
    with pytest.raises(InvalidInput):
        log.consistency_proof(3, 10)


# -- log before disclosure, atomicity ----------------------------------------


class FailingStore:
    """Delegates to a real store; appends fail when told to."""

    def __init__(self, inner: AuditStore) -> None:
        self.inner = inner
        self.fail = False

    def append(self, entries: Sequence[SealedEntry]) -> list[int]:
        if self.fail:
            raise AuditUnavailable("audit log: cannot append")
        return self.inner.append(entries)

    def size(self) -> int:
        return self.inner.size()

    def leaf_hashes(self, start: int = 0) -> list[bytes]:
        return self.inner.leaf_hashes(start)

    def records(self, start: int, end: int) -> list[AuditRecord]:
        return self.inner.records(start, end)

    def erase_bodies(
        self, before_ms: int, note: Callable[[Erased], SealedEntry]
    ) -> tuple[Erased, int] | None:
        if self.fail:
            raise AuditUnavailable("audit log: cannot erase")
        return self.inner.erase_bodies(before_ms, note)

    def close(self) -> None:
        self.inner.close()


def test_a_failed_commit_leaves_the_tree_unchanged(
    open_store: Callable[[], AuditStore], clock: Clock
) -> None:
    store = FailingStore(open_store())
    log = AuditLog(store, KEY, clock)
    fill(log, 2)
    root = log.root()
    store.fail = True
    with pytest.raises(AuditUnavailable):
        log.append(access(2))
    with pytest.raises(AuditUnavailable):
        log.erase_before(T0 + timedelta(days=1))
    assert (log.size, log.root(), log.tree_head().size) == (2, root, 2)
    store.fail = False
    assert log.append(access(2)).index == 2


def test_append_all_with_an_invalid_event_writes_nothing(
    log: AuditLog, open_store: Callable[[], AuditStore]
) -> None:
    fill(log, 2)
    with pytest.raises(InvalidInput):
        log.append_all([access(2), "not an event"])  # type: ignore[list-item]
    assert log.size == 2
    assert open_store().size() == 2


def test_a_store_append_is_all_or_nothing(open_store: Callable[[], AuditStore]) -> None:
    store = open_store()
    good = audit_entries.seal(access(0))
    # NOT NULL violated by the second row: the database refuses mid-batch.
    bad = dataclasses.replace(good, header=None)  # type: ignore[arg-type]
    with pytest.raises(AuditUnavailable):
        store.append([good, bad])
    assert store.size() == 0
    assert store.append([good]) == [0]


def test_appended_entries_are_visible_to_a_new_connection(
    log: AuditLog, open_store: Callable[[], AuditStore]
) -> None:
    record = log.append(access(0))
    assert open_store().records(0, 1) == [record]


# -- concurrency -------------------------------------------------------------

THREADS = 4
PER_THREAD = 15


def _run_threads(work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            work(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_concurrent_appends_give_dense_indices_and_a_consistent_tree(
    log: AuditLog, open_log: Callable[[], AuditLog]
) -> None:
    returned: list[int] = []

    def work(n: int) -> None:
        for i in range(PER_THREAD):
            events = [access(100 * n + i)] * (1 + i % 2)
            returned.extend(r.index for r in log.append_all(events))

    _run_threads(work)
    total = THREADS * sum(1 + i % 2 for i in range(PER_THREAD))
    assert sorted(returned) == list(range(total))
    records = log.records(0, total)
    assert [r.index for r in records] == list(range(total))
    assert log.root() == reference_root(records) == open_log().root()


def test_concurrent_logs_on_one_database_give_dense_indices(
    open_log: Callable[[], AuditLog],
) -> None:
    logs = [open_log() for _ in range(THREADS)]

    def work(n: int) -> None:
        for i in range(PER_THREAD):
            logs[n].append(access(100 * n + i))

    _run_threads(work)
    total = THREADS * PER_THREAD
    fresh = open_log()
    records = fresh.records(0, total)
    assert fresh.size == total
    assert [r.index for r in records] == list(range(total))
    # Each log caught up with the others' entries as it appended: its tree
    # is a prefix of the database's.
    for each in logs:
        assert each.root() == fresh.root(each.size)
    assert logs[0].append(access(999)).index == total
    assert logs[0].root() == open_log().root()


# -- erasure -----------------------------------------------------------------


def test_erasure_keeps_proofs_valid_and_is_logged(
    log: AuditLog, open_log: Callable[[], AuditLog], clock: Clock
) -> None:
    old = fill(log, 4, at=T0)
    recent = fill(log, 3, at=T0 + timedelta(days=40))
    before = log.tree_head()
    proofs = {r.index: log.inclusion_proof(r.index, before.size) for r in old + recent}
    clock.now = T0 + timedelta(days=41)

    erasure = log.erase_before(T0 + timedelta(days=30))

    assert erasure is not None
    assert erasure.index == 7
    erasure.verify()
    assert erasure.event() == audit_events.erasure(
        time=clock.now,
        first_index=0,
        last_index=3,
        count=4,
        before_ms=audit.datetime_to_ms(T0 + timedelta(days=30)),
    )
    records = log.records(0, 8)
    assert records[7] == erasure
    for record in records[:4]:
        assert (record.salt, record.body, record.event()) == (None, None, None)
        record.verify()
        assert record.header_fields().kind is EntryKind.LOG_ACCESS
    assert records[4:7] == recent
    # Headers kept: the old head's proofs still verify, and the log only grew.
    for record in records[:7]:
        verify_inclusion(
            record.leaf_hash, record.index, before.size, proofs[record.index], before.root
        )
    after = log.tree_head()
    assert after.size == 8
    verify_consistency(7, 8, log.consistency_proof(7, 8), before.root, after.root)
    for record in records:
        verify_inclusion(
            record.leaf_hash, record.index, 8, log.inclusion_proof(record.index, 8), after.root
        )
    assert open_log().root() == after.root == reference_root(records)


def test_erasing_again_erases_nothing_new(log: AuditLog, clock: Clock) -> None:
    fill(log, 2, at=T0)
    clock.now = T0 + timedelta(days=1)
    cutoff = T0 + timedelta(hours=1)
    first = log.erase_before(cutoff)
    assert first is not None
    assert log.erase_before(cutoff) is None
    assert log.size == 3
    # Later, the erasure entry itself ages out.
    clock.now = T0 + timedelta(days=3)
    second = log.erase_before(T0 + timedelta(days=2))
    assert second is not None
    event = second.event()
    assert event is not None
    assert (event.fields["first_index"], event.fields["last_index"], event.fields["count"]) == (
        2,
        2,
        1,
    )


def test_erase_before_needs_an_aware_cutoff(log: AuditLog) -> None:
    with pytest.raises(InvalidInput):
        log.erase_before(datetime(2026, 1, 1))  # naive on purpose


# -- tampering ---------------------------------------------------------------


def test_verify_catches_a_body_modified_in_the_database(
    log: AuditLog, open_store: Callable[[], AuditStore], execute_sql: Callable[..., None]
) -> None:
    fill(log, 3)
    forged = audit_entries.encode_body(access(42))
    execute_sql("UPDATE audit_entries SET body = :body WHERE idx = 1", body=forged)
    records = open_store().records(0, 3)
    records[0].verify()
    with pytest.raises(ProofError, match="entry 1: body does not match"):
        records[1].verify()


def test_verify_catches_a_header_modified_in_the_database(
    log: AuditLog, open_store: Callable[[], AuditStore], execute_sql: Callable[..., None]
) -> None:
    fill(log, 3)
    header = log.records(2, 3)[0].header.replace(b'"time_ms":', b'"time_ms":1')
    execute_sql("UPDATE audit_entries SET header = :header WHERE idx = 2", header=header)
    with pytest.raises(ProofError, match="entry 2: leaf hash does not match"):
        open_store().records(2, 3)[0].verify()


def test_a_leaf_hash_modified_in_the_database_is_caught(
    log: AuditLog,
    open_store: Callable[[], AuditStore],
    open_log: Callable[[], AuditLog],
    execute_sql: Callable[..., None],
) -> None:
    fill(log, 3)
    head = log.tree_head()
    execute_sql("UPDATE audit_entries SET leaf_hash = :forged WHERE idx = 0", forged=bytes(32))
    with pytest.raises(ProofError, match="entry 0: leaf hash does not match"):
        open_store().records(0, 1)[0].verify()
    # A restarted broker builds another tree: the signed head no longer matches.
    assert open_log().root() != head.root


# -- the SQL store's own promises ---------------------------------------------


def test_sqlite_is_durable_at_commit(db_backend: str, db_url: str) -> None:
    if db_backend != "sqlite":
        pytest.skip("SQLite pragmas")
    store = SqlAuditStore(db_url)
    try:
        with store._engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        store.close()


def test_postgres_commits_synchronously(db_backend: str, db_url: str) -> None:
    if db_backend != "postgres":
        pytest.skip("PostgreSQL setting")
    store = SqlAuditStore(db_url)
    try:
        with store._engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
    finally:
        store.close()


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "nosuchdriver://x/y",
        "sqlite:////nonexistent-folder/deeper/audit.db",
        "postgresql+psycopg://liaison:s3cret-pw@127.0.0.1:1/audit?connect_timeout=2",
    ],
)
def test_unopenable_databases_are_config_errors_without_passwords(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        SqlAuditStore(url)
    assert "s3cret-pw" not in str(caught.value)


def test_database_errors_after_opening_are_audit_unavailable(
    log: AuditLog, open_store: Callable[[], AuditStore], execute_sql: Callable[..., None]
) -> None:
    store = open_store()
    fill(log, 1)
    execute_sql("DROP TABLE audit_entries")
    with pytest.raises(AuditUnavailable, match="cannot append") as caught:
        store.append([audit_entries.seal(access(7))])
    assert "auditor-7" not in str(caught.value)
    for call in (store.size, store.leaf_hashes, lambda: store.records(0, 1)):
        with pytest.raises(AuditUnavailable):
            call()
