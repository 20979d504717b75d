"""Fishing alerts in the broker's log, a bounded number of them.

A partner's answer that says its agreement's daily key budget or rate ran
out, and the broker's own admission refusing a member (in flight, per
minute), each become a ``fishing_alert`` entry (``docs/audit.md``,
"Alerts"). A flood must not turn into a flood of entries, so
:class:`AlertLimiter` writes at most one entry per requesting agency,
partner (or ``broker``) and limit in any minute; the next entry written for
that triple says how many were left out in between (``suppressed``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from liaison.core import audit, audit_events
from liaison.core.alerts import Alert, AlertLimit

__all__ = ["AlertLimiter"]

_WINDOW_S: Final = 60.0
#: Triples remembered at most; beyond, those whose minute has passed are forgotten.
MAX_TRIPLES: Final = 10_000

_Triple = tuple[str, str, AlertLimit]


@dataclass(slots=True)
class _Written:
    at: float
    suppressed: int = 0


class AlertLimiter:
    """Turns alerts into audit events, at most one per triple and minute. Thread-safe."""

    def __init__(
        self,
        *,
        window_s: float = _WINDOW_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Write at most one entry per triple every ``window_s`` seconds of ``monotonic``."""
        self._window = window_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._written: dict[_Triple, _Written] = {}

    def event(
        self,
        alert: Alert,
        *,
        time: datetime,
        query_id: str,
        requesting_agency: str,
        partner: str,
    ) -> audit.AuditEvent | None:
        """Return the ``fishing_alert`` entry to write, or None if its triple had one this minute.

        Raises:
            InvalidInput: a field the entry does not allow (see ``AuditEvent``).
        """
        suppressed = self._admit((requesting_agency, partner, alert.limit))
        if suppressed is None:
            return None
        return audit_events.fishing_alert(
            time=time,
            query_id=query_id,
            requesting_agency=requesting_agency,
            partner=partner,
            limit=alert.limit.value,
            allowed=alert.allowed,
            used=alert.used,
            asked=alert.asked,
            suppressed=suppressed,
        )

    def _admit(self, triple: _Triple) -> int | None:
        # How many were suppressed since the last entry, or None: suppress this one.
        now = self._monotonic()
        with self._lock:
            written = self._written.get(triple)
            if written is not None and now - written.at < self._window:
                written.suppressed += 1
                return None
            if written is None:
                self._forget_old(now)
            self._written[triple] = _Written(now)
            return written.suppressed if written is not None else 0

    def _forget_old(self, now: float) -> None:
        # Quiet triples whose minute has passed carry nothing worth keeping;
        # if there are still too many, the oldest are dropped with their counts.
        stale = [(w.at, t) for t, w in self._written.items() if now - w.at >= self._window]
        for _, triple in stale:
            if not self._written[triple].suppressed:
                del self._written[triple]
        excess = len(self._written) - MAX_TRIPLES + 1
        if excess > 0:
            left = sorted((at, t) for at, t in stale if t in self._written)
            for _, triple in left[:excess]:
                del self._written[triple]

    def __len__(self) -> int:
        """Return how many triples are remembered."""
        with self._lock:
            return len(self._written)
