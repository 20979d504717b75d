"""Listen addresses as configured and as bound."""

from __future__ import annotations


def bound_address(configured: str, port: int) -> str:
    """Return ``configured`` (``host:port``) with the port the server actually bound.

    A server configured on port 0 gets a free port from the system; this is
    the address to tell others.
    """
    host, _, _ = configured.rpartition(":")
    return f"{host}:{port}"
