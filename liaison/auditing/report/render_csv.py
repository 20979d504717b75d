"""The report as one long CSV table ``section,key,subkey,value`` (docs/audit.md, "Reports")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Final

from liaison.auditing.report.render_json import (
    SCHEMA,
    alert_values,
    hit_rate_values,
    partner_values,
    plain_row,
    watch_values,
)
from liaison.auditing.report.tally import Report

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Report) -> str:
    """Return the report as one long table ``section,key,subkey,value`` (docs/audit.md).

    Text that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "key", "subkey", "value"))
    writer.writerows(tuple(_cell(v) for v in row) for row in _csv_rows(report))
    return out.getvalue()


def _csv_rows(report: Report) -> Iterable[tuple[str, str, str, object]]:
    yield "report", "schema", "", SCHEMA
    yield "period", "since", "", report.since.isoformat()
    yield "period", "until", "", report.until.isoformat()
    yield from (("totals", k, "", v) for k, v in asdict(report.totals).items())
    yield from (("queries_per_agency", c.key, "", c.count) for c in report.queries_per_agency)
    yield from (("queries_per_purpose", c.key, "", c.count) for c in report.queries_per_purpose)
    yield from (("queries_per_day", d.day.isoformat(), "", d.count) for d in report.queries_per_day)
    for p in report.partners:
        yield from (("partners", p.agency, k, v) for k, v in partner_values(p).items())
    yield from (("policy_denials", d.agency, d.reason, d.count) for d in report.denials)
    for n, alerts in enumerate(report.alerts, 1):
        yield from (("alerts", str(n), k, v) for k, v in alert_values(alerts).items())
    for change in report.participants:
        yield from _entity_rows("participants", change.index, plain_row(change))
    for erasure in report.erasures:
        yield from _entity_rows("erasures", erasure.index, plain_row(erasure))
    yield from (("log_accesses", a.accessor, a.role, a.count) for a in report.log_accesses)
    yield from (("erased_entries", c.key, "", c.count) for c in report.erased_per_kind)
    for h in report.hit_rates or ():
        yield from (("hit_rates", h.agency, k, v) for k, v in hit_rate_values(h).items())
    yield from (("followups", k, "", v) for k, v in asdict(report.followups).items())
    yield from (("notes", str(n), "", text) for n, text in enumerate(report.notes, 1))
    for w in report.watches or ():
        for k, v in watch_values(w).items():
            if isinstance(v, dict):
                yield from ((f"watches_{k}", w.agency, case, n) for case, n in v.items())
            else:
                yield "watches", w.agency, k, v


def _entity_rows(
    section: str, index: int, values: Mapping[str, object]
) -> Iterable[tuple[str, str, str, object]]:
    """One row per attribute of a listed entry, keyed by the entry's index."""
    return ((section, str(index), k, v) for k, v in values.items() if k != "index")


def spreadsheet_safe(value: object) -> str:
    """Return a CSV cell's text that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
    prefixed with a single quote, as OWASP recommends against CSV injection;
    numbers are written as they are, ``None`` as an empty cell. Shared by the
    report and ``liaison audit log --csv``.
    """
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


_cell = spreadsheet_safe
