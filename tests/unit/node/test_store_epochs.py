"""The key-epoch part of the :class:`node.store.NodeStore` contract (``docs/epochs.md``).

Runs on SQLite always and on PostgreSQL when ``LIAISON_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.errors import InvalidInput, NotFound
from liaison.core.records import KeyKind, MatchKey, Record
from liaison.node.sql_store import SqlNodeStore
from liaison.node.store import KeyEpoch, NodeStore, StoredFilter

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=25)


def derive(record: Record) -> list[MatchKey]:
    return [MatchKey(KeyKind.NATIONAL_ID, f"t1|national_id|{record.ref}")]


@pytest.fixture
def store(db_url: str) -> Iterator[NodeStore]:
    with SqlNodeStore(db_url, clock=lambda: T0) as opened:
        opened.create_dataset("ds", b"key-0")
        yield opened


def test_a_new_dataset_is_in_epoch_zero_since_its_creation(store: NodeStore) -> None:
    state = store.serving_state("ds")

    assert state.epoch == KeyEpoch("ds", 0, 0, T0, "created")
    assert (state.version, state.sealed_server_key) == (0, b"key-0")
    assert store.key_epochs("ds") == [state.epoch]


def test_rotation_replaces_the_key_bumps_the_version_and_drops_filters(store: NodeStore) -> None:
    store.import_records("ds", [Record(ref="r1")], derive, replace=False, key_spec="t")
    store.put_filter(StoredFilter("ds", 1, 1, b"old-key filter"))

    epoch = store.rotate_server_key("ds", b"key-1", reason="operator", now=T1)

    assert epoch == KeyEpoch("ds", 1, 2, T1, "operator")
    state = store.serving_state("ds")
    assert (state.version, state.epoch, state.sealed_server_key) == (2, epoch, b"key-1")
    assert store.sealed_server_key("ds") == b"key-1"
    assert store.get_filter("ds", 1) is None
    assert store.key_values("ds") == ["t1|national_id|r1"]
    assert [e.epoch for e in store.key_epochs("ds")] == [0, 1]


def test_rotation_only_if_the_epoch_is_still_current(store: NodeStore) -> None:
    assert store.rotate_server_key("ds", b"key-1", reason="schedule", now=T1, if_epoch=0)

    assert store.rotate_server_key("ds", b"key-2", reason="schedule", now=T1, if_epoch=0) is None
    assert store.serving_state("ds").sealed_server_key == b"key-1"


def test_concurrent_due_rotations_rotate_once(db_url: str, store: NodeStore) -> None:
    results: list[KeyEpoch | None] = []

    def rotate(key: bytes) -> None:
        with SqlNodeStore(db_url) as other:
            results.append(
                other.rotate_server_key("ds", key, reason="schedule", now=T1, if_epoch=0)
            )

    threads = [threading.Thread(target=rotate, args=(b"k%d" % i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result is not None for result in results) == 1
    assert [e.epoch for e in store.key_epochs("ds")] == [0, 1]


def test_filter_of_the_new_version_can_be_stored(store: NodeStore) -> None:
    store.rotate_server_key("ds", b"key-1", reason="operator", now=T1)

    store.put_filter(StoredFilter("ds", 1, 0, b"new-key filter"))

    assert store.get_filter("ds", 1) == StoredFilter("ds", 1, 0, b"new-key filter")


@pytest.mark.parametrize(
    ("key", "reason", "now"),
    [
        (b"", "operator", T1),
        (b"k", "", T1),
        (b"k", "x" * 33, T1),
        (b"k", "operator", T1.replace(tzinfo=None)),
    ],
    ids=["empty key", "empty reason", "long reason", "naive time"],
)
def test_bad_rotation_is_refused_and_changes_nothing(
    store: NodeStore, key: bytes, reason: str, now: datetime
) -> None:
    with pytest.raises(InvalidInput):
        store.rotate_server_key("ds", key, reason=reason, now=now)

    assert store.serving_state("ds").sealed_server_key == b"key-0"
    assert store.dataset_version("ds") == 0


@pytest.mark.parametrize("method", ["serving_state", "key_epochs", "rotate"])
def test_unknown_dataset_is_not_found(store: NodeStore, method: str) -> None:
    with pytest.raises(NotFound, match="nope"):
        if method == "rotate":
            store.rotate_server_key("nope", b"k", reason="operator", now=T1)
        else:
            getattr(store, method)("nope")


def test_epochs_survive_reopening(db_url: str, store: NodeStore) -> None:
    store.rotate_server_key("ds", b"key-1", reason="change", now=T1)

    with SqlNodeStore(db_url) as reopened:
        assert reopened.key_epochs("ds")[-1] == KeyEpoch("ds", 1, 1, T1, "change")


def test_rotation_with_the_next_version_s_filter_stores_it_with_the_epoch(
    store: NodeStore,
) -> None:
    store.put_filter(StoredFilter("ds", 0, 0, b"old-key filter"))

    epoch = store.rotate_server_key(
        "ds", b"key-1", reason="operator", now=T1, new_filter=StoredFilter("ds", 1, 7, b"new")
    )

    assert epoch == KeyEpoch("ds", 1, 1, T1, "operator")
    assert store.get_filter("ds", 1) == StoredFilter("ds", 1, 7, b"new")
    assert store.get_filter("ds", 0) is None


def test_rotation_with_a_filter_of_keys_no_longer_current_changes_nothing(
    store: NodeStore,
) -> None:
    built_before_import = StoredFilter("ds", 1, 0, b"stale")
    store.import_records("ds", [Record(ref="r1")], derive, replace=False, key_spec="t")

    assert (
        store.rotate_server_key(
            "ds", b"key-1", reason="operator", now=T1, new_filter=built_before_import
        )
        is None
    )
    state = store.serving_state("ds")
    assert (state.version, state.epoch.epoch, state.sealed_server_key) == (1, 0, b"key-0")
    assert store.get_filter("ds", 1) is None


def test_a_rotation_claim_is_exclusive_until_released(store: NodeStore) -> None:
    assert store.claim_rotation("ds", "a", now=T0, until=T1)
    assert not store.claim_rotation("ds", "b", now=T0, until=T1)

    store.release_rotation("ds", "b")  # not b's: nothing happens
    assert not store.claim_rotation("ds", "b", now=T0, until=T1)
    store.release_rotation("ds", "a")
    assert store.claim_rotation("ds", "b", now=T0, until=T1)


def test_an_expired_rotation_claim_can_be_taken_over(store: NodeStore) -> None:
    assert store.claim_rotation("ds", "dead", now=T0, until=T0 + timedelta(hours=1))

    assert not store.claim_rotation("ds", "b", now=T0 + timedelta(minutes=59), until=T1)
    assert store.claim_rotation("ds", "b", now=T0 + timedelta(hours=1), until=T1)


def test_concurrent_rotation_claims_grant_one(db_url: str, store: NodeStore) -> None:
    granted: list[bool] = []

    def claim(token: str) -> None:
        with SqlNodeStore(db_url) as other:
            granted.append(other.claim_rotation("ds", token, now=T0, until=T1))

    threads = [threading.Thread(target=claim, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(granted) == [False, False, False, True]


@pytest.mark.parametrize(
    ("token", "now"),
    [("", T0), ("x" * 65, T0), ("t", T0.replace(tzinfo=None))],
    ids=["empty token", "long token", "naive time"],
)
def test_a_bad_rotation_claim_is_refused(store: NodeStore, token: str, now: datetime) -> None:
    with pytest.raises(InvalidInput):
        store.claim_rotation("ds", token, now=now, until=T1)

    assert store.claim_rotation("ds", "t", now=T0, until=T1)


@pytest.mark.parametrize("method", ["claim", "release"])
def test_claims_of_an_unknown_dataset_are_not_found(store: NodeStore, method: str) -> None:
    with pytest.raises(NotFound, match="nope"):
        if method == "claim":
            store.claim_rotation("nope", "t", now=T0, until=T1)
        else:
            store.release_rotation("nope", "t")
