"""Signed query envelopes: only an untouched, fresh query from its own node gets through."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import EnvelopeRejected, InvalidInput, LiaisonError
from liaison.core.query import (
    AgencyCode,
    Justification,
    MatchMode,
    Query,
    QueryId,
    SignedQuery,
    Target,
)
from liaison.crypto.certificates import PeerIdentity, Role, load_certificate, load_private_key
from liaison.crypto.envelope import (
    CLOCK_SKEW,
    MAX_LIFETIME,
    MemoryReplayGuard,
    epoch_ms,
    from_epoch_ms,
    new_query_id,
    open_query,
    payload_digest,
    sign_query,
    unverified_query_id,
    verify_payload_digest,
)
from liaison.crypto.pki import init_ca, issue
from liaison.v1 import common_pb2

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PSI_REQUEST = b"blinded keys"


@dataclass(frozen=True)
class Party:
    certificate: bytes
    key: ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Pki:
    ca: x509.Certificate
    fr: Party
    nl: Party
    broker: Party
    foreign_fr: Party  # "FR", node, but issued by another CA


def _party(directory: Path, name: str, role: Role) -> Party:
    files = issue(directory, name, role, now=NOW - timedelta(days=1))
    return Party(files.certificate.read_bytes(), load_private_key(files.private_key))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    # Module scope: hypothesis refuses function-scoped fixtures, and keys are slow-ish.
    ours = tmp_path_factory.mktemp("ours")
    theirs = tmp_path_factory.mktemp("theirs")
    init_ca(ours, "EU Pilot", now=NOW - timedelta(days=1))
    init_ca(theirs, "EU Pilot", now=NOW - timedelta(days=1))
    return Pki(
        ca=load_certificate(ours / "ca.pem"),
        fr=_party(ours, "FR", Role.NODE),
        nl=_party(ours, "NL", Role.NODE),
        broker=_party(ours, "broker", Role.BROKER),
        foreign_fr=_party(theirs, "FR", Role.NODE),
    )


def _envelope(**changes: object) -> common_pb2.QueryEnvelope:
    fields: dict[str, object] = {
        "query_id": "0123456789abcdef0123456789abcdef",
        "requesting_agency": "FR",
        "investigator_id": "inv-7",
        "case_id": "case-42",
        "purpose": "counter-terrorism",
        "legal_basis": "art. 6",
        "targets": [common_pb2.Target(agency="NL", datasets=["persons"])],
        "key_count": 3,
        "payload_digest": payload_digest(PSI_REQUEST),
        "issued_at_ms": epoch_ms(NOW),
        "expires_at_ms": epoch_ms(NOW + timedelta(minutes=5)),
        "key_spec": "v1",
        "mode": common_pb2.MATCH_MODE_REVEAL,
    }
    fields.update(changes)
    return common_pb2.QueryEnvelope(**fields)  # type: ignore[arg-type]


def _query(**changes: object) -> Query:
    """The domain value of :func:`_envelope` without changes."""
    query = Query(
        query_id=QueryId("0123456789abcdef0123456789abcdef"),
        requesting_agency=AgencyCode("FR"),
        justification=Justification(
            case_id="case-42",
            purpose="counter-terrorism",
            legal_basis="art. 6",
            investigator_id="inv-7",
        ),
        targets=(Target(AgencyCode("NL"), ("persons",)),),
        key_count=3,
        payload_digest=payload_digest(PSI_REQUEST),
        issued_at=NOW,
        expires_at=NOW + timedelta(minutes=5),
        key_spec="v1",
        mode=MatchMode.REVEAL,
    )
    return dataclasses.replace(query, **changes)  # type: ignore[arg-type]


def _sign(envelope: common_pb2.QueryEnvelope, key: ec.EllipticCurvePrivateKey) -> SignedQuery:
    """Sign any envelope, even one :func:`sign_query` could not express."""
    data = envelope.SerializeToString(deterministic=True)
    return SignedQuery(envelope=data, signature=key.sign(data, _ecdsa()))


def _open(
    pki: Pki,
    signed: SignedQuery,
    *,
    certificate: bytes | None = None,
    now: datetime = NOW,
    replay: MemoryReplayGuard | None = None,
) -> PeerIdentity:
    cert = pki.fr.certificate if certificate is None else certificate
    return open_query(signed, cert, pki.ca, now=now, replay=replay).signer


class TestRoundTrip:
    def test_signed_query_opens_to_the_same_query_and_signer(self, pki: Pki) -> None:
        query = _query()
        signed = sign_query(query, pki.fr.key)
        verified = open_query(signed, pki.fr.certificate, pki.ca, now=NOW)
        assert verified.query == query
        assert verified.signer == PeerIdentity("FR", Role.NODE, "EU Pilot")
        assert verified.signed is signed

    def test_signed_bytes_are_the_deterministic_serialisation(self, pki: Pki) -> None:
        signed = sign_query(_query(), pki.fr.key)
        assert signed.envelope == _envelope().SerializeToString(deterministic=True)

    def test_cardinality_mode_round_trips(self, pki: Pki) -> None:
        query = _query(mode=MatchMode.CARDINALITY)
        assert _open_query(pki, sign_query(query, pki.fr.key)) == query

    @pytest.mark.parametrize("mode", [common_pb2.MATCH_MODE_UNSPECIFIED, 7])
    def test_an_unset_or_unknown_mode_is_invalid_not_read_as_reveal(
        self, pki: Pki, mode: int
    ) -> None:
        signed = _sign(_envelope(mode=mode), pki.fr.key)
        with pytest.raises(InvalidInput, match="unknown match mode"):
            _open(pki, signed)

    def test_sub_millisecond_times_are_sent_to_the_millisecond(self, pki: Pki) -> None:
        late = NOW + timedelta(microseconds=999)
        signed = sign_query(_query(issued_at=late), pki.fr.key)
        assert _open_query(pki, signed).issued_at == NOW

    def test_naive_query_time_cannot_be_signed(self, pki: Pki) -> None:
        with pytest.raises(InvalidInput, match="timezone-aware"):
            sign_query(_query(issued_at=datetime(2026, 3, 1, 12)), pki.fr.key)

    def test_unverified_query_id_is_read_for_denials_only(self, pki: Pki) -> None:
        assert unverified_query_id(sign_query(_query(), pki.fr.key)) == _query().query_id
        assert unverified_query_id(SignedQuery(envelope=b"\xff\xff", signature=b"")) == ""

    def test_der_certificate_is_accepted_like_pem(self, pki: Pki) -> None:
        der = x509.load_pem_x509_certificate(pki.fr.certificate).public_bytes(
            serialization.Encoding.DER
        )
        assert _open(pki, _sign(_envelope(), pki.fr.key), certificate=der).name == "FR"

    def test_key_of_another_curve_cannot_sign(self) -> None:
        with pytest.raises(InvalidInput, match="P-256"):
            sign_query(_query(), ec.generate_private_key(ec.SECP384R1()))


class TestTampering:
    def test_altered_envelope_bytes_are_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        altered = _envelope(key_count=4).SerializeToString(deterministic=True)
        forged = SignedQuery(envelope=altered, signature=signed.signature)
        with pytest.raises(EnvelopeRejected, match="bad signature"):
            _open(pki, forged)

    def test_every_flipped_byte_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        for index in range(len(signed.envelope)):
            data = bytearray(signed.envelope)
            data[index] ^= 0x01
            forged = SignedQuery(envelope=bytes(data), signature=signed.signature)
            with pytest.raises(EnvelopeRejected, match="bad signature"):
                _open(pki, forged)

    def test_signature_by_another_node_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.nl.key)
        with pytest.raises(EnvelopeRejected, match="bad signature"):
            _open(pki, signed, certificate=pki.fr.certificate)

    def test_agency_other_than_the_signer_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(requesting_agency="FR"), pki.nl.key)
        with pytest.raises(EnvelopeRejected, match="requesting agency does not match"):
            _open(pki, signed, certificate=pki.nl.certificate)

    def test_broker_cannot_sign_a_query(self, pki: Pki) -> None:
        signed = _sign(_envelope(requesting_agency="broker"), pki.broker.key)
        with pytest.raises(EnvelopeRejected, match="not a node"):
            _open(pki, signed, certificate=pki.broker.certificate)

    def test_signer_certified_by_another_ca_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.foreign_fr.key)
        with pytest.raises(EnvelopeRejected, match="not issued by the federation CA"):
            _open(pki, signed, certificate=pki.foreign_fr.certificate)

    def test_signer_certificate_expired_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        with pytest.raises(EnvelopeRejected, match="expired or not yet valid"):
            _open(pki, signed, now=NOW + timedelta(days=3650))

    def test_signed_garbage_is_refused_as_malformed(self, pki: Pki) -> None:
        key = pki.fr.key
        garbage = b"\xff\xff\xff"
        signed = SignedQuery(envelope=garbage, signature=key.sign(garbage, _ecdsa()))
        with pytest.raises(EnvelopeRejected, match="malformed envelope"):
            _open(pki, signed)

    @pytest.mark.parametrize("query_id", ["", "0123", "0123456789ABCDEF0123456789ABCDEF", "g" * 32])
    def test_malformed_query_id_is_refused(self, pki: Pki, query_id: str) -> None:
        with pytest.raises(EnvelopeRejected, match="malformed query id"):
            _open(pki, _sign(_envelope(query_id=query_id), pki.fr.key))

    @pytest.mark.parametrize("digest", [b"", b"\x00" * 31, b"\x00" * 33])
    def test_payload_digest_of_wrong_length_is_refused(self, pki: Pki, digest: bytes) -> None:
        with pytest.raises(EnvelopeRejected, match="malformed payload digest"):
            _open(pki, _sign(_envelope(payload_digest=digest), pki.fr.key))


class TestTimes:
    def test_expired_envelope_is_refused(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        assert _open(pki, signed, now=NOW + timedelta(minutes=5) - timedelta(milliseconds=1))
        with pytest.raises(EnvelopeRejected, match="expired"):
            _open(pki, signed, now=NOW + timedelta(minutes=5))

    def test_envelope_from_the_future_is_refused_beyond_clock_skew(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        assert _open(pki, signed, now=NOW - CLOCK_SKEW)
        with pytest.raises(EnvelopeRejected, match="not yet valid"):
            _open(pki, signed, now=NOW - CLOCK_SKEW - timedelta(milliseconds=1))

    def test_overlong_lifetime_is_refused(self, pki: Pki) -> None:
        longest = _envelope(expires_at_ms=epoch_ms(NOW + MAX_LIFETIME))
        assert _open(pki, _sign(longest, pki.fr.key))
        overlong = _envelope(expires_at_ms=epoch_ms(NOW + MAX_LIFETIME) + 1)
        with pytest.raises(EnvelopeRejected, match="invalid lifetime"):
            _open(pki, _sign(overlong, pki.fr.key))

    @pytest.mark.parametrize("expires", [NOW, NOW - timedelta(minutes=1)])
    def test_expiry_not_after_issue_is_refused(self, pki: Pki, expires: datetime) -> None:
        envelope = _envelope(expires_at_ms=epoch_ms(expires))
        with pytest.raises(EnvelopeRejected, match="invalid lifetime"):
            _open(pki, _sign(envelope, pki.fr.key))

    def test_extreme_timestamps_are_refused_not_crashed(self, pki: Pki) -> None:
        extreme = _envelope(issued_at_ms=-(2**63), expires_at_ms=2**63 - 1)
        with pytest.raises(EnvelopeRejected, match="invalid lifetime"):
            _open(pki, _sign(extreme, pki.fr.key))

    def test_naive_time_is_refused(self, pki: Pki) -> None:
        with pytest.raises(InvalidInput, match="timezone-aware"):
            _open(pki, _sign(_envelope(), pki.fr.key), now=datetime(2026, 3, 1, 12))

    def test_epoch_ms_round_trips_to_the_millisecond(self) -> None:
        when = datetime(2026, 3, 1, 12, 0, 0, 123_000, tzinfo=UTC)
        assert epoch_ms(when) == 1_772_366_400_123
        assert from_epoch_ms(epoch_ms(when)) == when

    def test_from_epoch_ms_out_of_range_is_invalid_input(self) -> None:
        with pytest.raises(InvalidInput):
            from_epoch_ms(2**63 - 1)


class TestReplay:
    def test_replayed_query_is_refused(self, pki: Pki) -> None:
        guard = MemoryReplayGuard(clock=lambda: NOW)
        signed = _sign(_envelope(), pki.fr.key)
        _open(pki, signed, replay=guard)
        with pytest.raises(EnvelopeRejected, match="replayed query"):
            _open(pki, signed, replay=guard)

    def test_refused_envelope_is_not_remembered(self, pki: Pki) -> None:
        guard = MemoryReplayGuard(clock=lambda: NOW)
        signed = _sign(_envelope(), pki.fr.key)
        with pytest.raises(EnvelopeRejected, match="expired"):
            _open(pki, signed, now=NOW + timedelta(hours=1), replay=guard)
        assert len(guard) == 0
        _open(pki, signed, replay=guard)

    def test_separate_guards_keep_separate_purposes(self, pki: Pki) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        _open(pki, signed, replay=MemoryReplayGuard(clock=lambda: NOW))
        _open(pki, signed, replay=MemoryReplayGuard(clock=lambda: NOW))

    def test_guard_forgets_ids_once_expired(self) -> None:
        clock = _Clock(NOW)
        guard = MemoryReplayGuard(clock=clock)
        guard.check_and_remember("a", NOW + timedelta(minutes=1))
        guard.check_and_remember("b", NOW + timedelta(minutes=2))
        clock.now = NOW + timedelta(minutes=1)
        guard.check_and_remember("a", NOW + timedelta(minutes=3))
        assert len(guard) == 2
        with pytest.raises(EnvelopeRejected, match="replayed query"):
            guard.check_and_remember("b", NOW + timedelta(minutes=3))

    def test_full_guard_refuses_rather_than_forgets(self) -> None:
        guard = MemoryReplayGuard(clock=lambda: NOW, capacity=1)
        guard.check_and_remember("a", NOW + timedelta(minutes=1))
        with pytest.raises(EnvelopeRejected, match="too many"):
            guard.check_and_remember("b", NOW + timedelta(minutes=1))
        with pytest.raises(EnvelopeRejected, match="replayed query"):
            guard.check_and_remember("a", NOW + timedelta(minutes=1))

    def test_guard_admits_an_id_once_under_concurrency(self) -> None:
        guard = MemoryReplayGuard(clock=lambda: NOW)
        admitted: list[int] = []
        start = threading.Barrier(8)

        def attempt(worker: int) -> None:
            start.wait()
            try:
                guard.check_and_remember("same", NOW + timedelta(minutes=1))
            except EnvelopeRejected:
                return
            admitted.append(worker)

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(admitted) == 1

    def test_zero_capacity_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            MemoryReplayGuard(capacity=0)


class TestHelpers:
    def test_query_ids_are_fresh_lowercase_hex(self) -> None:
        ids = {new_query_id() for _ in range(100)}
        assert len(ids) == 100
        assert all(len(i) == 32 and i == i.lower() and int(i, 16) >= 0 for i in ids)

    def test_payload_digest_is_sha256(self) -> None:
        assert payload_digest(b"abc").hex() == (
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )

    def test_payload_matching_the_envelope_is_accepted(self) -> None:
        verify_payload_digest(_query(), PSI_REQUEST)

    def test_payload_not_matching_the_envelope_is_refused(self) -> None:
        with pytest.raises(EnvelopeRejected, match="payload does not match"):
            verify_payload_digest(_query(), PSI_REQUEST + b"!")


class TestFuzz:
    @given(envelope=st.binary(max_size=512), signature=st.binary(max_size=128))
    def test_random_envelope_and_signature_raise_only_liaison_errors(
        self, pki: Pki, envelope: bytes, signature: bytes
    ) -> None:
        signed = SignedQuery(envelope=envelope, signature=signature)
        with pytest.raises(LiaisonError):
            _open(pki, signed)

    @given(certificate=st.binary(max_size=1024))
    def test_random_certificate_raises_only_liaison_errors(
        self, pki: Pki, certificate: bytes
    ) -> None:
        signed = _sign(_envelope(), pki.fr.key)
        with pytest.raises(EnvelopeRejected):
            _open(pki, signed, certificate=certificate)

    @given(envelope=st.binary(max_size=512))
    def test_signed_random_bytes_raise_only_liaison_errors(self, pki: Pki, envelope: bytes) -> None:
        # Past the signature check, so the parser and claim checks see the bytes.
        signed = SignedQuery(envelope=envelope, signature=pki.fr.key.sign(envelope, _ecdsa()))
        with pytest.raises(LiaisonError):
            _open(pki, signed)


def _open_query(pki: Pki, signed: SignedQuery) -> Query:
    return open_query(signed, pki.fr.certificate, pki.ca, now=NOW).query


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _ecdsa() -> ec.ECDSA:
    return ec.ECDSA(hashes.SHA256())
