"""What a long-running server process needs around its gRPC servers.

Clean shutdown on a signal, and the address to report once a port is bound.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def termination_signals() -> Iterator[threading.Event]:
    """Catch SIGTERM and SIGINT while inside; yield the event they set.

    Install it before servers start, so a signal that arrives while they
    come up still leads to a clean shutdown; the previous handlers return
    on exit.

    Yields:
        The event set by the first SIGTERM or SIGINT.
    """
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def bound_address(configured: str, port: int) -> str:
    """Return ``configured`` (``host:port``) with the port the server actually bound.

    A server configured on port 0 gets a free port from the system; this is
    the address to tell others.
    """
    host, _, _ = configured.rpartition(":")
    return f"{host}:{port}"
