"""The activity report of a period: what the broker's audit log says happened.

``liaison audit report`` fetches the entries; :mod:`.tally` counts them into
a :class:`Report` (pure: no I/O, no clock), and :mod:`.render_json`,
:mod:`.render_csv` and :mod:`.render_html` render it as JSON, as one long
CSV table, or as one self-contained HTML page with inline SVG charts
(docs/audit.md, "Reports").

The broker never learns match results, so hit rates come only from the
requesting nodes' own ledgers, passed in as :class:`LedgerSummary`.
"""

from liaison.auditing.report.render_csv import render_csv
from liaison.auditing.report.render_html import render_html
from liaison.auditing.report.render_json import SCHEMA, render_json
from liaison.auditing.report.tally import (
    HIT_RATES_SOURCE,
    NO_HIT_RATES,
    Alerts,
    Count,
    DayCount,
    Denials,
    Erasure,
    HitRate,
    LedgerSummary,
    LogAccesses,
    ParticipantChange,
    PartnerAnswers,
    Report,
    ReportEvent,
    Totals,
    build_report,
)
from liaison.auditing.report.watches import CaseWatches, WatchFigures, watch_figures

__all__ = [
    "HIT_RATES_SOURCE",
    "NO_HIT_RATES",
    "SCHEMA",
    "Alerts",
    "CaseWatches",
    "Count",
    "DayCount",
    "Denials",
    "Erasure",
    "HitRate",
    "LedgerSummary",
    "LogAccesses",
    "ParticipantChange",
    "PartnerAnswers",
    "Report",
    "ReportEvent",
    "Totals",
    "WatchFigures",
    "build_report",
    "render_csv",
    "render_html",
    "render_json",
    "watch_figures",
]
