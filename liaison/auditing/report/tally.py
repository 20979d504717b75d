"""The counts of a period: what the broker's audit log says happened.

:func:`build_report` counts the entries into a :class:`Report` (pure: no
I/O, no clock); the renderers beside this module write it as JSON, CSV or
HTML (docs/audit.md, "Reports"). The broker never learns match results, so
hit rates come only from the requesting nodes' own ledgers, passed in as
:class:`LedgerSummary`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from liaison.auditing.report.followup_figures import FollowupFigures, followup_figures
from liaison.auditing.report.watches import WatchFigures
from liaison.core.answers import PartnerStatus
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import InvalidInput

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
    #: The agency's standing watches in the period (``docs/watches.md``, "Audit").
    watches: WatchFigures | None = None

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
class Alerts:
    """Fishing alerts of one requesting agency at one partner (or ``broker``) for one limit.

    ``entries`` is the number of ``fishing_alert`` entries, ``suppressed``
    the alerts they say were left out (the broker writes one a minute).
    """

    requesting_agency: str
    partner: str
    limit: str
    entries: int
    suppressed: int

    @property
    def alerts(self) -> int:
        """Every alert: those written and those left out."""
        return self.entries + self.suppressed


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
    fishing_alerts: int


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
    alerts: tuple[Alerts, ...]
    participants: tuple[ParticipantChange, ...]
    log_accesses: tuple[LogAccesses, ...]
    erasures: tuple[Erasure, ...]
    erased_per_kind: tuple[Count, ...]
    hit_rates: tuple[HitRate, ...] | None  # None: no ledger given
    notes: tuple[str, ...]
    followups: FollowupFigures
    #: Standing watches per requesting agency, from the ledgers given (None: none given).
    watches: tuple[WatchFigures, ...] | None = None


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
        self.alerts: Counter[tuple[str, str, str]] = Counter()
        self.suppressed: Counter[tuple[str, str, str]] = Counter()
        self.participants: list[ParticipantChange] = []
        self.erasures: list[Erasure] = []
        self.followups: list[AuditEvent] = []

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
            case EntryKind.FISHING_ALERT:
                key = (_text(f, "requesting_agency"), _text(f, "partner"), _text(f, "limit"))
                self.alerts[key] += 1
                self.suppressed[key] += _int(f, "suppressed")
            case EntryKind.FOLLOWUP:
                self.followups.append(event)
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
            fishing_alerts=kinds[EntryKind.FISHING_ALERT],
        )

    def alert_rows(self) -> tuple[Alerts, ...]:
        return tuple(
            Alerts(agency, partner, limit, entries, self.suppressed[agency, partner, limit])
            for (agency, partner, limit), entries in sorted(self.alerts.items())
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
        day = utc_day(item.time, f"audit entry {item.index}")
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
        alerts=tally.alert_rows(),
        participants=tuple(sorted(tally.participants, key=lambda change: change.index)),
        log_accesses=tuple(LogAccesses(a, r, n) for (a, r), n in sorted(tally.accesses.items())),
        erasures=tuple(sorted(tally.erasures, key=lambda erasure: erasure.index)),
        erased_per_kind=tuple(Count(k, tally.erased[k]) for k in EntryKind if tally.erased[k]),
        hit_rates=hit_rates,
        notes=tuple(notes),
        watches=_watches(ledgers) if ledgers else None,
        followups=followup_figures(tally.followups),
    )


def _watches(ledgers: Sequence[LedgerSummary]) -> tuple[WatchFigures, ...]:
    summaries = sorted(ledgers, key=lambda summary: summary.agency)
    return tuple(s.watches for s in summaries if s.watches is not None)


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


def utc_day(when: datetime, what: str) -> date:
    """Return the UTC day of ``when``; ``what`` names it in the error.

    Raises:
        InvalidInput: ``when`` is naive.
    """
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
