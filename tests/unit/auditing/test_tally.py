"""The tally: exact counts of a period, hit rates from the ledgers, refused input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.auditing.report.render_html import render_html
from liaison.auditing.report.render_json import render_json
from liaison.auditing.report.tally import (
    HIT_RATES_SOURCE,
    NO_HIT_RATES,
    Alerts,
    Count,
    Denials,
    LedgerSummary,
    LogAccesses,
    PartnerAnswers,
    Report,
    ReportEvent,
    build_report,
)
from liaison.core.errors import InvalidInput
from tests.unit.auditing.report_log import (
    GENERATED,
    LOG,
    SINCE,
    UNTIL,
    XSS,
    K,
    at,
    entries,
    submitted,
)


def test_queries_are_counted_per_agency_purpose_and_day(report: Report) -> None:
    assert report.queries_per_agency == (Count("BE", 2), Count("DE", 2), Count("NL", 2))
    assert report.queries_per_purpose == (Count("fraud", 4), Count(XSS, 1), Count("terrorism", 1))
    per_day = {d.day.day: d.count for d in report.queries_per_day}
    assert per_day == {1: 3, 2: 0, 3: 1, 4: 0, 5: 2}


def test_every_day_of_the_period_is_listed_even_without_queries() -> None:
    report = build_report([], since=date(2024, 2, 27), until=date(2024, 3, 2))
    days = [d.day.isoformat() for d in report.queries_per_day]
    assert days == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]
    assert all(d.count == 0 for d in report.queries_per_day)
    assert report.queries_per_agency == ()
    assert report.partners == ()


def test_partner_answers_by_status_give_availability(report: Report) -> None:
    assert report.partners == (
        PartnerAnswers("BE", ok=1),
        PartnerAnswers("DE", unavailable=1, refused=1),
        PartnerAnswers("NL", ok=2, timeout=1),
    )
    assert [p.availability for p in report.partners] == [1.0, 0.5, 2 / 3]
    assert PartnerAnswers("XX").availability is None


def test_denials_participants_accesses_and_erasures(report: Report) -> None:
    assert report.denials == (
        Denials("DE", "no agreement", 1),
        Denials("NL", "quota exceeded", 2),
    )
    changes = [(c.kind, c.agency, c.endpoint) for c in report.participants]
    assert changes == [
        (K.PARTICIPANT_ADMITTED, "FR", "fr.liaison.example:8443"),
        (K.PARTICIPANT_REMOVED, "BE", ""),
    ]
    assert report.log_accesses == (
        LogAccesses("dpo-1", "auditor", 2),
        LogAccesses("dpo-2", "auditor", 1),
    )
    (erasure,) = report.erasures
    assert (erasure.first_index, erasure.last_index, erasure.count) == (0, 9, 10)


def test_erased_entries_are_counted_apart_and_in_no_other_figure(report: Report) -> None:
    assert report.totals.erased_entries == 2
    assert report.erased_per_kind == (Count(K.QUERY_SUBMITTED, 1), Count(K.PARTNER_ANSWERED, 1))
    assert sum(d.count for d in report.queries_per_day) == report.totals.queries == 6
    assert any("2 entries of the period were erased" in note for note in report.notes)


def test_totals_count_only_the_period(report: Report) -> None:
    totals = report.totals
    assert totals.entries == len(LOG) - 6  # five readable entries and one erased outside
    assert (totals.queries, totals.partner_answers, totals.completed_queries) == (6, 6, 1)
    assert (totals.policy_denials, totals.log_accesses, totals.erasures) == (3, 3, 1)
    assert (totals.participants_admitted, totals.participants_removed) == (1, 1)
    assert totals.fishing_alerts == 4


def test_without_ledgers_the_report_says_hit_rates_are_unknown(report: Report) -> None:
    assert report.hit_rates is None
    assert NO_HIT_RATES in report.notes
    assert json.loads(render_json(report))["hit_rates"] is None
    assert NO_HIT_RATES in render_html(report, generated_at=GENERATED)


def test_hit_rates_come_from_the_ledgers_beside_the_broker_count() -> None:
    ledgers = [LedgerSummary("NL", 4, 1), LedgerSummary("DE", 0, 0)]
    report = build_report(LOG, since=SINCE, until=UNTIL, ledgers=ledgers)
    assert report.hit_rates is not None
    assert [(h.agency, h.rate, h.broker_logged) for h in report.hit_rates] == [
        ("DE", None, 2),
        ("NL", 0.25, 2),
    ]
    assert HIT_RATES_SOURCE in report.notes
    document = json.loads(render_json(report))["hit_rates"]
    assert document["NL"] == {
        "queries_sent": 4,
        "queries_with_hits": 1,
        "broker_logged": 2,
        "rate": 0.25,
    }
    assert "25.0%" in render_html(report, generated_at=GENERATED)


@pytest.mark.parametrize(
    ("since", "until", "events", "ledgers"),
    [
        (UNTIL, SINCE, [], []),
        (SINCE, UNTIL, [ReportEvent(0, K.QUERY_SUBMITTED, datetime(2025, 3, 2), None)], []),
        (SINCE, UNTIL, [ReportEvent(0, K.LOG_ACCESS, at(2), LOG[0].event)], []),
        (SINCE, UNTIL, [], [LedgerSummary("NL", 1, 0), LedgerSummary("NL", 2, 0)]),
    ],
    ids=["until-before-since", "naive-time", "kinds-differ", "two-ledgers-one-agency"],
)
def test_inconsistent_input_is_refused(
    since: date, until: date, events: list[ReportEvent], ledgers: list[LedgerSummary]
) -> None:
    with pytest.raises(InvalidInput):
        build_report(events, since=since, until=until, ledgers=ledgers)


@pytest.mark.parametrize(("sent", "hits"), [(1, 2), (-1, 0), (True, 0)])
def test_impossible_ledger_counts_are_refused(sent: int, hits: int) -> None:
    with pytest.raises(InvalidInput):
        LedgerSummary("NL", sent, hits)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 9), st.sampled_from(["NL", "DE", "BE"]), st.sampled_from(["a", "b"])
        ),
        max_size=40,
    )
)
def test_per_agency_per_purpose_and_per_day_sum_to_the_total(
    queries: list[tuple[int, str, str]],
) -> None:
    start = datetime(2025, 2, 27, tzinfo=UTC)
    log = entries(*(submitted(start + timedelta(days=d), a, p) for d, a, p in queries))
    report = build_report(log, since=SINCE, until=UNTIL)
    inside = sum(2 <= d <= 6 for d, _, _ in queries)
    assert report.totals.queries == inside
    for counts in (report.queries_per_agency, report.queries_per_purpose):
        assert sum(c.count for c in counts) == inside
    assert sum(d.count for d in report.queries_per_day) == inside


def test_alerts_are_counted_per_requester_partner_and_limit(report: Report) -> None:
    assert report.alerts == (
        Alerts("DE", "FR", "partner_rate", entries=1, suppressed=1),
        Alerts("NL", "FR", "daily_key_budget", entries=2, suppressed=4),
        Alerts("NL", "broker", "broker_rate", entries=1, suppressed=0),
    )
    assert [a.alerts for a in report.alerts] == [2, 6, 1]


def test_an_erased_alert_counts_only_as_erased() -> None:
    report = build_report(entries((K.FISHING_ALERT, at(2))), since=SINCE, until=UNTIL)
    assert report.alerts == ()
    assert report.totals.fishing_alerts == 0
    assert report.erased_per_kind == (Count("fishing_alert", 1),)
