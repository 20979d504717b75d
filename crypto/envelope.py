"""Signed query envelopes: the broker relays a query but can neither forge nor alter it.

The requesting node encodes its :class:`~liaison.core.query.Query` once, as
the deterministic serialisation of a ``liaison.v1.QueryEnvelope``, and signs those
bytes with the key of its federation certificate (ECDSA P-256, SHA-256). Every
receiver checks the signer's certificate against the federation CA, the
signature over exactly the bytes received, and then the envelope's own claims:
who sent it, when it was issued, when it expires, and that it was not seen
before. Every failure is an :class:`EnvelopeRejected` whose message says which
check failed and nothing about the query.

Time is always a parameter (``now``), as in Fernet's ``decrypt_at_time``.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from google.protobuf.message import DecodeError

from liaison.core.errors import EnvelopeRejected, InvalidInput, PermissionDenied
from liaison.core.query import (
    AgencyCode,
    Justification,
    MatchMode,
    Query,
    QueryId,
    SignedQuery,
    Target,
)
from liaison.crypto.certificates import PeerIdentity, Role, parse_certificate, verify_certificate
from liaison.v1 import common_pb2

__all__ = [
    "CLOCK_SKEW",
    "MAX_LIFETIME",
    "MemoryReplayGuard",
    "ReplayGuard",
    "VerifiedQuery",
    "epoch_ms",
    "from_epoch_ms",
    "new_query_id",
    "open_query",
    "payload_digest",
    "sign_query",
    "unverified_query_id",
    "verify_payload_digest",
]

# How far ahead of the receiver's clock a sender's clock may run.
CLOCK_SKEW = timedelta(seconds=60)
# Longest accepted expires_at - issued_at; also bounds how long a replay guard
# must remember an id.
MAX_LIFETIME = timedelta(minutes=15)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_QUERY_ID = re.compile(r"[0-9a-f]{32}")
_DIGEST_SIZE = hashlib.sha256().digest_size
_SIGNATURE = ec.ECDSA(hashes.SHA256())


@dataclass(frozen=True, slots=True)
class VerifiedQuery:
    """A signed query whose signer, signature and claims have been checked."""

    query: Query
    signer: PeerIdentity
    signed: SignedQuery


class ReplayGuard(Protocol):
    """Remembers ids already accepted, until they expire.

    The guard is keyed by whatever string it is given. A node legitimately sees
    one query id more than once (the PSI answer, then a filter fetch for the
    same query), so callers keep one guard per purpose, or prefix the id with
    the purpose, rather than sharing one guard across purposes.
    """

    def check_and_remember(self, query_id: str, expires_at: datetime) -> None:
        """Remember ``query_id`` until ``expires_at``, or refuse it if already remembered.

        Raises:
            EnvelopeRejected: The id was seen before and has not expired
                ("replayed query"), or the guard cannot remember more ids.
        """
        ...


class MemoryReplayGuard:
    """A thread-safe, in-process :class:`ReplayGuard` that forgets expired ids.

    Enough for one process: ids are lost on restart, which is safe only because
    envelopes live at most :data:`MAX_LIFETIME` (a restart inside that window
    reopens it; a persistent guard closes it).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        capacity: int = 100_000,
    ) -> None:
        """Create an empty guard.

        Args:
            clock: Returns the current (timezone-aware) time; used only to
                forget expired ids. Tests pass a fixed clock.
            capacity: Most ids remembered at once. When full the guard refuses
                new ids rather than forgetting live ones, which would reopen
                the replay window.

        Raises:
            InvalidInput: ``capacity`` is less than 1.
        """
        if capacity < 1:
            raise InvalidInput("capacity must be at least 1")
        self._clock = clock
        self._capacity = capacity
        self._lock = threading.Lock()
        self._expiry: dict[str, datetime] = {}
        # Min-heap by expiry, so pruning costs only the entries it removes.
        self._queue: list[tuple[datetime, str]] = []

    def check_and_remember(self, query_id: str, expires_at: datetime) -> None:
        """Remember ``query_id`` until ``expires_at``, or refuse it if already remembered.

        Raises:
            EnvelopeRejected: The id is remembered ("replayed query"), or the
                guard is full.
        """
        with self._lock:
            self._prune(self._clock())
            if query_id in self._expiry:
                raise EnvelopeRejected("replayed query")
            if len(self._expiry) >= self._capacity:
                raise EnvelopeRejected("too many queries in flight")
            self._expiry[query_id] = expires_at
            heapq.heappush(self._queue, (expires_at, query_id))

    def __len__(self) -> int:
        """Return how many ids are remembered (expired ones included until pruned)."""
        with self._lock:
            return len(self._expiry)

    def _prune(self, now: datetime) -> None:
        while self._queue and self._queue[0][0] <= now:
            _, query_id = heapq.heappop(self._queue)
            del self._expiry[query_id]


