"""A rotation builds the next epoch's filter first; answers go on under the old epoch meanwhile.

Real openmined-psi, a real store (SQLite, and PostgreSQL when configured) and
real threads; the filter build is held on an event so that the test controls
when the swap can happen (``docs/epochs.md``, "No stall at rotation").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.errors import StorageUnavailable
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v3
from liaison.crypto.keystore import MasterKey
from liaison.node.datasets import Datasets, KeyRotation
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
    """Replaces ``psi.build_filter``: the first call waits for :meth:`release`."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self._release = threading.Event()
        self._real = psi.build_filter
        self._lock = threading.Lock()

    def __call__(self, key: bytes, items: Sequence[str], *, max_client_items: int) -> bytes:
        with self._lock:
            self.calls += 1
            first = self.calls == 1
        if first:
            self.entered.set()
            assert self._release.wait(WAIT_S), "the held build was never released"
        return self._real(key, items, max_client_items=max_client_items)

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
    monkeypatch.setattr(psi, "build_filter", held)
    return held


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
    assert current.version == old.version + 1
    assert hits(old.setup, ds, ALICE) == (1, 0)
    assert hits(current.setup, ds, ALICE) == (1, len(keys(ALICE)))
    assert [(e.epoch, e.reason) for e in ds.key_epochs("persons")] == [
        (0, "created"),
        (1, "schedule"),
    ]


def test_an_import_during_the_build_is_rebuilt_under_the_new_key(
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

    deleted = ds.import_records("persons", [BOB], replace=True)  # ALICE deleted meanwhile
    assert hits(ds.current_filter("persons").setup, ds, ALICE) == (0, 0)
    held.release()
    rotation.join(WAIT_S)

    assert [e.epoch for e in rotated if e is not None] == [1]
    assert held.calls == 3  # held build, the import's own filter, the rebuild
    current = ds.current_filter("persons")
    assert current.version == deleted.version + 1 == old.version + 2
    assert current.key_count == len(keys(BOB))
    assert hits(current.setup, ds, ALICE) == (1, 0)
    assert hits(current.setup, ds, BOB) == (1, len(keys(BOB)))
    assert hits(old.setup, ds, BOB) == (1, 0)


def test_a_rotation_that_keeps_losing_to_imports_gives_up_and_changes_nothing(
    store: NodeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = Datasets(store, MASTER, max_client_items=100, clock=Clock())
    ds.import_records("persons", [ALICE], replace=False)
    real = psi.build_filter
    imported = iter(range(100))

    def build_while_importing(key: bytes, items: Sequence[str], *, max_client_items: int) -> bytes:
        # Every build of the rotation sees an import commit before it ends.
        store.import_records(
            "persons", [Record(ref=f"x{next(imported)}", emails=("x@example.org",))],
            derive_keys_v3, replace=False, key_spec="3",
        )  # fmt: skip
        return real(key, items, max_client_items=max_client_items)

    monkeypatch.setattr(psi, "build_filter", build_while_importing)
    with pytest.raises(StorageUnavailable, match="kept changing"):
        ds.rotate("persons")
    monkeypatch.setattr(psi, "build_filter", real)

    assert [e.epoch for e in ds.key_epochs("persons")] == [0]
    assert ds.rotate("persons") is not None  # the claim was released
