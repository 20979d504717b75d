"""The activity report: exact counts of a period, and its JSON, CSV and HTML forms."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.auditing.report import (
    HIT_RATES_SOURCE,
    NO_HIT_RATES,
    Count,
    Denials,
    LedgerSummary,
    LogAccesses,
    PartnerAnswers,
    Report,
    ReportEvent,
    build_report,
    render_csv,
    render_html,
    render_json,
)
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import InvalidInput

SINCE, UNTIL = date(2025, 3, 1), date(2025, 3, 5)
XSS = "<script>alert(1)</script>"
GENERATED = datetime(2025, 3, 6, 8, 30, tzinfo=UTC)


def at(day: int, hour: int = 12, tz: timezone = UTC) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=tz)


def submitted(when: datetime, agency: str, purpose: str) -> AuditEvent:
    return AuditEvent(
        EntryKind.QUERY_SUBMITTED,
        when,
        {
            "query_id": "q",
            "requesting_agency": agency,
            "investigator_id": "inv-1",
            "case_id": "case <7> & co",
            "purpose": purpose,
            "legal_basis": "art. 6",
            "targets": ("NL:*",),
            "key_count": 3,
            "payload_digest": "ab" * 32,
            "issued_at_ms": 0,
            "expires_at_ms": 1,
        },
    )


def answered(when: datetime, agency: str, status: str) -> AuditEvent:
    fields = {"query_id": "q", "agency": agency, "dataset": "d", "status": status}
    return AuditEvent(
        EntryKind.PARTNER_ANSWERED, when, {**fields, "reason": "", "filter_version": 1}
    )


def event(kind: EntryKind, when: datetime, **fields: str | int) -> AuditEvent:
    return AuditEvent(kind, when, fields)


def entries(*events: AuditEvent | tuple[EntryKind, datetime]) -> list[ReportEvent]:
    """Index the events; a (kind, time) pair is an entry whose body was erased."""
    out = []
    for index, item in enumerate(events):
        if isinstance(item, AuditEvent):
            out.append(ReportEvent(index, item.kind, item.time, item))
        else:
            out.append(ReportEvent(index, item[0], item[1], None))
    return out


K = EntryKind
LOG = entries(
    submitted(at(1, 9), "NL", "fraud"),
    submitted(at(1, 10), "NL", "fraud"),
    submitted(at(1, 11), "DE", "terrorism"),
    submitted(at(3), "DE", "fraud"),
    submitted(at(5, 23), "BE", XSS),
    # 00:30 at UTC+2 on the 6th is 22:30 UTC on the 5th: inside.
    submitted(at(6, 0, timezone(timedelta(hours=2))), "BE", "fraud"),
    # Outside: the evening before (UTC) and the first instant after.
    submitted(datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC), "NL", "fraud"),
    submitted(datetime(2025, 3, 6, tzinfo=UTC), "NL", "fraud"),
    submitted(at(5, 23, timezone(timedelta(hours=-2))), "NL", "fraud"),  # 6th 01:00 UTC
    answered(at(1), "NL", "ok"),
    answered(at(1), "NL", "ok"),
    answered(at(2), "NL", "timeout"),
    answered(at(2), "DE", "refused"),
    answered(at(3), "DE", "unavailable"),
    answered(at(4), "BE", "ok"),
    answered(datetime(2025, 3, 9, tzinfo=UTC), "BE", "timeout"),
    event(K.QUERY_COMPLETED, at(1), query_id="q", requesting_agency="NL", answers=2, ok=2),
    event(K.POLICY_DENIAL, at(2), query_id="", requesting_agency="NL", reason="quota exceeded"),
    event(K.POLICY_DENIAL, at(3), query_id="q", requesting_agency="NL", reason="quota exceeded"),
    event(K.POLICY_DENIAL, at(3), query_id="q", requesting_agency="DE", reason="no agreement"),
    event(K.PARTICIPANT_ADMITTED, at(2), agency="FR", endpoint="fr.liaison.example:8443"),
    event(K.PARTICIPANT_REMOVED, at(4), agency="BE"),
    event(K.LOG_ACCESS, at(4), accessor="dpo-1", role="auditor", action="entries 0-99"),
    event(K.LOG_ACCESS, at(4), accessor="dpo-1", role="auditor", action="tree_head"),
    event(K.LOG_ACCESS, at(5), accessor="dpo-2", role="auditor", action="tree_head"),
    event(K.ERASURE, at(5), first_index=0, last_index=9, count=10, before_ms=1_700_000_000_000),
    (K.QUERY_SUBMITTED, at(2)),
    (K.PARTNER_ANSWERED, at(2)),
    (K.QUERY_SUBMITTED, datetime(2025, 1, 1, tzinfo=UTC)),
)


@pytest.fixture
def report() -> Report:
    return build_report(LOG, since=SINCE, until=UNTIL)


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
    assert totals.entries == len(LOG) - 5  # four readable entries and one erased outside
    assert (totals.queries, totals.partner_answers, totals.completed_queries) == (6, 6, 1)
    assert (totals.policy_denials, totals.log_accesses, totals.erasures) == (3, 3, 1)
    assert (totals.participants_admitted, totals.participants_removed) == (1, 1)


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


def test_json_round_trips_with_schema_1(report: Report) -> None:
    document = json.loads(render_json(report))
    assert document["schema"] == 1
    assert document["period"] == {"since": "2025-03-01", "until": "2025-03-05", "days": 5}
    assert document["queries"]["per_day"]["2025-03-02"] == 0
    assert document["queries"]["per_purpose"][XSS] == 1
    assert document["partners"]["NL"] == {
        "asked": 3,
        "ok": 2,
        "unavailable": 0,
        "refused": 0,
        "timeout": 1,
        "availability": 0.6667,
    }
    assert document["participants"][0] == {
        "time": "2025-03-02T12:00:00.000Z",
        "kind": "participant_admitted",
        "agency": "FR",
        "endpoint": "fr.liaison.example:8443",
        "index": 20,
    }
    assert document["erased_entries"] == {"query_submitted": 1, "partner_answered": 1}
    assert document["totals"]["queries"] == 6


def test_csv_is_one_long_table_the_csv_module_reads(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0] == ["section", "key", "subkey", "value"]
    assert all(len(row) == 4 for row in rows)
    assert ["report", "schema", "", "1"] in rows
    assert ["queries_per_day", "2025-03-04", "", "0"] in rows
    assert ["queries_per_purpose", XSS, "", "1"] in rows
    assert ["partners", "DE", "availability", "0.5"] in rows
    assert ["policy_denials", "NL", "quota exceeded", "2"] in rows
    assert ["participants", "21", "agency", "BE"] in rows
    assert ["erasures", "25", "count", "10"] in rows
    assert ["log_accesses", "dpo-1", "auditor", "2"] in rows
    assert ["notes", "1", "", NO_HIT_RATES] in rows


def test_csv_text_a_spreadsheet_would_run_is_defused() -> None:
    log = entries(submitted(at(2), "NL", "=HYPERLINK(1)"), submitted(at(2), "NL", "-1+1"))
    rows = list(csv.reader(io.StringIO(render_csv(build_report(log, since=SINCE, until=UNTIL)))))
    assert ["queries_per_purpose", "'=HYPERLINK(1)", "", "1"] in rows
    assert ["queries_per_purpose", "'-1+1", "", "1"] in rows


def test_html_is_self_contained_and_needs_no_network(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED).lower()
    for reference in (
        "http://",
        "https://",
        "<script",
        "<link",
        "src=",
        "href=",
        "url(",
        "@import",
    ):
        assert reference not in page
    assert page.count("<svg") == 4  # per day, per agency, per purpose, partner statuses
    assert "<rect" in page


def test_html_escapes_every_text_from_the_log(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Only the tags the renderer writes itself.
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", page))
    assert tags <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "section",
        "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "svg", "rect",
        "line", "text",
    }  # fmt: skip


def test_html_title_names_the_period_and_generation_time(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    title = "Liaison audit report 2025-03-01 to 2025-03-05 (generated 2025-03-06T08:30:00.000Z)"
    assert f"<title>{title}</title>" in page
    assert "<h1>Liaison audit report, 2025-03-01 to 2025-03-05</h1>" in page


def test_html_shows_erasures_with_their_cut_off_time(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    assert '<td>0-9</td><td class="n">10</td><td>2023-11-14T22:13:20.000Z</td>' in page


def test_html_generation_time_must_be_aware(report: Report) -> None:
    with pytest.raises(InvalidInput):
        render_html(report, generated_at=datetime(2025, 3, 6))


def test_an_empty_period_renders_in_every_format() -> None:
    report = build_report([], since=SINCE, until=SINCE)
    assert json.loads(render_json(report))["queries"]["per_day"] == {"2025-03-01": 0}
    assert len(list(csv.reader(io.StringIO(render_csv(report))))) > 1
    assert "none in this period" in render_html(report, generated_at=GENERATED)


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
