"""The partner's verified certificates, found by digest, bounded."""

from __future__ import annotations

import hashlib

from liaison.node.known_certificates import KnownCertificates


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_a_certificate_is_found_by_its_digest_only() -> None:
    known = KnownCertificates()
    known.add(b"cert-a")
    assert known.get(_digest(b"cert-a")) == b"cert-a"
    assert known.get(_digest(b"cert-b")) is None
    assert known.get(b"cert-a") is None  # the bytes are not a digest


def test_the_least_recently_used_certificate_goes_first() -> None:
    known = KnownCertificates(max_entries=2)
    known.add(b"a")
    known.add(b"b")
    assert known.get(_digest(b"a")) == b"a"  # a is now the most recent
    known.add(b"c")
    assert known.get(_digest(b"b")) is None
    assert known.get(_digest(b"a")) == b"a" and known.get(_digest(b"c")) == b"c"
