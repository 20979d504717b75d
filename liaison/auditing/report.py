"""The activity report of a period: what the broker's audit log says happened.

``liaison audit report`` fetches the entries; this module counts them into a
:class:`Report` (pure: no I/O, no clock) and renders it as JSON, as one long
CSV table, or as one self-contained HTML page with inline SVG charts
(docs/audit.md, "Reports").

The broker never learns match results, so hit rates come only from the
requesting nodes' own ledgers, passed in as :class:`LedgerSummary`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from liaison.core.answers import PartnerStatus
from liaison.core.audit import AuditEvent, EntryKind, ms_to_datetime
from liaison.core.errors import InvalidInput

#: Version of the JSON document (its ``"schema"``) and of the CSV layout.
SCHEMA: Final = 1
NO_HIT_RATES: Final = "hit rates: not known to the broker; pass node ledgers"
HIT_RATES_SOURCE: Final = (
    "hit rates: from the requesting nodes' own ledgers; the broker never learns results"
)


@dataclass(frozen=True, slots=True)
class ReportEvent:
    """One log entry as the report reads it.

    ``kind`` and ``time`` come from the entry's header, which survives
    erasure; ``event`` is the decoded body, or None once it was erased.
    """

    index: int
    kind: EntryKind
    time: datetime
    event: AuditEvent | None


@dataclass(frozen=True, slots=True)
class LedgerSummary:
    """A requesting node's own count, from its ledger, of its queries in the period.

    Raises:
        InvalidInput: a count is not a non-negative integer, or more queries
            had hits than were sent.
    """

    agency: str
    queries_sent: int
    queries_with_hits: int

    def __post_init__(self) -> None:
        """Refuse counts that cannot be a ledger's."""
        for value in (self.queries_sent, self.queries_with_hits):
            if type(value) is not int or value < 0:
                raise InvalidInput(f"ledger of {self.agency}: counts must be non-negative integers")
        if self.queries_with_hits > self.queries_sent:
            raise InvalidInput(f"ledger of {self.agency}: more queries with hits than sent")


@dataclass(frozen=True, slots=True)
class Count:
    """How many entries share one key (an agency, a purpose, an entry kind)."""

    key: str
    count: int


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many queries were submitted on one UTC day."""

    day: date
    count: int


@dataclass(frozen=True, slots=True)
class PartnerAnswers:
    """One partner agency's answers in the period, by status."""

    agency: str
    ok: int = 0
    unavailable: int = 0
    refused: int = 0
    timeout: int = 0

    def by_status(self) -> dict[PartnerStatus, int]:
        """Return the count of each status, those where the partner answered first."""
        return {
            PartnerStatus.OK: self.ok,
            PartnerStatus.REFUSED: self.refused,
            PartnerStatus.UNAVAILABLE: self.unavailable,
            PartnerStatus.TIMEOUT: self.timeout,
        }

    @property
    def asked(self) -> int:
        """How many times the partner was asked (one per dataset answer)."""
        return self.ok + self.unavailable + self.refused + self.timeout

    @property
    def availability(self) -> float | None:
        """Share of requests the partner was there to answer: (ok + refused) / asked."""
        return (self.ok + self.refused) / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class Denials:
    """How many queries of one agency the broker's policy denied for one reason."""

    agency: str
    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class ParticipantChange:
    """One admission (with its endpoint) or removal (endpoint empty) of a participant."""

    index: int
    time: datetime
    kind: EntryKind
    agency: str
    endpoint: str


@dataclass(frozen=True, slots=True)
class LogAccesses:
    """How many times one accessor, in one role, read the audit log."""

    accessor: str
    role: str
    count: int


@dataclass(frozen=True, slots=True)
class Erasure:
    """One ``erasure`` entry: the bodies of entries first..last older than ``before_ms``."""

    index: int
    time: datetime
    first_index: int
    last_index: int
    count: int
    before_ms: int


