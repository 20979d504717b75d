"""Per-agency admission: no member can starve the others.

Before the broker spends anything on a submission (a signature check, an
audit entry, a fan-out), :class:`AgencyThrottle` admits it against two
limits of the calling agency, named by its TLS certificate: how many of its
queries are in flight at once, and how many it started in the last minute
(a sliding window). A member over either limit gets
:class:`~liaison.core.errors.QuotaExceeded` (RESOURCE_EXHAUSTED) at once;
the counters of every other member are untouched, so a flood from one
member, refused or not, never shuts the others out.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.errors import InvalidInput, QuotaExceeded

__all__ = ["AgencyLimits", "AgencyThrottle"]

_WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class AgencyLimits:
    """What one agency may have the broker do at once and per minute."""

    max_in_flight: int = 8
    max_per_minute: int = 600

    def __post_init__(self) -> None:
        """Refuse limits below 1.

        Raises:
            InvalidInput: a limit below 1.
        """
        if self.max_in_flight < 1 or self.max_per_minute < 1:
            raise InvalidInput("agency limits must be at least 1")


class AgencyThrottle:
    """Counts each agency's submissions in flight and in the last minute. Thread-safe."""

    def __init__(
        self, limits: AgencyLimits, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        """Apply ``limits`` to every agency; ``monotonic`` is the clock (tests move it)."""
        self._limits = limits
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._started: dict[str, deque[float]] = {}

    @contextmanager
    def admit(self, agency: str) -> Iterator[None]:
        """Hold one in-flight slot of ``agency`` for the duration of the block.

        Raises:
            QuotaExceeded: the agency has too many queries in flight or has
                started too many in the last minute (its ``alert`` says
                which); nothing is counted.
        """
        self._enter(agency)
        try:
            yield
        finally:
            self._leave(agency)

    def _enter(self, agency: str) -> None:
        now = self._monotonic()
        with self._lock:
            started = self._started.setdefault(agency, deque())
            while started and started[0] <= now - _WINDOW_S:
                started.popleft()
            in_flight = self._in_flight.get(agency, 0)
            if in_flight >= self._limits.max_in_flight:
                raise QuotaExceeded(
                    "too many queries of this agency in flight",
                    alert=Alert(
                        AlertLimit.BROKER_IN_FLIGHT, self._limits.max_in_flight, in_flight, 1
                    ),
                )
            if len(started) >= self._limits.max_per_minute:
                raise QuotaExceeded(
                    "too many queries of this agency in the last minute",
                    alert=Alert(
                        AlertLimit.BROKER_RATE, self._limits.max_per_minute, len(started), 1
                    ),
                )
            started.append(now)
            self._in_flight[agency] = self._in_flight.get(agency, 0) + 1

    def _leave(self, agency: str) -> None:
        with self._lock:
            remaining = self._in_flight[agency] - 1
            if remaining:
                self._in_flight[agency] = remaining
            else:
                del self._in_flight[agency]

    def in_flight(self, agency: str) -> int:
        """Return how many of the agency's submissions are in flight."""
        with self._lock:
            return self._in_flight.get(agency, 0)
