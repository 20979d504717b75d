"""What a long-running server process needs around its gRPC servers.

Clean shutdown on a signal, the address to report once a port is bound, and
the Prometheus metrics endpoint.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import start_http_server

from liaison.core.config_file import split_address
from liaison.core.errors import ConfigError


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


class MetricsEndpoint:
    """Prometheus metrics over HTTP at ``/metrics`` (loopback: the config refuses others)."""

    def __init__(self, listen: str) -> None:
        """Listen on ``listen`` (``host:port``; port 0 takes a free one).

        Raises:
            ConfigError: the address cannot be bound.
        """
        host, port = split_address(listen)
        try:
            self._server, self._thread = start_http_server(port, addr=host.strip("[]"))
        except OSError as exc:
            raise ConfigError(f"cannot serve metrics on {listen}: {exc.strerror}") from None
        self.address = f"{host}:{self._server.server_port}"

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
