"""Incremental filters: kept elements give the same filter as a fresh full build.

Real openmined-psi and a real store (SQLite, and PostgreSQL when configured):
across updates, insertions, deletions and key epochs the stored filter is
byte for byte the library's own filter of the dataset's keys under its
current key; curve work is done for new and changed records only; a deleted
record stops matching when the import returns; a query during an import is
answered from the previous version (``docs/storage.md``, "Kept elements").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.entity_keys import derive_record_keys
from liaison.crypto.keys import KEY_SPEC_V2, derive_keys_v2
from liaison.crypto.keystore import MasterKey
from liaison.node import sql_import
from liaison.node.datasets import Answered, Datasets
from liaison.node.sql_store import SqlNodeStore
from liaison.node.sql_tables import StagedKeyRow, StagedRecordRow
from liaison.node.store import NodeStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MASTER = MasterKey(bytes(range(32)))
WAIT_S = 30.0


def person(i: int, *, phone: int | None = None) -> Record:
    # Letters, not digits, make each name its own (name keys drop digits).
    letters = "".join("bcdfghjklm"[int(d)] for d in str(i))
    return Record(
        ref=f"p{i}",
        full_name=f"Person {letters.title()}ova Example",
        date_of_birth=(date(1950, 1, 1) + timedelta(days=i)).isoformat(),
        phones=(f"+336{(phone if phone is not None else i):08d}",),
        emails=(f"p{i}@example.org",),
    )


PEOPLE = [person(i) for i in range(200)]
ZED = Record(
    ref="z", full_name="Zygmunt Wrzesniewski", date_of_birth="1931-12-31", phones=("+48601000111",)
)


@pytest.fixture
def store(db_url: str) -> Iterator[NodeStore]:
    with SqlNodeStore(db_url, clock=lambda: T0) as opened:
        yield opened


@pytest.fixture
def ds(store: NodeStore) -> Iterator[Datasets]:
    opened = Datasets(store, MASTER, max_client_items=100, clock=lambda: T0, workers=2)
    yield opened
    opened.close()


def keys(record: Record) -> list[str]:
    return sorted({key.value for key in derive_record_keys(record)})


def fresh_full_build(store: NodeStore) -> bytes:
    """The library's own filter of every stored key under the dataset's current key."""
    key = MASTER.unseal(
        store.sealed_server_key("persons"), context=b"liaison/psi-server-key/v1/persons"
    )
    return psi.build_filter(key, store.key_values("persons"), max_client_items=100)


def hits(ds: Datasets, setup: bytes, record: Record) -> tuple[Answered, int]:
    client = psi.PsiClient()
    items = keys(record)
    answered = ds.answer("persons", client.request(items))
    return answered, len(client.intersect(setup, answered.psi_response, request_items=len(items)))


class CountedEncryption:
    """Counts the records whose keys go through the curve (``PsiEncryptor.start``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.records = 0
        real = psi.PsiEncryptor.start

        def start(
            encryptor: psi.PsiEncryptor, records: Sequence[Sequence[str]]
        ) -> Callable[[], list[bytes]]:
            self.records += len(records)
            return real(encryptor, records)

        monkeypatch.setattr(psi.PsiEncryptor, "start", start)


def test_filters_equal_a_fresh_full_build_across_updates_deletions_and_epochs(
    ds: Datasets, store: NodeStore
) -> None:
    ds.import_records("persons", PEOPLE, replace=True)
    assert ds.current_filter("persons").setup == fresh_full_build(store)

    changed = [*PEOPLE[2:150], person(0, phone=999), *PEOPLE[151:], person(500)]
    ds.import_records("persons", changed, replace=True)  # 1 updated, 1 new, 2 deleted
    assert ds.current_filter("persons").setup == fresh_full_build(store)

    ds.rotate("persons")
    rotated = ds.current_filter("persons")
    assert rotated.setup == fresh_full_build(store)
    assert rotated.key_count == len(store.key_values("persons"))

    ds.import_records("persons", changed[:100], replace=True)
    assert ds.current_filter("persons").setup == fresh_full_build(store)


def test_an_import_does_curve_work_for_new_and_changed_records_only(
    ds: Datasets, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds.import_records("persons", PEOPLE, replace=True)
    counted = CountedEncryption(monkeypatch)
    update = [person(0, phone=999), *PEOPLE[1:199], person(700)]  # 1 changed, 1 new, 1 gone
    summary = ds.import_records("persons", update, replace=True)

    assert (summary.updated, summary.inserted, summary.removed) == (1, 1, 1)
    assert counted.records == 2
    ds.rotate("persons")
    assert counted.records == 2 + len(update)  # a rotation redoes it all, once


def test_a_deleted_record_stops_matching_as_soon_as_the_import_returns(ds: Datasets) -> None:
    ds.import_records("persons", [*PEOPLE[:3], ZED, *PEOPLE[3:10]], replace=True)
    before = ds.current_filter("persons")
    assert hits(ds, before.setup, ZED)[1] == len(keys(ZED))

    ds.import_records("persons", PEOPLE[:10], replace=True)
    answered, found = hits(ds, ds.filter("persons", ds.current_version("persons")).setup, ZED)
    assert answered.version == before.version + 1
    assert found == 0


def test_a_query_during_an_import_is_answered_from_the_previous_version(
    ds: Datasets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_import, "BATCH_SIZE", 10)  # progress mid-import, on a small file
    ds.import_records("persons", [ZED, *PEOPLE[:50]], replace=True)
    before = ds.current_filter("persons")
    during: list[tuple[Answered, int]] = []

    def query_meanwhile(done: int) -> None:
        if during:
            return
        # Another thread, as a server's query would be; the import waits for it.
        thread = threading.Thread(target=lambda: during.append(hits(ds, before.setup, ZED)))
        thread.start()
        thread.join(WAIT_S)

    rest = [person(i) for i in range(1, 40)]  # ZED deleted, several batches of rows
    ds.import_records("persons", rest, replace=True, progress=query_meanwhile)

    [(answered, found)] = during
    assert answered.version == before.version
    assert found == len(keys(ZED))
    assert hits(ds, ds.current_filter("persons").setup, ZED)[1] == 0


def test_a_dataset_stored_without_elements_gets_them_at_its_first_build(
    ds: Datasets, store: NodeStore
) -> None:
    ds.import_records("persons", PEOPLE[:5], replace=True)
    # Rows written by a store call without a builder (as by an earlier release).
    store.import_records("persons", PEOPLE[:40], derive_keys_v2, replace=True, key_spec=KEY_SPEC_V2)
    assert ds.current_filter("persons").setup == fresh_full_build(store)


def test_an_import_holds_no_write_lock_while_it_stages(
    store: NodeStore, ds: Datasets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_import, "BATCH_SIZE", 10)
    ds.import_records("persons", PEOPLE[:5], replace=True)
    written: list[bool] = []

    def write_meanwhile(done: int) -> None:
        if written:
            return
        # What a node's answer writes (its replay guard) while an import runs.
        thread = threading.Thread(
            target=lambda: written.append(
                store.remember_query("broker", f"q{done}", T0 + timedelta(hours=1), now=T0)
            )
        )
        thread.start()
        thread.join(WAIT_S)

    ds.import_records("persons", PEOPLE[:40], replace=True, progress=write_meanwhile)
    assert written == [True]


def test_a_failed_import_leaves_nothing_staged_or_applied(
    store: NodeStore, ds: Datasets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_import, "BATCH_SIZE", 10)
    ds.import_records("persons", PEOPLE[:5], replace=True)
    before = (store.get_dataset("persons"), ds.current_filter("persons"))

    def fail_late(done: int) -> None:
        if done >= 30:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        ds.import_records("persons", PEOPLE[:40], replace=True, progress=fail_late)
    assert (store.get_dataset("persons"), ds.current_filter("persons")) == before
    assert isinstance(store, SqlNodeStore)
    with store._write() as session:
        assert session.scalar(select(func.count()).select_from(StagedRecordRow)) == 0
        assert session.scalar(select(func.count()).select_from(StagedKeyRow)) == 0
    # The claim went with it: the next import runs.
    assert ds.import_records("persons", PEOPLE[:6], replace=True).inserted == 1


def test_concurrent_imports_into_one_dataset_run_one_after_the_other(
    store: NodeStore, ds: Datasets
) -> None:
    ds.import_records("persons", PEOPLE[:5], replace=True)
    threads = [
        threading.Thread(target=lambda part=part: ds.import_records("persons", part, replace=False))
        for part in (PEOPLE[5:60], PEOPLE[60:120])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    assert store.get_dataset("persons").records == 120
    assert ds.current_filter("persons").setup == fresh_full_build(store)
