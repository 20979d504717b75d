"""The report as one self-contained HTML page: inline CSS and SVG charts, no network."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Final

from liaison.auditing.report.render_json import iso_time
from liaison.auditing.report.tally import (
    NO_HIT_RATES,
    Count,
    DayCount,
    HitRate,
    PartnerAnswers,
    Report,
    utc_day,
)
from liaison.auditing.report.watches import WatchFigures
from liaison.core.audit import ms_to_datetime
from liaison.core.errors import InvalidInput

# No network: the policy forbids every fetch and every script even if some
# text escaped escaping; only the inline <style> is allowed.
_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"
_CSS: Final = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
       max-width: 1000px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 2em;
     border-bottom: 1px solid #d0d4dc; padding-bottom: .2em; }
.meta, .empty { color: #5a6270; } .note { background: #fff6dd; padding: .4em .7em; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { text-align: left; padding: .2em .8em .2em 0; border-bottom: 1px solid #eceef2;
         vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg { width: 100%; height: auto; display: block; }
svg text { font-size: 12px; fill: #1d2330; } .axis { stroke: #9aa1ad; }
.bar { fill: #3b6fb6; } .ok { fill: #2e7d32; } .refused { fill: #1e88e5; }
.unavailable { fill: #c62828; } .timeout { fill: #ef8c00; }
"""
_STATUSES: Final = tuple(PartnerAnswers("").by_status())
_WIDTH: Final = 960
_LABEL_WIDTH: Final = 210
_ROW: Final = 22
_TOP_ROWS: Final = 25

Cell = str | int


def render_html(report: Report, *, generated_at: datetime) -> str:
    """Return the report as one self-contained HTML page (inline CSS and SVG, no network).

    Every text from the log (agencies, purposes, reasons, accessors) is
    escaped; a Content-Security-Policy forbids scripts and fetches.

    Raises:
        InvalidInput: ``generated_at`` is naive.
    """
    utc_day(generated_at, "generated_at")
    period = f"{report.since.isoformat()} to {report.until.isoformat()}"
    generated = iso_time(generated_at)
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>Liaison audit report {period} (generated {generated})</title>",
        f"<style>{_CSS}</style>\n</head>\n<body>",
        f"<h1>Liaison audit report, {period}</h1>",
        f'<p class="meta">UTC days {period}, both included. Generated {generated} '
        "from the broker's audit log (metadata only).</p>",
        *(f'<p class="note">{_e(note)}</p>' for note in report.notes),
        *_html_sections(report),
        "</body>\n</html>\n",
    ]
    return "\n".join(parts)


def _html_sections(report: Report) -> Iterable[str]:
    totals = ((name.replace("_", " "), n) for name, n in asdict(report.totals).items())
    yield _section("Totals", _table(("figure", "count"), totals))
    days = report.queries_per_day
    yield _section(
        "Queries per day",
        _day_chart(days)
        + "<details><summary>table</summary>"
        + _table(("day", "queries"), ((d.day.isoformat(), d.count) for d in days))
        + "</details>",
    )
    for title, column, counts in (
        ("Queries per requesting agency", "agency", report.queries_per_agency),
        ("Queries per purpose", "purpose", report.queries_per_purpose),
    ):
        rows = ((c.key, c.count) for c in counts)
        yield _section(title, _bar_chart(title, counts) + _table((column, "queries"), rows))
    yield _section("Partner answers and availability", _partners(report.partners))
    yield _section(
        "Policy denials",
        _table(
            ("agency", "reason", "denials"), ((d.agency, d.reason, d.count) for d in report.denials)
        ),
    )
    alerts = (
        (
            a.requesting_agency,
            a.partner,
            a.limit.replace("_", " "),
            a.entries,
            a.suppressed,
            a.alerts,
        )
        for a in report.alerts
    )
    yield _section(
        "Alerts",
        _table(
            ("requesting agency", "partner", "limit", "entries", "suppressed", "alerts"), alerts
        ),
    )
    changes = (
        (iso_time(c.time), c.index, c.kind.removeprefix("participant_"), c.agency, c.endpoint)
        for c in report.participants
    )
    yield _section(
        "Participants admitted and removed",
        _table(("time", "entry", "change", "agency", "endpoint"), changes),
    )
    accesses = ((a.accessor, a.role, a.count) for a in report.log_accesses)
    yield _section("Log accesses", _table(("accessor", "role", "accesses"), accesses))
    yield _section("Erasures", _erasures(report))
    yield _section("Hit rates", _hit_rate_table(report.hit_rates))
    yield _section("Standing watches", _watch_table(report.watches))
    figures = (
        (name.replace("_", " "), "" if n is None else n)
        for name, n in asdict(report.followups).items()
    )
    yield _section("Follow-ups", _table(("figure", "value"), figures))


def _partners(partners: Sequence[PartnerAnswers]) -> str:
    if not partners:
        return _table((), ())
    rows = (
        (p.agency, p.asked, p.ok, p.refused, p.unavailable, p.timeout, _percent(p.availability))
        for p in partners
    )
    head = ("partner", "asked", *(str(s) for s in _STATUSES), "availability")
    return _partner_chart(partners) + _table(head, rows)


def _erasures(report: Report) -> str:
    rows = (
        (iso_time(e.time), e.index, f"{e.first_index}-{e.last_index}", e.count, _ms(e.before_ms))
        for e in report.erasures
    )
    erased = ((c.key, c.count) for c in report.erased_per_kind)
    return (
        _table(("time", "entry", "entries erased", "count", "older than"), rows)
        + "<h3>Erased entries of the period, by kind</h3>"
        + _table(("kind", "entries"), erased)
    )


