"""Standing watch figures of a period, counted from the requesting nodes' own ledgers.

The broker sees a watch's re-runs as ordinary queries and nothing else; the
watch itself lives in its node's ledger as ``watch`` entries
(``docs/watches.md``, "Audit"), whose ``query_id`` is the watch id and whose
outcome says the step: ``registered, until <time>`` (or ``no end``),
``first run <query id>: <n> new hits``, ``re-run <query id>: <n> new hits``
(``re-run failed: <error class>``), ``removed by <user>`` or ``expired``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from liaison.core.errors import InvalidInput
from liaison.node.ledger.chain import Direction, LedgerEntry

_UNTIL: Final = re.compile(r"registered, until (\S+)$")
_NEW_HITS: Final = re.compile(r": (\d+) new hits$")


@dataclass(frozen=True, slots=True)
class CaseWatches:
    """How many watches of one case are live."""

    case_id: str
    live: int


@dataclass(frozen=True, slots=True)
class WatchFigures:
    """One requesting agency's standing watches in a period.

    ``live_per_case``: watches live at the end of the period, per case;
    ``registered``, ``reruns`` (failed ones included) and ``new_hits`` (of
    re-runs: what was reported to the owner) count the period's entries.
    """

    agency: str
    live_per_case: tuple[CaseWatches, ...]
    registered: int
    reruns: int
    new_hits: int

    @property
    def live(self) -> int:
        """Watches live at the end of the period."""
        return sum(c.live for c in self.live_per_case)


def watch_figures(
    agency: str, entries: Sequence[LedgerEntry], since: date, until: date
) -> WatchFigures:
    """Count an agency's watch entries of the UTC days ``since`` to ``until``.

    Raises:
        InvalidInput: a registration's end is not an ISO time.
    """
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
    cases: dict[str, str] = {}
    ends: dict[str, datetime | None] = {}
    ended: set[str] = set()
    registered = reruns = new_hits = 0
    for entry in entries:
        if entry.direction is not Direction.WATCH or entry.time >= end:
            continue
        in_period = entry.time.astimezone(UTC).date() >= since
        outcome = entry.outcome
        if outcome.startswith("registered"):
            cases[entry.query_id] = entry.case_id
            ends[entry.query_id] = _registered_until(outcome, entry.seq)
            registered += in_period
        elif outcome.startswith("re-run") and in_period:
            reruns += 1
            found = _NEW_HITS.search(outcome)
            new_hits += int(found.group(1)) if found else 0
        elif outcome.startswith(("removed", "expired")):
            ended.add(entry.query_id)
    live: Counter[str] = Counter(
        case
        for watch_id, case in cases.items()
        if watch_id not in ended and ((stop := ends[watch_id]) is None or stop > end)
    )
    ranked = tuple(
        CaseWatches(k, n) for k, n in sorted(live.items(), key=lambda kn: (-kn[1], kn[0]))
    )
    return WatchFigures(agency, ranked, registered, reruns, new_hits)


def _registered_until(outcome: str, seq: int) -> datetime | None:
    found = _UNTIL.match(outcome)
    if found is None:
        return None
    try:
        return datetime.fromisoformat(found.group(1))
    except ValueError:
        raise InvalidInput(f"ledger seq {seq}: a watch's end is not an ISO time") from None
