"""The directory of participants, re-read when the broker's config changes.

Admission is the federation operator's edit of ``[[participants]]`` in the
broker's config; the directory notices the change within a second, so an
agency removed from the file is refused at once, without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from liaison.broker.config import BrokerConfig, ParticipantConfig, load_broker_config
from liaison.broker.policy import FederationContext
from liaison.core.errors import LiaisonError

log = logging.getLogger(__name__)


class Directory:
    """Admitted agencies and their endpoints."""

    def __init__(
        self,
        config: BrokerConfig,
        *,
        reload_every: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        on_change: Callable[[BrokerConfig, BrokerConfig], None] | None = None,
    ) -> None:
        """Start from ``config``; re-read its file at most every ``reload_every`` s.

        ``on_change(old, new)`` is called after each reload that changed the
        file (the broker logs admissions and removals through it).
        """
        self._config = config
        self._on_change = on_change
        self._path: Path = config.path
        self._mtime = self._stat()
        self._checked = monotonic()
        self._every = reload_every
        self._monotonic = monotonic
        self._lock = threading.Lock()

    def _stat(self) -> float:
        try:
            return self._path.stat().st_mtime
        except OSError:
            return 0.0

    def _refresh(self) -> BrokerConfig:
        with self._lock:
            now = self._monotonic()
            if now - self._checked < self._every:
                return self._config
            self._checked = now
            return self._reload_if_changed()

    def reload(self) -> tuple[ParticipantConfig, ...]:
        """Re-read the file now if it changed (admissions are logged); return the participants."""
        with self._lock:
            self._checked = self._monotonic()
            return self._reload_if_changed().participants

    def _reload_if_changed(self) -> BrokerConfig:
        # Called with the lock held.
        mtime = self._stat()
        if mtime == self._mtime:
            return self._config
        self._mtime = mtime
        try:
            fresh = load_broker_config(self._path)
        except LiaisonError as exc:
            # A half-edited file must not open the door: keep the last good one.
            log.error("directory not reloaded, keeping the previous one: %s", exc)
            return self._config
        previous, self._config = self._config, fresh
        log.info("directory reloaded: %d participants", len(fresh.participants))
        if self._on_change is not None:
            self._on_change(previous, fresh)
        return fresh

    def participants(self) -> tuple[ParticipantConfig, ...]:
        """Return the admitted agencies."""
        return self._refresh().participants

    def policy_context(self) -> FederationContext:
        """Return the admitted agencies and accepted purposes, from one reading of the file."""
        config = self._refresh()
        return FederationContext(
            admitted=frozenset(p.agency for p in config.participants), purposes=config.purposes
        )

    def get(self, agency: str) -> ParticipantConfig | None:
        """Return an admitted agency, or None."""
        return self._refresh().participant(agency)
