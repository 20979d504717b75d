"""The report as JSON, and an empty period in every format."""

from __future__ import annotations

import csv
import io
import json

from liaison.auditing.report.render_csv import render_csv
from liaison.auditing.report.render_html import render_html
from liaison.auditing.report.render_json import render_json
from liaison.auditing.report.tally import (
    Report,
    build_report,
)
from tests.unit.auditing.report_log import (
    GENERATED,
    SINCE,
    XSS,
)


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
    assert document["totals"]["fishing_alerts"] == 4
    assert document["alerts"] == [
        {"requesting_agency": "DE", "partner": "FR", "limit": "partner_rate", "entries": 1,
         "suppressed": 1, "alerts": 2},
        {"requesting_agency": "NL", "partner": "FR", "limit": "daily_key_budget", "entries": 2,
         "suppressed": 4, "alerts": 6},
        {"requesting_agency": "NL", "partner": "broker", "limit": "broker_rate", "entries": 1,
         "suppressed": 0, "alerts": 1},
    ]  # fmt: skip


def test_an_empty_period_renders_in_every_format() -> None:
    report = build_report([], since=SINCE, until=SINCE)
    assert json.loads(render_json(report))["queries"]["per_day"] == {"2025-03-01": 0}
    assert json.loads(render_json(report))["alerts"] == []
    assert len(list(csv.reader(io.StringIO(render_csv(report))))) > 1
    assert "none in this period" in render_html(report, generated_at=GENERATED)
