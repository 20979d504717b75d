"""The broker's fishing alerts: a bounded number of entries, each saying what was left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liaison.broker import alerts as broker_alerts
from liaison.broker.alerts import AlertLimiter
from liaison.broker.audit.events import partner_alerts
from liaison.core.alerts import BROKER, Alert, AlertLimit
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.audit import EntryKind

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BUDGET = Alert(AlertLimit.DAILY_KEY_BUDGET, allowed=20_000, used=20_000, asked=10_000)
RATE = Alert(AlertLimit.BROKER_RATE, allowed=40, used=40, asked=1)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def written(limiter: AlertLimiter, alert: Alert, agency: str = "TR", partner: str = BROKER) -> int:
    """Raise one alert; return its suppressed count if an entry was written, else -1."""
    event = limiter.event(alert, time=T0, query_id="", requesting_agency=agency, partner=partner)
    if event is None:
        return -1
    assert event.kind is EntryKind.FISHING_ALERT
    suppressed = event.fields["suppressed"]
    assert isinstance(suppressed, int)
    return suppressed


def test_a_flood_writes_one_entry_a_minute_and_counts_the_rest() -> None:
    clock = Clock()
    limiter = AlertLimiter(monotonic=clock)
    flood = [written(limiter, RATE) for _ in range(1000)]
    assert flood[0] == 0 and flood[1:] == [-1] * 999
    clock.now = 59.9
    assert written(limiter, RATE) == -1
    clock.now = 60.0
    # The next entry says how many of its kind were left out since the last.
    assert written(limiter, RATE) == 1000
    assert written(limiter, RATE) == -1


def test_agencies_partners_and_limits_are_limited_apart() -> None:
    limiter = AlertLimiter(monotonic=Clock())
    in_flight = Alert(AlertLimit.BROKER_IN_FLIGHT, allowed=8, used=8, asked=1)
    assert written(limiter, RATE, "TR") == 0
    assert written(limiter, RATE, "NL") == 0
    assert written(limiter, in_flight, "TR") == 0
    assert written(limiter, BUDGET, "TR", "FR") == 0
    assert written(limiter, BUDGET, "TR", "NL") == 0
    assert written(limiter, BUDGET, "TR", "FR") == -1


def test_the_entry_holds_the_alert_as_given() -> None:
    event = AlertLimiter().event(
        BUDGET, time=T0, query_id="q-1", requesting_agency="FR", partner="NL"
    )
    assert event is not None
    assert dict(event.fields) == {
        "query_id": "q-1", "requesting_agency": "FR", "partner": "NL",
        "limit": "daily_key_budget", "allowed": 20_000, "used": 20_000, "asked": 10_000,
        "suppressed": 0,
    }  # fmt: skip


def test_memory_stays_bounded_under_many_agencies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker_alerts, "MAX_TRIPLES", 100)
    clock = Clock()
    limiter = AlertLimiter(monotonic=clock)
    for n in range(300):
        # Each agency's second alert is suppressed, so its count is worth keeping.
        assert written(limiter, RATE, f"A{n}") == 0
        assert written(limiter, RATE, f"A{n}") == -1
        clock.now += 61.0
    assert len(limiter) == 100
    # The most recent ones kept their count; the oldest were dropped with theirs.
    assert written(limiter, RATE, "A299") == 1
    assert written(limiter, RATE, "A0") == 0


def test_quiet_triples_are_forgotten_once_their_minute_passed() -> None:
    clock = Clock()
    limiter = AlertLimiter(monotonic=clock)
    written(limiter, RATE, "TR")
    written(limiter, RATE, "NL")
    written(limiter, RATE, "NL")  # suppressed: NL's count is kept until its next entry
    clock.now = 61.0
    written(limiter, RATE, "BE")
    assert len(limiter) == 2
    assert written(limiter, RATE, "NL") == 1


def answer(agency: str, dataset: str, status: PartnerStatus, alert: Alert | None) -> DatasetAnswer:
    return DatasetAnswer(agency, dataset, status, "alert: ..." if alert else "", alert=alert)


def test_partner_alerts_are_one_per_partner_from_refused_answers_only() -> None:
    rate = Alert(AlertLimit.PARTNER_RATE, allowed=2, used=2, asked=1)
    answers = [
        answer("NL", "a", PartnerStatus.REFUSED, BUDGET),
        answer("NL", "b", PartnerStatus.REFUSED, BUDGET),
        answer("TR", "*", PartnerStatus.REFUSED, rate),
        answer("BE", "x", PartnerStatus.OK, BUDGET),  # an ok answer raises no alert
        answer("DE", "*", PartnerStatus.REFUSED, RATE),  # nor a partner in the broker's name
        answer("FR", "*", PartnerStatus.REFUSED, None),
    ]
    assert partner_alerts(answers) == [("NL", BUDGET), ("TR", rate)]
