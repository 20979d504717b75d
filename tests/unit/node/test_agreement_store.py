"""Contract of the agreement store, on SQLite and PostgreSQL: agreements and atomic budgets."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.errors import BudgetExhausted, InvalidInput
from liaison.node.agreements import Agreement, AgreementMode
from liaison.node.sql_agreements import SqlAgreementStore

T0 = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)
FR = Agreement(
    "FR",
    datasets=("watchlist",),
    purposes=("counter-terrorism",),
    mode=AgreementMode.COUNT,
    max_keys_per_query=100,
    max_keys_per_day=250,
    queries_per_minute=1000,
    expires_at=T0 + timedelta(days=30),
)


@pytest.fixture
def store(db_url: str) -> Iterator[SqlAgreementStore]:
    with SqlAgreementStore(db_url) as opened:
        yield opened


def test_an_agreement_round_trips_and_is_replaced_by_partner(store: SqlAgreementStore) -> None:
    assert store.get("FR") is None
    store.put(FR)
    assert store.get("FR") == FR
    wider = Agreement("FR", datasets=("*",), purposes=("fraud", "tax"))
    store.put(wider)
    assert store.list() == [wider]


def test_hit_notices_are_off_unless_the_agreement_says_so(store: SqlAgreementStore) -> None:
    assert FR.hit_notices is False
    store.put(dataclasses.replace(FR, hit_notices=True))
    assert store.get("FR") == dataclasses.replace(FR, hit_notices=True)


def test_remove_says_whether_there_was_one(store: SqlAgreementStore) -> None:
    store.put(FR)
    store.put(Agreement("NL", datasets=("*",), purposes=("*",)))
    assert store.remove("FR") is True
    assert store.remove("FR") is False
    assert [a.partner for a in store.list()] == ["NL"]


def test_a_change_is_seen_by_another_store_on_the_same_database(db_url: str) -> None:
    with SqlAgreementStore(db_url) as writer, SqlAgreementStore(db_url) as reader:
        assert reader.get("FR") is None
        writer.put(FR)
        assert reader.get("FR") == FR
        writer.remove("FR")
        assert reader.get("FR") is None


def test_spending_stops_at_the_daily_budget_and_counts_nothing_refused(
    store: SqlAgreementStore,
) -> None:
    assert store.spend(FR, 100, now=T0).keys_today == 100
    assert store.spend(FR, 100, now=T0).keys_today == 200
    with pytest.raises(BudgetExhausted, match="daily key budget exhausted"):
        store.spend(FR, 100, now=T0)
    assert store.usage("FR", now=T0).keys_today == 200
    assert store.spend(FR, 50, now=T0).keys_today == 250
    with pytest.raises(BudgetExhausted) as caught:
        store.spend(FR, 1, now=T0)
    # Which limit, what it allows, what was spent and what the query asked.
    assert caught.value.alert == Alert(AlertLimit.DAILY_KEY_BUDGET, 250, used=250, asked=1)


def test_the_budget_renews_with_the_utc_day(store: SqlAgreementStore) -> None:
    store.spend(FR, 250, now=T0)
    tomorrow = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert store.spend(FR, 10, now=tomorrow).keys_today == 10


def test_a_query_larger_than_the_whole_budget_is_refused(store: SqlAgreementStore) -> None:
    with pytest.raises(BudgetExhausted) as caught:
        store.spend(FR, 251, now=T0)
    assert caught.value.alert == Alert(AlertLimit.DAILY_KEY_BUDGET, 250, used=0, asked=251)
    assert store.usage("FR", now=T0).keys_today == 0


def test_the_rate_limit_counts_queries_per_minute(store: SqlAgreementStore) -> None:
    slow = Agreement("FR", datasets=("*",), purposes=("*",), queries_per_minute=2)
    store.spend(slow, 1, now=T0)
    store.spend(slow, 1, now=T0)
    with pytest.raises(BudgetExhausted, match="rate limit reached") as caught:
        store.spend(slow, 1, now=T0)
    assert caught.value.alert == Alert(AlertLimit.PARTNER_RATE, 2, used=2, asked=1)
    # The refused query spent no key either.
    assert store.usage("FR", now=T0).keys_today == 2
    assert store.spend(slow, 1, now=T0 + timedelta(minutes=1)).queries_this_minute == 1


def test_a_query_spends_at_least_one_key(store: SqlAgreementStore) -> None:
    with pytest.raises(InvalidInput):
        store.spend(FR, 0, now=T0)


def test_partners_have_their_own_budgets(store: SqlAgreementStore) -> None:
    store.spend(FR, 250, now=T0)
    nl = Agreement("NL", datasets=("*",), purposes=("*",), max_keys_per_day=10)
    assert store.spend(nl, 10, now=T0).keys_today == 10


def test_concurrent_spends_never_pass_the_budget(db_url: str) -> None:
    # 4 stores (connection pools) x 10 threads x 3 spends of 10 keys = 1200
    # keys asked against a budget of 250: exactly 25 spends may succeed.
    agreement = Agreement("FR", datasets=("*",), purposes=("*",), max_keys_per_day=250,
                          queries_per_minute=10_000)  # fmt: skip
    stores = [SqlAgreementStore(db_url) for _ in range(4)]
    accepted: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(40)

    def worker(store: SqlAgreementStore) -> None:
        start.wait()
        for _ in range(3):
            try:
                total = store.spend(agreement, 10, now=T0)
            except BudgetExhausted:
                with lock:
                    refused.append(1)
            else:
                with lock:
                    accepted.append(total.keys_today)

    threads = [threading.Thread(target=worker, args=(stores[i % 4],)) for i in range(40)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(accepted) == 25
        assert len(refused) == 120 - 25
        # Every accepted spend saw its own total: no two read the same count.
        assert sorted(accepted) == list(range(10, 251, 10))
        assert stores[0].usage("FR", now=T0).keys_today == 250
    finally:
        for store in stores:
            store.close()


def test_an_agreement_refuses_what_it_could_not_enforce() -> None:
    with pytest.raises(InvalidInput, match="agency code"):
        Agreement("*", datasets=("*",), purposes=("*",))
    with pytest.raises(InvalidInput, match="at least one"):
        Agreement("FR", datasets=(), purposes=("*",))
    with pytest.raises(InvalidInput, match="control characters"):
        Agreement("FR", datasets=("a\x00b",), purposes=("*",))
    with pytest.raises(InvalidInput, match="max_keys_per_day"):
        Agreement("FR", datasets=("*",), purposes=("*",), max_keys_per_day=0)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        Agreement("FR", datasets=("*",), purposes=("*",), expires_at=datetime(2026, 1, 1))
