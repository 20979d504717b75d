"""A rotation builds the next epoch's filter first; answers go on under the old epoch meanwhile.

Real openmined-psi, a real store (SQLite, and PostgreSQL when configured) and
real threads; the rotation's curve work (``fill_elements``) is held on an
event so that the test controls when the swap can happen (``docs/epochs.md``,
"No stall at rotation").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v3
from liaison.crypto.keystore import MasterKey
from liaison.node.datasets import Datasets, KeyRotation
from liaison.node.filter_builds import FilterBuild
from liaison.node.sql_store import SqlNodeStore
from liaison.node.store import KeyEpoch, NodeStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALICE = Record(
    ref="p1", full_name="Alice Martin", date_of_birth="1980-02-03", phones=("+33612345678",)
)
BOB = Record(ref="p2", full_name="Bob Dupont", date_of_birth="1975-06-07", phones=("+33698765432",))
MASTER = MasterKey(bytes(range(32)))
#: No wait in these tests may hang the suite.
WAIT_S = 30.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class HeldBuild:
    """Wraps ``SqlNodeStore.fill_elements``: the first call waits for :meth:`release`."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self._release = threading.Event()
        self._real = SqlNodeStore.fill_elements
        self._lock = threading.Lock()

    def __call__(
        self, store: SqlNodeStore, name: str, build: FilterBuild, *, fresh: bool = False
    ) -> int:
        with self._lock:
            self.calls += 1
            first = self.calls == 1
        if first:
            self.entered.set()
            assert self._release.wait(WAIT_S), "the held build was never released"
        return self._real(store, name, build, fresh=fresh)

    def release(self) -> None:
        self._release.set()


@pytest.fixture
def store(db_url: str) -> Iterator[NodeStore]:
    with SqlNodeStore(db_url, clock=lambda: T0) as opened:
        yield opened


def keys(record: Record) -> list[str]:
    return sorted({key.value for key in derive_keys_v3(record)})


def hits(setup: bytes, ds: Datasets, record: Record) -> tuple[int, int]:
    """(key epoch of a fresh answer, how many of the record's keys it finds in ``setup``)."""
    client = psi.PsiClient()
    items = keys(record)
    answered = ds.answer("persons", client.request(items))
    found = client.intersect(setup, answered.psi_response, request_items=len(items))
    return answered.epoch, len(found)


def hold(monkeypatch: pytest.MonkeyPatch) -> HeldBuild:
    held = HeldBuild()

    def fill_elements(
        store: SqlNodeStore, name: str, build: FilterBuild, *, fresh: bool = False
    ) -> int:
        return held(store, name, build, fresh=fresh)

    monkeypatch.setattr(SqlNodeStore, "fill_elements", fill_elements)
    return held


def fresh_filter(ds: Datasets, records: Sequence[Record]) -> bytes:
    """The library's own filter of ``records`` under the dataset's current key."""
    key = MASTER.unseal(
        ds._store.sealed_server_key("persons"), context=b"liaison/psi-server-key/v1/persons"
    )
    items = sorted({k for record in records for k in keys(record)})
    return psi.build_filter(key, items, max_client_items=100)


def test_answers_go_on_under_the_old_epoch_until_the_swap(
    db_url: str, store: NodeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    ds = Datasets(store, MASTER, max_client_items=100, rotation=KeyRotation(), clock=clock)
    ds.import_records("persons", [ALICE, BOB], replace=False)
    old = ds.current_filter("persons")
    held = hold(monkeypatch)

    clock.now = T0 + timedelta(hours=24)  # the epoch falls due at the next answer
    assert hits(old.setup, ds, ALICE) == (0, len(keys(ALICE)))
    assert held.entered.wait(WAIT_S)
    # The next epoch's filter is being built: answers keep coming, under epoch 0.
    for _ in range(3):
        assert hits(old.setup, ds, ALICE) == (0, len(keys(ALICE)))
    assert ds.filter("persons", old.version) == old
    # Not started twice: not by this process, not by another one.
    with SqlNodeStore(db_url) as other_store:
        other = Datasets(other_store, MASTER, max_client_items=100, clock=clock)
        assert other.rotate("persons") is None
    assert ds.rotate("persons") is None

    held.release()
    ds.close(WAIT_S)

    assert held.calls == 1
    current = ds.current_filter("persons")
    assert current.setup == fresh_filter(ds, [ALICE, BOB])
    assert current.version == old.version + 1
    assert hits(old.setup, ds, ALICE) == (1, 0)
    assert hits(current.setup, ds, ALICE) == (1, len(keys(ALICE)))
    assert [(e.epoch, e.reason) for e in ds.key_epochs("persons")] == [
        (0, "created"),
        (1, "schedule"),
    ]


def test_an_import_during_the_build_is_caught_up_at_the_swap(
    store: NodeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    ds = Datasets(store, MASTER, max_client_items=100, clock=clock)
    ds.import_records("persons", [ALICE, BOB], replace=False)
    old = ds.current_filter("persons")
    held = hold(monkeypatch)
    rotated: list[KeyEpoch | None] = []
    rotation = threading.Thread(target=lambda: rotated.append(ds.rotate("persons")))
    rotation.start()
    assert held.entered.wait(WAIT_S)

    carol = Record(ref="p3", full_name="Carol Smith", date_of_birth="1990-01-01")
    bob2 = Record(ref="p2", full_name="Bob Dupont", date_of_birth="1975-06-08")
    deleted = ds.import_records("persons", [bob2, carol], replace=True)  # ALICE deleted meanwhile
    assert hits(ds.current_filter("persons").setup, ds, ALICE) == (0, 0)
    held.release()
    rotation.join(WAIT_S)

    assert [e.epoch for e in rotated if e is not None] == [1]
    current = ds.current_filter("persons")
    assert current.version == deleted.version + 1 == old.version + 2
    # The same bytes as the library's own filter of what is stored now.
    assert current.setup == fresh_filter(ds, [bob2, carol])
    assert hits(current.setup, ds, ALICE) == (1, 0)
    assert hits(current.setup, ds, carol) == (1, len(keys(carol)))
    assert hits(old.setup, ds, BOB) == (1, 0)
