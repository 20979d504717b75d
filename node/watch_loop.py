"""The node's background poll of standing watches, every ``watch_poll_s`` seconds.

A daemon thread calls :meth:`node.watcher.Watcher.poll` once per interval
(the first one interval after start) until the node stops. A failing poll
(the broker down, say) is logged and tried again at the next interval. Tests
call ``poll`` themselves, or wait on :meth:`WatchLoop.wait_polls`.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from liaison.core.errors import LiaisonError
from liaison.node.watcher import PollReport

log = logging.getLogger(__name__)


class Pollable(Protocol):
    """What the loop polls (a :class:`~node.watcher.Watcher`)."""

    def poll(self) -> PollReport:
        """Poll once."""


class WatchLoop:
    """Polls a watcher every ``interval`` seconds in a daemon thread."""

    def __init__(self, watcher: Pollable, interval: float) -> None:
        """Poll ``watcher`` every ``interval`` seconds once started."""
        self._watcher = watcher
        self._interval = interval
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._polls = 0
        self._thread: threading.Thread | None = None

    @property
    def polls(self) -> int:
        """How many polls the loop has finished (failed ones included)."""
        with self._done:
            return self._polls

    def start(self) -> None:
        """Start the thread."""
        self._thread = threading.Thread(target=self._run, name="liaison-watches", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the thread, waiting up to ``timeout`` seconds for a poll under way."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_polls(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` polls have finished; return whether they did in time."""
        with self._done:
            return self._done.wait_for(lambda: self._polls >= count, timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                report = self._watcher.poll()
                if report.reran or report.expired:
                    log.info(
                        "watches: %d re-run, %d new hits, %d expired",
                        len(report.reran),
                        report.new_hits,
                        len(report.expired),
                    )
            except LiaisonError as exc:
                log.warning("watch poll failed: %s", exc)
            except Exception as exc:
                # No caller to raise to; only the type: no data in logs.
                log.error("watch poll failed: %s", type(exc).__name__)
            with self._done:
                self._polls += 1
                self._done.notify_all()
