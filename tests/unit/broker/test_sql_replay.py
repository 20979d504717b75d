"""The broker's persistent replay guard, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from liaison.broker.sql_replay import SqlReplayGuard
from liaison.core.errors import EnvelopeRejected

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(db_url: str, clock: Clock) -> Iterator[SqlReplayGuard]:
    with_guard = SqlReplayGuard(db_url, clock=clock)
    yield with_guard
    with_guard.close()


def test_an_id_is_accepted_once(guard: SqlReplayGuard) -> None:
    guard.check_and_remember("a" * 32, T0 + timedelta(minutes=5))
    with pytest.raises(EnvelopeRejected, match="replayed query"):
        guard.check_and_remember("a" * 32, T0 + timedelta(minutes=5))
    guard.check_and_remember("b" * 32, T0 + timedelta(minutes=5))
    assert len(guard) == 2


def test_the_guard_survives_a_reopen(db_url: str, guard: SqlReplayGuard, clock: Clock) -> None:
    guard.check_and_remember("a" * 32, T0 + timedelta(minutes=5))
    guard.close()
    reopened = SqlReplayGuard(db_url, clock=clock)
    try:
        with pytest.raises(EnvelopeRejected, match="replayed query"):
            reopened.check_and_remember("a" * 32, T0 + timedelta(minutes=5))
    finally:
        reopened.close()


def test_expired_ids_are_pruned_and_may_come_again(guard: SqlReplayGuard, clock: Clock) -> None:
    guard.check_and_remember("a" * 32, T0 + timedelta(minutes=5))
    guard.check_and_remember("b" * 32, T0 + timedelta(minutes=15))
    clock.now = T0 + timedelta(minutes=5)
    guard.check_and_remember("c" * 32, T0 + timedelta(minutes=20))
    assert len(guard) == 2  # a is gone
    guard.check_and_remember("a" * 32, T0 + timedelta(minutes=10))
    with pytest.raises(EnvelopeRejected):
        guard.check_and_remember("b" * 32, T0 + timedelta(minutes=15))


def test_concurrent_submits_of_one_id_accept_exactly_one(guard: SqlReplayGuard) -> None:
    outcomes: list[bool] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            guard.check_and_remember("d" * 32, T0 + timedelta(minutes=5))
            accepted = True
        except EnvelopeRejected:
            accepted = False
        with lock:
            outcomes.append(accepted)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 7 + [True]


@pytest.mark.parametrize("query_id", ["", "x" * 65])
def test_a_malformed_id_is_refused(guard: SqlReplayGuard, query_id: str) -> None:
    with pytest.raises(EnvelopeRejected, match="malformed"):
        guard.check_and_remember(query_id, T0 + timedelta(minutes=5))
