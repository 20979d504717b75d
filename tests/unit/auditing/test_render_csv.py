"""The report as one long CSV table, spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io

from liaison.auditing.report.render_csv import render_csv
from liaison.auditing.report.tally import (
    NO_HIT_RATES,
    Report,
    build_report,
)
from tests.unit.auditing.report_log import (
    SINCE,
    UNTIL,
    XSS,
    at,
    entries,
    submitted,
)


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
    assert ["totals", "fishing_alerts", "", "4"] in rows
    alerts = [row[1:] for row in rows if row[0] == "alerts"]
    assert alerts[6:12] == [
        ["2", "requesting_agency", "NL"], ["2", "partner", "FR"],
        ["2", "limit", "daily_key_budget"], ["2", "entries", "2"], ["2", "suppressed", "4"],
        ["2", "alerts", "6"],
    ]  # fmt: skip
    assert len(alerts) == 18


def test_csv_text_a_spreadsheet_would_run_is_defused() -> None:
    log = entries(submitted(at(2), "NL", "=HYPERLINK(1)"), submitted(at(2), "NL", "-1+1"))
    rows = list(csv.reader(io.StringIO(render_csv(build_report(log, since=SINCE, until=UNTIL)))))
    assert ["queries_per_purpose", "'=HYPERLINK(1)", "", "1"] in rows
    assert ["queries_per_purpose", "'-1+1", "", "1"] in rows
