"""Datasets: only the current filter version is served, and PSI server keys rotate.

Real openmined-psi and a real store (SQLite, and PostgreSQL when configured);
``docs/epochs.md`` describes the behaviour checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.errors import NotFound
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v3
from liaison.crypto.keystore import MasterKey
from liaison.node.datasets import Datasets, KeyRotation
from liaison.node.sql_store import SqlNodeStore
from liaison.node.store import NodeStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALICE = Record(
    ref="p1", full_name="Alice Martin", date_of_birth="1980-02-03", phones=("+33612345678",)
)
BOB = Record(ref="p2", full_name="Bob Dupont", date_of_birth="1975-06-07", phones=("+33698765432",))
MASTER = MasterKey(bytes(range(32)))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str) -> Iterator[NodeStore]:
    with SqlNodeStore(db_url, clock=lambda: T0) as opened:
        yield opened


def at_once(job: Callable[[], None]) -> None:
    """Run a background rotation in the caller's thread, so tests see it finished."""
    job()


def datasets(store: NodeStore, clock: Clock, rotation: KeyRotation | None = None) -> Datasets:
    return Datasets(
        store, MASTER, max_client_items=100, rotation=rotation, clock=clock, background=at_once
    )


def keys(record: Record) -> list[str]:
    return sorted({key.value for key in derive_keys_v3(record)})


def hits(setup: bytes, ds: Datasets, record: Record) -> int:
    """How many of the record's keys an answer of ``ds`` finds in ``setup``."""
    client = psi.PsiClient()
    items = keys(record)
    answered = ds.answer("persons", client.request(items))
    return len(client.intersect(setup, answered.psi_response, request_items=len(items)))


def test_only_the_current_filter_version_is_served(store: NodeStore, clock: Clock) -> None:
    ds = datasets(store, clock)
    first = ds.import_records("persons", [ALICE, BOB], replace=False).version
    second = ds.import_records("persons", [BOB], replace=True).version

    assert ds.filter("persons", second).version == second
    with pytest.raises(NotFound, match="not the current one"):
        ds.filter("persons", first)
    assert store.get_filter("persons", first) is not None  # still stored, never served


def test_after_a_rotation_an_old_filter_finds_nothing(store: NodeStore, clock: Clock) -> None:
    ds = datasets(store, clock)
    ds.import_records("persons", [ALICE, BOB], replace=False)
    old = ds.current_filter("persons")
    assert hits(old.setup, ds, ALICE) == len(keys(ALICE))

    epoch = ds.rotate("persons")

    assert epoch is not None and (epoch.epoch, epoch.reason) == (1, "operator")
    new = ds.current_filter("persons")
    assert new.version == old.version + 1
    assert hits(old.setup, ds, ALICE) == 0
    assert hits(new.setup, ds, ALICE) == len(keys(ALICE))


def test_the_old_key_is_overwritten(store: NodeStore, clock: Clock) -> None:
    ds = datasets(store, clock)
    ds.import_records("persons", [ALICE], replace=False)
    context = b"liaison/psi-server-key/v1/persons"
    before = MASTER.unseal(store.sealed_server_key("persons"), context=context)

    ds.rotate("persons")

    after = MASTER.unseal(store.sealed_server_key("persons"), context=context)
    assert len(after) == len(before) and after != before


def test_an_epoch_older_than_the_period_rotates_at_the_next_answer(
    store: NodeStore, clock: Clock
) -> None:
    ds = datasets(store, clock, KeyRotation(period=timedelta(hours=24)))
    ds.import_records("persons", [ALICE], replace=False)
    old = ds.current_filter("persons")
    request = psi.PsiClient().request(keys(ALICE))

    clock.now = T0 + timedelta(hours=23)
    assert ds.answer("persons", request).epoch == 0

    clock.now = T0 + timedelta(hours=24)
    answered = ds.answer("persons", request)
    assert (answered.epoch, answered.version) == (1, old.version + 1)
    assert [(e.epoch, e.reason, e.started_at) for e in ds.key_epochs("persons")][-1] == (
        1,
        "schedule",
        clock.now,
    )
    assert hits(old.setup, ds, ALICE) == 0


def test_an_epoch_older_than_the_period_rotates_at_the_next_import(
    store: NodeStore, clock: Clock
) -> None:
    ds = datasets(store, clock, KeyRotation(period=timedelta(hours=24)))
    ds.import_records("persons", [ALICE], replace=False)
    clock.now = T0 + timedelta(days=2)

    ds.import_records("persons", [BOB], replace=False)

    assert ds.key_epochs("persons")[-1].reason == "schedule"


def test_on_change_rotates_at_imports_that_delete_or_change(store: NodeStore, clock: Clock) -> None:
    ds = datasets(store, clock, KeyRotation(on_change=True))
    ds.import_records("persons", [ALICE], replace=False)
    ds.import_records("persons", [BOB], replace=False)  # insert only
    assert len(ds.key_epochs("persons")) == 1

    ds.import_records("persons", [BOB], replace=True)  # deletes ALICE

    assert [e.reason for e in ds.key_epochs("persons")] == ["created", "change"]


def test_a_rotation_by_another_process_is_picked_up(db_url: str, clock: Clock) -> None:
    with (
        SqlNodeStore(db_url, clock=lambda: T0) as server_store,
        SqlNodeStore(db_url, clock=lambda: T0) as cli_store,
    ):
        server = datasets(server_store, clock)
        server.import_records("persons", [ALICE], replace=False)
        request = psi.PsiClient().request(keys(ALICE))
        assert server.answer("persons", request).epoch == 0

        datasets(cli_store, clock).rotate("persons")

        answered = server.answer("persons", request)
        assert answered.epoch == 1
        current = server.filter("persons", answered.version)
        assert hits(current.setup, server, ALICE) == len(keys(ALICE))
