"""Requester certificates this partner has verified, so the broker may name them by digest.

A requester's certificate (about 560 bytes, DER) travels with every query so
that the partner verifies the signature itself. Once a partner has verified
it, the broker sends only its SHA-256 (``docs/benchmark.md``, "Bytes on the
wire"). The partner still verifies the certificate against the CA, and the
signature under it, at every query: the cache saves bytes, not checks. A
digest it does not hold (after a restart, or evicted) gets
``certificate_needed`` and the full certificate comes again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Final

#: Certificates kept, least recently used out (one per requesting agency is enough).
MAX_KNOWN: Final = 1024


class KnownCertificates:
    """Verified requester certificates by SHA-256; safe to share between threads."""

    def __init__(self, max_entries: int = MAX_KNOWN) -> None:
        """Keep at most ``max_entries`` certificates."""
        self._max = max_entries
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: bytes) -> bytes | None:
        """Return the certificate whose SHA-256 is ``digest``, or None."""
        with self._lock:
            certificate = self._entries.get(digest)
            if certificate is not None:
                self._entries.move_to_end(digest)
            return certificate

    def add(self, certificate: bytes) -> None:
        """Remember a certificate that verified."""
        digest = hashlib.sha256(certificate).digest()
        with self._lock:
            self._entries[digest] = certificate
            self._entries.move_to_end(digest)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