def new_query_id() -> QueryId:
    """Return a fresh random 128-bit query id, 32 lowercase hex characters."""
    return QueryId(secrets.token_hex(16))


def payload_digest(data: bytes) -> bytes:
    """Return the SHA-256 of a PSI request, as carried in :attr:`Query.payload_digest`."""
    return hashlib.sha256(data).digest()


def verify_payload_digest(query: Query, data: bytes) -> None:
    """Check that ``data`` is the PSI request the query was signed for.

    Args:
        query: A verified query (see :func:`open_query`).
        data: The PSI request bytes that travelled with it.

    Raises:
        EnvelopeRejected: The digests differ.
    """
    if not hmac.compare_digest(query.payload_digest, payload_digest(data)):
        raise EnvelopeRejected("payload does not match envelope")


def epoch_ms(when: datetime) -> int:
    """Return a timezone-aware time as whole milliseconds since the Unix epoch.

    Raises:
        InvalidInput: ``when`` is naive.
    """
    # Integer arithmetic: a float timestamp loses the last millisecond at times.
    return (_require_aware(when) - _EPOCH) // _MS


def from_epoch_ms(ms: int) -> datetime:
    """Return milliseconds since the Unix epoch as a UTC datetime.

    Raises:
        InvalidInput: ``ms`` is outside the range a datetime can hold.
    """
    try:
        return _EPOCH + ms * _MS
    except OverflowError:
        raise InvalidInput("timestamp out of range") from None


def sign_query(query: Query, key: ec.EllipticCurvePrivateKey) -> SignedQuery:
    """Encode a query once, as the deterministic ``QueryEnvelope`` bytes, and sign those.

    Args:
        query: The query's claims; nothing here checks them. Times are sent
            to the millisecond.
        key: The private key of the requesting node's federation certificate.

    Returns:
        The envelope bytes and their DER signature. Relay it as is: any
        re-encoding could change the bytes and void the signature.

    Raises:
        InvalidInput: ``key`` is not an ECDSA P-256 private key, or a time is naive.
    """
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidInput("signing key must be ECDSA P-256")
    data = _to_envelope(query).SerializeToString(deterministic=True)
    return SignedQuery(envelope=data, signature=key.sign(data, _SIGNATURE))


def open_query(
    signed: SignedQuery,
    signer_certificate: bytes,
    ca_cert: x509.Certificate,
    *,
    now: datetime,
    replay: ReplayGuard | None = None,
) -> VerifiedQuery:
    """Verify a signed query and return it, or refuse it.

    Checks, in order: the signer's certificate (issued by ``ca_cert``, valid
    at ``now``, role node); the signature over exactly ``signed.envelope``;
    that the bytes parse; that ``requesting_agency`` is the certificate's
    name; the query id's form, the payload digest's length and the match
    mode; the lifetime (at most :data:`MAX_LIFETIME`); issue time (at most
    :data:`CLOCK_SKEW` ahead of ``now``) and expiry; and last, if ``replay``
    is given, that the query id is new to it. The signature is checked
    before parsing, so unauthenticated bytes never reach the protobuf parser.

    Args:
        signed: The signed query as received.
        signer_certificate: The requesting node's certificate, DER or PEM.
        ca_cert: The federation CA certificate.
        now: Current time (timezone-aware).
        replay: Guard that remembers accepted query ids, keyed by ``query_id``.

    Returns:
        The query, the signer's identity and the signed bytes.

    Raises:
        InvalidInput: ``now`` is naive, or the signed match mode is unset or
            unknown (a well-signed query this version cannot answer).
        EnvelopeRejected: Any check failed; the message names the check only.
        ConfigError: ``ca_cert`` names no federation (no single subject O).
    """
    now = _require_aware(now)
    signer = _signer(signer_certificate, ca_cert, now)
    _check_signature(signed, signer_certificate)
    try:
        envelope = common_pb2.QueryEnvelope.FromString(signed.envelope)
    except DecodeError:
        raise EnvelopeRejected("malformed envelope") from None
    if envelope.requesting_agency != signer.name:
        raise EnvelopeRejected("requesting agency does not match certificate")
    if not _QUERY_ID.fullmatch(envelope.query_id):
        raise EnvelopeRejected("malformed query id")
    if len(envelope.payload_digest) != _DIGEST_SIZE:
        raise EnvelopeRejected("malformed payload digest")
    _check_times(envelope, epoch_ms(now))
    verified = VerifiedQuery(query=_from_envelope(envelope), signer=signer, signed=signed)
    if replay is not None:
        replay.check_and_remember(envelope.query_id, verified.query.expires_at)
    return verified


