"""Live verified queries: recalled only for identical bytes and certificate, while live."""

from __future__ import annotations

from datetime import timedelta

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.query import SignedQuery
from liaison.crypto.certificates import PeerIdentity, Role
from liaison.crypto.envelope import VerifiedQuery
from liaison.crypto.verified_queries import VerifiedQueries
from tests.query_support import ISSUED, make_query

SIGNED = SignedQuery(envelope=b"envelope bytes", signature=b"signature")
CERTIFICATE = b"requester certificate"
EXPIRES = ISSUED + timedelta(minutes=5)


def _verified(signed: SignedQuery = SIGNED, query_id: str = "0" * 32) -> VerifiedQuery:
    return VerifiedQuery(
        make_query(query_id=query_id), PeerIdentity("FR", Role.NODE, "EU Pilot"), signed
    )


def _cache() -> VerifiedQueries[str]:
    cache: VerifiedQueries[str] = VerifiedQueries()
    cache.remember(_verified(), CERTIFICATE, "authorised")
    return cache


def test_identical_bytes_and_certificate_are_recalled_with_their_value() -> None:
    copy = SignedQuery(envelope=bytes(SIGNED.envelope), signature=bytes(SIGNED.signature))
    assert _cache().recall(copy, CERTIFICATE, now=ISSUED) == (_verified(), "authorised")


@pytest.mark.parametrize(
    ("signed", "certificate"),
    [
        (SignedQuery(envelope=b"envelope bytez", signature=SIGNED.signature), CERTIFICATE),
        (SignedQuery(envelope=SIGNED.envelope, signature=b"signaturf"), CERTIFICATE),
        (SIGNED, b"another certificate"),
    ],
)
def test_anything_not_identical_is_not_recalled(signed: SignedQuery, certificate: bytes) -> None:
    assert _cache().recall(signed, certificate, now=ISSUED) is None


def test_an_expired_query_is_forgotten() -> None:
    cache = _cache()
    assert cache.recall(SIGNED, CERTIFICATE, now=EXPIRES - timedelta(milliseconds=1))
    assert cache.recall(SIGNED, CERTIFICATE, now=EXPIRES) is None
    assert len(cache) == 0


def test_a_full_cache_forgets_the_query_expiring_first() -> None:
    cache: VerifiedQueries[int] = VerifiedQueries(capacity=1)
    other = SignedQuery(envelope=b"other", signature=b"s")
    cache.remember(_verified(), CERTIFICATE, 1)
    cache.remember(_verified(other, "1" * 32), CERTIFICATE, 2)
    assert cache.recall(SIGNED, CERTIFICATE, now=ISSUED) is None
    assert cache.recall(other, CERTIFICATE, now=ISSUED) is not None


def test_zero_capacity_is_refused() -> None:
    with pytest.raises(InvalidInput):
        VerifiedQueries(capacity=0)
