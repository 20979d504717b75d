"""Queries already verified in this process, so a later message about one is not verified again.

A query travels more than once: the broker sees it at submit and again for
every filter fetch, a partner sees it with the PSI request and again for
every filter. The first message is opened with
:func:`liaison.crypto.envelope.open_query`; later ones are accepted from here
only if they carry exactly the same signed bytes (compared with
:func:`hmac.compare_digest`) from exactly the same signer certificate, while
the query is live. Anything else falls back to a full verification.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from liaison.core.errors import InvalidInput
from liaison.core.query import SignedQuery
from liaison.crypto.envelope import VerifiedQuery

__all__ = ["VerifiedQueries"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    verified: VerifiedQuery
    certificate: bytes
    value: T


class VerifiedQueries(Generic[T]):
    """Live verified queries, each with what the caller concluded about it (``T``).

    Keyed by the SHA-256 of the signed envelope bytes, so nothing
    unauthenticated is parsed to look one up. Thread-safe.
    """

    def __init__(self, *, capacity: int = 10_000) -> None:
        """Create an empty cache.

        Args:
            capacity: Most live queries kept; when full, the one expiring
                first is forgotten (a forgotten query is simply verified
                again).

        Raises:
            InvalidInput: ``capacity`` is less than 1.
        """
        if capacity < 1:
            raise InvalidInput("capacity must be at least 1")
        self._capacity = capacity
        self._entries: dict[bytes, _Entry[T]] = {}
        self._lock = threading.Lock()

    def remember(self, verified: VerifiedQuery, certificate: bytes, value: T) -> None:
        """Keep a query verified against ``certificate``, with ``value``, until it expires."""
        entry = _Entry(verified, certificate, value)
        with self._lock:
            if len(self._entries) >= self._capacity:
                first = min(self._entries, key=lambda k: self._entries[k].verified.query.expires_at)
                del self._entries[first]
            self._entries[_key(verified.signed)] = entry

    def recall(
        self, signed: SignedQuery, certificate: bytes, *, now: datetime
    ) -> tuple[VerifiedQuery, T] | None:
        """Return the verified query and its value if ``signed`` is a live one seen before.

        Returns:
            None unless a remembered query has byte-identical envelope and
            signature, was verified against a byte-identical certificate and
            has not expired at ``now``; the caller then verifies in full.
        """
        with self._lock:
            self._entries = {
                k: e for k, e in self._entries.items() if e.verified.query.expires_at > now
            }
            entry = self._entries.get(_key(signed))
        if entry is None or not _same(entry, signed, certificate):
            return None
        return entry.verified, entry.value

    def __len__(self) -> int:
        """Return how many queries are remembered (expired ones until the next recall)."""
        with self._lock:
            return len(self._entries)


def _key(signed: SignedQuery) -> bytes:
    return hashlib.sha256(signed.envelope).digest()


def _same(entry: _Entry[T], signed: SignedQuery, certificate: bytes) -> bool:
    known = entry.verified.signed
    return (
        hmac.compare_digest(known.envelope, signed.envelope)
        & hmac.compare_digest(known.signature, signed.signature)
        & hmac.compare_digest(entry.certificate, certificate)
    )