def unverified_query_id(signed: SignedQuery) -> str:
    """Return the query id a signed query claims, unverified, or "" if it does not parse.

    Only for naming a refused query in a log entry: nothing else may rely on it.
    """
    try:
        return common_pb2.QueryEnvelope.FromString(signed.envelope).query_id
    except DecodeError:
        return ""


_MODE_TO_PROTO = {
    MatchMode.REVEAL: common_pb2.MATCH_MODE_REVEAL,
    MatchMode.CARDINALITY: common_pb2.MATCH_MODE_CARDINALITY,
}
# An unset or unknown mode is refused: a partner never guesses what to reveal.
_MODE_FROM_PROTO = {value: mode for mode, value in _MODE_TO_PROTO.items()}


def _to_envelope(query: Query) -> common_pb2.QueryEnvelope:
    justification = query.justification
    return common_pb2.QueryEnvelope(
        query_id=query.query_id,
        requesting_agency=query.requesting_agency,
        investigator_id=justification.investigator_id,
        case_id=justification.case_id,
        purpose=justification.purpose,
        legal_basis=justification.legal_basis,
        targets=[common_pb2.Target(agency=t.agency, datasets=t.datasets) for t in query.targets],
        key_count=query.key_count,
        payload_digest=query.payload_digest,
        issued_at_ms=epoch_ms(query.issued_at),
        expires_at_ms=epoch_ms(query.expires_at),
        key_spec=query.key_spec,
        mode=_MODE_TO_PROTO[query.mode],
    )


def _from_envelope(envelope: common_pb2.QueryEnvelope) -> Query:
    mode = _MODE_FROM_PROTO.get(envelope.mode)
    if mode is None:
        raise InvalidInput("unknown match mode")
    return Query(
        query_id=QueryId(envelope.query_id),
        requesting_agency=AgencyCode(envelope.requesting_agency),
        justification=Justification(
            case_id=envelope.case_id,
            purpose=envelope.purpose,
            legal_basis=envelope.legal_basis,
            investigator_id=envelope.investigator_id,
        ),
        targets=tuple(Target(AgencyCode(t.agency), tuple(t.datasets)) for t in envelope.targets),
        key_count=envelope.key_count,
        payload_digest=envelope.payload_digest,
        issued_at=from_epoch_ms(envelope.issued_at_ms),
        expires_at=from_epoch_ms(envelope.expires_at_ms),
        key_spec=envelope.key_spec,
        mode=mode,
    )


def _signer(certificate: bytes, ca_cert: x509.Certificate, now: datetime) -> PeerIdentity:
    try:
        signer = verify_certificate(certificate, ca_cert, now=now)
    except PermissionDenied as exc:
        # Same generic reason, under the class callers catch for envelopes.
        raise EnvelopeRejected(str(exc)) from None
    if signer.role is not Role.NODE:
        raise EnvelopeRejected("signer is not a node")
    return signer


def _check_signature(signed: SignedQuery, certificate: bytes) -> None:
    # verify_certificate already parsed and accepted this certificate.
    public_key = parse_certificate(certificate).public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise EnvelopeRejected("signer key is not ECDSA P-256")
    try:
        public_key.verify(signed.signature, signed.envelope, _SIGNATURE)
    except (InvalidSignature, ValueError):
        raise EnvelopeRejected("bad signature") from None


def _check_times(envelope: common_pb2.QueryEnvelope, now_ms: int) -> None:
    lifetime = envelope.expires_at_ms - envelope.issued_at_ms
    if not 0 < lifetime <= MAX_LIFETIME // _MS:
        raise EnvelopeRejected("invalid lifetime")
    if envelope.issued_at_ms > now_ms + CLOCK_SKEW // _MS:
        raise EnvelopeRejected("not yet valid")
    if now_ms >= envelope.expires_at_ms:
        raise EnvelopeRejected("expired")


def _require_aware(when: datetime) -> datetime:
    # A naive datetime would silently be taken as local time.
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInput("time must be timezone-aware")
    return when
