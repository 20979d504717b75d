"""Watch figures from a node ledger: live per case at the period's end, re-runs, new hits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from liaison.auditing.report.render_csv import render_csv
from liaison.auditing.report.render_html import render_html
from liaison.auditing.report.render_json import render_json
from liaison.auditing.report.tally import LedgerSummary, build_report
from liaison.auditing.report.watches import CaseWatches, watch_figures
from liaison.core.query import Justification
from liaison.node.ledger.chain import Ledger, LedgerEntry
from liaison.node.ledger.sql_store import SqlLedgerStore

DAY1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def ledger_entries(url: str) -> list[LedgerEntry]:
    times = iter(DAY1 + timedelta(hours=h) for h in range(100))
    with SqlLedgerStore(url) as store:
        ledger = Ledger(store, lambda: next(times))

        def step(watch: str, case: str, outcome: str) -> None:
            why = Justification(case, "counter-terrorism", "art. 7", "jane@fr")
            ledger.record_watch(
                watch_id=watch, partners=("NL",), justification=why, key_count=3, outcome=outcome
            )

        step("w1", "CASE-A", "registered, no end")  # day 1, 09:00
        step("w1", "CASE-A", "first run q1: 0 new hits")
        step("w2", "CASE-A", "registered, until 2026-12-02T00:00:00.000000Z")
        step("w3", "CASE-B", "registered, no end")
        step("w1", "CASE-A", "re-run q2: 2 new hits")
        step("w3", "CASE-B", "re-run failed: Unreachable")
        step("w3", "CASE-B", "removed by jane@fr")
        return ledger.entries()


def test_live_watches_are_counted_per_case_at_the_end_of_the_period(db_url: str) -> None:
    entries = ledger_entries(db_url)
    day = DAY1.date()
    figures = watch_figures("FR", entries, day, day)
    # w2 ends at midnight, the end of the period: no longer live; w3 was removed.
    assert figures.live_per_case == (CaseWatches("CASE-A", 1),)
    assert (figures.registered, figures.reruns, figures.new_hits) == (3, 2, 2)
    before = watch_figures("FR", entries, date(2026, 11, 1), date(2026, 11, 30))
    assert (before.live, before.registered, before.reruns) == (0, 0, 0)


def test_the_report_shows_the_watches_in_every_format(db_url: str) -> None:
    figures = watch_figures("FR", ledger_entries(db_url), DAY1.date(), DAY1.date())
    report = build_report(
        [], since=DAY1.date(), until=DAY1.date(), ledgers=[LedgerSummary("FR", 3, 1, figures)]
    )
    assert json.loads(render_json(report))["watches"] == {
        "FR": {"live": 1, "live_per_case": {"CASE-A": 1}, "registered": 3, "reruns": 2,
               "new_hits": 2},
    }  # fmt: skip
    csv = render_csv(report)
    assert "watches,FR,new_hits,2" in csv and "watches_live_per_case,FR,CASE-A,1" in csv
    assert "Standing watches" in render_html(report, generated_at=DAY1)
    assert (
        json.loads(render_json(build_report([], since=DAY1.date(), until=DAY1.date())))["watches"]
        is None
    )