@dataclass(frozen=True, slots=True)
class HitRate:
    """One requesting agency's hit rate, from its own ledger."""

    agency: str
    queries_sent: int
    queries_with_hits: int
    broker_logged: int  # its queries in the broker's log for the period, to compare

    @property
    def rate(self) -> float | None:
        """queries_with_hits / queries_sent, None when it sent none."""
        return self.queries_with_hits / self.queries_sent if self.queries_sent else None


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts of the period's entries; every figure but the first two excludes erased ones."""

    entries: int
    erased_entries: int
    queries: int
    partner_answers: int
    completed_queries: int
    policy_denials: int
    participants_admitted: int
    participants_removed: int
    log_accesses: int
    erasures: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the log says about the UTC days ``since`` to ``until``, both included."""

    since: date
    until: date
    totals: Totals
    queries_per_agency: tuple[Count, ...]
    queries_per_purpose: tuple[Count, ...]
    queries_per_day: tuple[DayCount, ...]
    partners: tuple[PartnerAnswers, ...]
    denials: tuple[Denials, ...]
    participants: tuple[ParticipantChange, ...]
    log_accesses: tuple[LogAccesses, ...]
    erasures: tuple[Erasure, ...]
    erased_per_kind: tuple[Count, ...]
    hit_rates: tuple[HitRate, ...] | None  # None: no ledger given
    notes: tuple[str, ...]


# -- counting ------------------------------------------------------------------


class _Tally:
    """Running counts of the entries of the period."""

    def __init__(self) -> None:
        self.entries = 0
        self.kinds: Counter[EntryKind] = Counter()
        self.erased: Counter[EntryKind] = Counter()
        self.agencies: Counter[str] = Counter()
        self.purposes: Counter[str] = Counter()
        self.days: Counter[date] = Counter()
        self.answers: Counter[tuple[str, PartnerStatus]] = Counter()
        self.denials: Counter[tuple[str, str]] = Counter()
        self.accesses: Counter[tuple[str, str]] = Counter()
        self.participants: list[ParticipantChange] = []
        self.erasures: list[Erasure] = []

    def add(self, item: ReportEvent, day: date) -> None:
        self.entries += 1
        event = item.event
        if event is None:
            self.erased[item.kind] += 1
            return
        if event.kind != item.kind:
            raise InvalidInput(f"audit entry {item.index}: header and body kinds differ")
        self.kinds[event.kind] += 1
        f = event.fields
        match event.kind:
            case EntryKind.QUERY_SUBMITTED:
                self.agencies[_text(f, "requesting_agency")] += 1
                self.purposes[_text(f, "purpose")] += 1
                self.days[day] += 1
            case EntryKind.PARTNER_ANSWERED:
                self.answers[_text(f, "agency"), PartnerStatus(_text(f, "status"))] += 1
            case EntryKind.POLICY_DENIAL:
                self.denials[_text(f, "requesting_agency"), _text(f, "reason")] += 1
            case EntryKind.PARTICIPANT_ADMITTED | EntryKind.PARTICIPANT_REMOVED:
                endpoint = _text(f, "endpoint") if "endpoint" in f else ""
                change = ParticipantChange(
                    item.index, item.time, event.kind, _text(f, "agency"), endpoint
                )
                self.participants.append(change)
            case EntryKind.LOG_ACCESS:
                self.accesses[_text(f, "accessor"), _text(f, "role")] += 1
            case EntryKind.ERASURE:
                self.erasures.append(
                    Erasure(
                        item.index,
                        item.time,
                        first_index=_int(f, "first_index"),
                        last_index=_int(f, "last_index"),
                        count=_int(f, "count"),
                        before_ms=_int(f, "before_ms"),
                    )
                )

    def totals(self) -> Totals:
        kinds = self.kinds
        return Totals(
            entries=self.entries,
            erased_entries=self.erased.total(),
            queries=kinds[EntryKind.QUERY_SUBMITTED],
            partner_answers=kinds[EntryKind.PARTNER_ANSWERED],
            completed_queries=kinds[EntryKind.QUERY_COMPLETED],
            policy_denials=kinds[EntryKind.POLICY_DENIAL],
            participants_admitted=kinds[EntryKind.PARTICIPANT_ADMITTED],
            participants_removed=kinds[EntryKind.PARTICIPANT_REMOVED],
            log_accesses=kinds[EntryKind.LOG_ACCESS],
            erasures=kinds[EntryKind.ERASURE],
        )

    def partners(self) -> tuple[PartnerAnswers, ...]:
        agencies = sorted({agency for agency, _ in self.answers})
        counts = self.answers
        return tuple(
            PartnerAnswers(
                agency,
                ok=counts[agency, PartnerStatus.OK],
                unavailable=counts[agency, PartnerStatus.UNAVAILABLE],
                refused=counts[agency, PartnerStatus.REFUSED],
                timeout=counts[agency, PartnerStatus.TIMEOUT],
            )
            for agency in agencies
        )


def build_report(
    events: Iterable[ReportEvent],
    *,
    since: date,
    until: date,
    ledgers: Sequence[LedgerSummary] = (),
) -> Report:
    """Count the entries whose time falls on the UTC days ``since`` to ``until`` (inclusive).

    Entries whose body was erased count only in ``totals.entries``,
    ``totals.erased_entries`` and ``erased_per_kind``. Ledger summaries should
    cover the same period; without any, ``hit_rates`` is None and the notes
    say why.

    Raises:
        InvalidInput: ``until`` is before ``since``, an entry time is naive, an
            entry's header and body kinds differ, or two ledgers name one agency.
    """
    if until < since:
        raise InvalidInput("report period: until is before since")
    tally = _Tally()
    for item in events:
        day = _utc_day(item.time, f"audit entry {item.index}")
        if since <= day <= until:
            tally.add(item, day)
    days = (since + timedelta(days=n) for n in range((until - since).days + 1))
    hit_rates = _hit_rates(ledgers, tally.agencies) if ledgers else None
    notes = [NO_HIT_RATES if hit_rates is None else HIT_RATES_SOURCE]
    if erased := tally.erased.total():
        notes.append(
            f"{erased} entries of the period were erased after the retention period: their "
            "kind and time remain, so they count as erased entries and in no other figure"
        )
    return Report(
        since=since,
        until=until,
        totals=tally.totals(),
        queries_per_agency=_ranked(tally.agencies),
        queries_per_purpose=_ranked(tally.purposes),
        queries_per_day=tuple(DayCount(day, tally.days[day]) for day in days),
        partners=tally.partners(),
        denials=tuple(Denials(a, r, n) for (a, r), n in sorted(tally.denials.items())),
        participants=tuple(sorted(tally.participants, key=lambda change: change.index)),
        log_accesses=tuple(LogAccesses(a, r, n) for (a, r), n in sorted(tally.accesses.items())),
        erasures=tuple(sorted(tally.erasures, key=lambda erasure: erasure.index)),
        erased_per_kind=tuple(Count(k, tally.erased[k]) for k in EntryKind if tally.erased[k]),
        hit_rates=hit_rates,
        notes=tuple(notes),
    )


def _hit_rates(ledgers: Sequence[LedgerSummary], logged: Counter[str]) -> tuple[HitRate, ...]:
    agencies = [ledger.agency for ledger in ledgers]
    if len(set(agencies)) != len(agencies):
        raise InvalidInput("two ledgers of the same agency")
    return tuple(
        HitRate(s.agency, s.queries_sent, s.queries_with_hits, logged[s.agency])
        for s in sorted(ledgers, key=lambda summary: summary.agency)
    )


def _ranked(counter: Counter[str]) -> tuple[Count, ...]:
    """Most frequent first, ties by key, so that the output is deterministic."""
    return tuple(Count(k, n) for k, n in sorted(counter.items(), key=lambda kn: (-kn[1], kn[0])))


def _utc_day(when: datetime, what: str) -> date:
    if when.utcoffset() is None:
        raise InvalidInput(f"{what}: time must be timezone-aware")
    return when.astimezone(UTC).date()


def _text(fields: Mapping[str, object], name: str) -> str:
    value = fields[name]
    if not isinstance(value, str):
        raise InvalidInput(f"audit field {name} must be text")
    return value


def _int(fields: Mapping[str, object], name: str) -> int:
    value = fields[name]
    if type(value) is not int:
        raise InvalidInput(f"audit field {name} must be an integer")
    return value


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _ms(time_ms: int) -> str:
    """A millisecond timestamp as ISO 8601 UTC, or as the bare number if out of range."""
    try:
        return _iso(ms_to_datetime(time_ms))
    except InvalidInput:
        return str(time_ms)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# -- JSON ----------------------------------------------------------------------


def render_json(report: Report) -> str:
    """Return the report as the JSON document of docs/audit.md ("Reports"), ``"schema": 1``."""
    return json.dumps(_document(report), ensure_ascii=False, indent=2) + "\n"


def _document(report: Report) -> dict[str, Any]:
    hit_rates = None
    if report.hit_rates is not None:
        hit_rates = {h.agency: _hit_rate(h) for h in report.hit_rates}
    return {
        "schema": SCHEMA,
        "period": {
            "since": report.since.isoformat(),
            "until": report.until.isoformat(),
            "days": len(report.queries_per_day),
        },
        "totals": asdict(report.totals),
        "queries": {
            "per_agency": {c.key: c.count for c in report.queries_per_agency},
            "per_purpose": {c.key: c.count for c in report.queries_per_purpose},
            "per_day": {d.day.isoformat(): d.count for d in report.queries_per_day},
        },
        "partners": {p.agency: _partner(p) for p in report.partners},
        "policy_denials": [_plain(d) for d in report.denials],
        "participants": [_plain(p) for p in report.participants],
        "log_accesses": [_plain(a) for a in report.log_accesses],
        "erasures": [_plain(e) for e in report.erasures],
        "erased_entries": {c.key: c.count for c in report.erased_per_kind},
        "hit_rates": hit_rates,
        "notes": list(report.notes),
    }


def _plain(row: Any) -> dict[str, Any]:
    """A row dataclass as a JSON object: times in ISO 8601 UTC, kinds as their names."""
    values = {f.name: getattr(row, f.name) for f in fields(row)}
    return {k: _iso(v) if isinstance(v, datetime) else v for k, v in values.items()}


def _hit_rate(h: HitRate) -> dict[str, Any]:
    values = {k: v for k, v in _plain(h).items() if k != "agency"}
    return values | {"rate": _ratio(h.rate)}


def _partner(partner: PartnerAnswers) -> dict[str, Any]:
    counts = {str(status): n for status, n in partner.by_status().items()}
    return {"asked": partner.asked, **counts, "availability": _ratio(partner.availability)}


# -- CSV -----------------------------------------------------------------------

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
        yield from (("partners", p.agency, k, v) for k, v in _partner(p).items())
    yield from (("policy_denials", d.agency, d.reason, d.count) for d in report.denials)
    for change in report.participants:
        yield from _entity_rows("participants", change.index, _plain(change))
    for erasure in report.erasures:
        yield from _entity_rows("erasures", erasure.index, _plain(erasure))
    yield from (("log_accesses", a.accessor, a.role, a.count) for a in report.log_accesses)
    yield from (("erased_entries", c.key, "", c.count) for c in report.erased_per_kind)
    for h in report.hit_rates or ():
        yield from (("hit_rates", h.agency, k, v) for k, v in _hit_rate(h).items())
    yield from (("notes", str(n), "", text) for n, text in enumerate(report.notes, 1))


def _entity_rows(
    section: str, index: int, values: Mapping[str, object]
) -> Iterable[tuple[str, str, str, object]]:
    """One row per attribute of a listed entry, keyed by the entry's index."""
    return ((section, str(index), k, v) for k, v in values.items() if k != "index")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


# -- HTML ----------------------------------------------------------------------

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
    _utc_day(generated_at, "generated_at")
    period = f"{report.since.isoformat()} to {report.until.isoformat()}"
    generated = _iso(generated_at)
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
    changes = (
        (_iso(c.time), c.index, c.kind.removeprefix("participant_"), c.agency, c.endpoint)
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
        (_iso(e.time), e.index, f"{e.first_index}-{e.last_index}", e.count, _ms(e.before_ms))
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