def _hit_rate_table(hit_rates: Sequence[HitRate] | None) -> str:
    if hit_rates is None:
        return f'<p class="empty">{_e(NO_HIT_RATES)}</p>'
    rows = (
        (h.agency, h.queries_sent, h.queries_with_hits, _percent(h.rate), h.broker_logged)
        for h in hit_rates
    )
    head = ("agency", "sent (ledger)", "with hits", "hit rate", "in broker log")
    return _table(head, rows)


def _watch_table(watches: Sequence[WatchFigures] | None) -> str:
    if watches is None:
        return '<p class="empty">standing watches: from node ledgers only; pass them</p>'
    rows = (
        (w.agency, w.live, ", ".join(f"{c.case_id}: {c.live}" for c in w.live_per_case),
         w.registered, w.reruns, w.new_hits)
        for w in watches
    )  # fmt: skip
    head = ("agency", "live at end", "live per case", "registered", "re-runs", "new hits")
    return _table(head, rows)


def _section(title: str, body: str) -> str:
    return f"<section>\n<h2>{_e(title)}</h2>\n{body}\n</section>"


def _table(head: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    body = ["<tr>" + "".join(_td(cell) for cell in row) + "</tr>" for row in rows]
    if not body:
        return '<p class="empty">none in this period</p>'
    heading = "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"
    return f"<table>\n<thead>{heading}</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table>"


def _td(cell: Cell) -> str:
    return f'<td class="n">{cell}</td>' if isinstance(cell, int) else f"<td>{_e(cell)}</td>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def _svg(label: str, height: float, body: Iterable[str]) -> str:
    return (
        f'<svg viewBox="0 0 {_WIDTH} {height:.0f}" role="img" aria-label="{_e(label)}">'
        f"<title>{_e(label)}</title>\n" + "\n".join(body) + "\n</svg>"
    )


def _day_chart(days: Sequence[DayCount]) -> str:
    """Vertical bars, one per day, the first and every n-th day labelled."""
    left, top, plot_h = 40, 12, 180
    peak = max(1, *(d.count for d in days))
    step = (_WIDTH - left - 10) / len(days)
    bar = max(step * 0.8, 0.6)
    label_every = math.ceil(len(days) / 12)
    base = top + plot_h
    body = [
        f'<line class="axis" x1="{left}" y1="{base}" x2="{_WIDTH - 5}" y2="{base}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for n, d in enumerate(days):
        x, h = left + n * step + (step - bar) / 2, plot_h * d.count / peak
        body.append(
            f'<rect class="bar" x="{x:.2f}" y="{top + plot_h - h:.2f}" width="{bar:.2f}" '
            f'height="{h:.2f}"><title>{d.day.isoformat()}: {d.count}</title></rect>'
        )
        if n % label_every == 0:
            body.append(
                f'<text x="{x + bar / 2:.2f}" y="{top + plot_h + 16}" text-anchor="middle">'
                f"{d.day.isoformat()[5:]}</text>"
            )
    return _svg("Queries per day", top + plot_h + 26, body)


def _bar_chart(label: str, counts: Sequence[Count]) -> str:
    """Horizontal bars, most frequent first, at most the top 25."""
    if not counts:
        return ""
    shown = counts[:_TOP_ROWS]
    peak = max(c.count for c in shown)
    span = _WIDTH - _LABEL_WIDTH - 60
    body: list[str] = []
    for n, c in enumerate(shown):
        y, w = 4 + n * _ROW, span * c.count / peak
        body.append(_row_label(c.key, y))
        body.append(
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + 3}" width="{w:.2f}" height="{_ROW - 6}">'
            f"<title>{_e(c.key)}: {c.count}</title></rect>"
            f'<text x="{_LABEL_WIDTH + w + 6:.2f}" y="{y + 15}">{c.count}</text>'
        )
    more = (
        f'<p class="meta">top {_TOP_ROWS} of {len(counts)}</p>' if len(counts) > _TOP_ROWS else ""
    )
    return _svg(label, 8 + len(shown) * _ROW, body) + more


def _partner_chart(partners: Sequence[PartnerAnswers]) -> str:
    """Stacked horizontal bars of each partner's answers by status, with a legend."""
    peak = max(1, *(p.asked for p in partners))
    span = _WIDTH - _LABEL_WIDTH - 60
    body = [
        f'<rect class="{s}" x="{_LABEL_WIDTH + n * 120}" y="4" width="12" height="12"/>'
        f'<text x="{_LABEL_WIDTH + n * 120 + 18}" y="15">{s}</text>'
        for n, s in enumerate(_STATUSES)
    ]
    for n, p in enumerate(partners):
        y, x = 26 + n * _ROW, float(_LABEL_WIDTH)
        body.append(_row_label(p.agency, y))
        for status, count in p.by_status().items():
            w = span * count / peak
            body.append(
                f'<rect class="{status}" x="{x:.2f}" y="{y + 3}" width="{w:.2f}" '
                f'height="{_ROW - 6}"><title>{_e(p.agency)} {status}: {count}</title></rect>'
            )
            x += w
        body.append(f'<text x="{x + 6:.2f}" y="{y + 15}">{_percent(p.availability)}</text>')
    return _svg("Partner answers by status", 30 + len(partners) * _ROW, body)


def _row_label(text: str, y: float) -> str:
    return (
        f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{_e(_short(text))}'
        f"<title>{_e(text)}</title></text>"
    )


def _ms(time_ms: int) -> str:
    """A millisecond timestamp as ISO 8601 UTC, or as the bare number if out of range."""
    try:
        return iso_time(ms_to_datetime(time_ms))
    except InvalidInput:
        return str(time_ms)
