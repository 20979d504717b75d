"""Mutual TLS and caller identity: who may call what, and what is refused.

Every federation connection is mutual TLS under the federation CA; the
caller's identity comes from its certificate only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from private_set_intersection.python import Request

from liaison.crypto import psi
from liaison.crypto.certificates import Role, TlsMaterial, load_tls_material
from liaison.crypto.pki import init_ca, issue
from liaison.v1 import broker_pb2, broker_pb2_grpc, common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.credentials import (
    CLAIMED_IDENTITY_HEADER,
    MAX_MESSAGE_BYTES,
    channel_options,
    secure_channel,
)
from tests.integration.harness import RunningFederation, start_federation
from tests.pki_support import HOSTS


@pytest.fixture
def federation(tmp_path: Path) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path / "fed", {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"),
    )  # fmt: skip
    try:
        yield running
    finally:
        running.stop()


def directory_call(target: str, credentials: grpc.ChannelCredentials) -> broker_pb2.DirectoryReply:
    with grpc.secure_channel(target, credentials, options=channel_options()) as channel:
        stub = broker_pb2_grpc.BrokerStub(channel)
        return stub.Directory(broker_pb2.DirectoryRequest(), timeout=5)


def code_of(error: pytest.ExceptionInfo[grpc.RpcError]) -> grpc.StatusCode:
    return error.value.code()


def test_a_member_node_may_read_the_directory(federation: RunningFederation) -> None:
    tls = federation.pki.tls(federation.pki.nodes["FR"])
    reply = directory_call(
        federation.broker_address,
        grpc.ssl_channel_credentials(tls.root_certificates, tls.private_key, tls.certificate_chain),
    )
    assert [p.agency for p in reply.participants] == ["FR", "NL"]


def test_no_client_certificate_is_refused(federation: RunningFederation) -> None:
    credentials = grpc.ssl_channel_credentials(federation.pki.ca_pem())
    with pytest.raises(grpc.RpcError) as caught:
        directory_call(federation.broker_address, credentials)
    assert code_of(caught) == grpc.StatusCode.UNAVAILABLE


def foreign_tls(
    tmp_path: Path, *, not_before: datetime | None = None, days: int = 30
) -> TlsMaterial:
    now = datetime.now(UTC)
    ca = init_ca(tmp_path, "Other Federation", now=now)
    files = issue(tmp_path, "FR", Role.NODE, hosts=HOSTS, now=now, not_before=not_before, days=days)
    return load_tls_material(files.certificate, files.private_key, ca.certificate)


def test_certificate_from_another_ca_is_refused(
    federation: RunningFederation, tmp_path: Path
) -> None:
    other = foreign_tls(tmp_path / "other")
    credentials = grpc.ssl_channel_credentials(
        federation.pki.ca_pem(), other.private_key, other.certificate_chain
    )
    with pytest.raises(grpc.RpcError) as caught:
        directory_call(federation.broker_address, credentials)
    assert code_of(caught) == grpc.StatusCode.UNAVAILABLE


def test_expired_certificate_is_refused(federation: RunningFederation) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=40)
    files = issue(
        federation.pki.directory, "expired-FR", Role.NODE, hosts=HOSTS, now=long_ago,
        not_before=long_ago, days=10,
    )  # fmt: skip
    tls = load_tls_material(files.certificate, files.private_key, federation.pki.ca_certificate)
    credentials = grpc.ssl_channel_credentials(
        tls.root_certificates, tls.private_key, tls.certificate_chain
    )
    with pytest.raises(grpc.RpcError) as caught:
        directory_call(federation.broker_address, credentials)
    assert code_of(caught) == grpc.StatusCode.UNAVAILABLE


def test_metadata_claiming_another_agency_is_refused(federation: RunningFederation) -> None:
    stub = federation.broker_stub("FR")
    with pytest.raises(grpc.RpcError) as caught:
        stub.Directory(
            broker_pb2.DirectoryRequest(), metadata=((CLAIMED_IDENTITY_HEADER, "NL"),), timeout=5
        )
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_envelope_claiming_another_agency_is_refused(federation: RunningFederation) -> None:
    psi_request = psi.PsiClient().request(["1|email|a@example.org"])
    signed = federation.signed_query("FR", ["NL"], psi_request, key_count=1, claimed_agency="NL")
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=10
        )
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_replayed_query_is_refused(federation: RunningFederation) -> None:
    psi_request = psi.PsiClient().request(["1|email|a@example.org"])
    signed = federation.signed_query("FR", ["NL"], psi_request, key_count=1)
    submit = broker_pb2.SubmitRequest(query=signed, psi_request=psi_request)
    stub = federation.broker_stub("FR")
    stub.Submit(submit, timeout=10)
    with pytest.raises(grpc.RpcError) as caught:
        stub.Submit(submit, timeout=10)
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_payload_swapped_after_signing_is_refused(federation: RunningFederation) -> None:
    signed_for = psi.PsiClient().request(["1|email|a@example.org"])
    swapped = psi.PsiClient().request(["1|email|b@example.org"])
    signed = federation.signed_query("FR", ["NL"], signed_for, key_count=1)
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=swapped), timeout=10
        )
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_auditor_may_not_submit_queries(federation: RunningFederation) -> None:
    psi_request = psi.PsiClient().request(["x"])
    signed = federation.signed_query("FR", ["NL"], psi_request, key_count=1)
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("auditor", "auditor").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=10
        )
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_a_node_may_not_call_another_nodes_federation_face(federation: RunningFederation) -> None:
    channel = secure_channel(
        federation.node_configs["NL"].federation_listen,
        federation.pki.tls(federation.pki.nodes["FR"]),
    )
    with channel:
        stub = node_pb2_grpc.NodeFederationStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.Answer(node_pb2.PartnerRequest(), timeout=5)
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("garbage", [b"\xff" * 40, b"\x0a\x05hello", b"\x12\x03abc"])
def test_garbage_psi_payload_is_invalid_and_the_broker_keeps_serving(
    federation: RunningFederation, garbage: bytes
) -> None:
    signed = federation.signed_query("FR", ["NL"], garbage, key_count=1)
    stub = federation.broker_stub("FR")
    with pytest.raises(grpc.RpcError) as caught:
        stub.Submit(broker_pb2.SubmitRequest(query=signed, psi_request=garbage), timeout=10)
    assert code_of(caught) == grpc.StatusCode.INVALID_ARGUMENT
    assert stub.Directory(broker_pb2.DirectoryRequest(), timeout=5).participants


def test_garbage_blinded_points_are_invalid_at_the_partner(federation: RunningFederation) -> None:
    # A well-formed PSI message whose "points" are not curve points: the broker
    # relays it (it cannot open it); the partner refuses, the query survives.
    message = Request(reveal_intersection=True)
    message.encrypted_elements.append(b"\x02" + b"\x00" * 10)
    payload = message.SerializeToString()
    federation.import_rows("NL", "watchlist", [])
    signed = federation.signed_query("FR", ["NL"], payload, key_count=1)
    reply = federation.broker_stub("FR").Submit(
        broker_pb2.SubmitRequest(query=signed, psi_request=payload), timeout=10
    )
    (answer,) = reply.answers
    assert answer.agency == "NL"
    assert (answer.status, answer.reason) == (
        common_pb2.PARTNER_STATUS_REFUSED,
        "PSI request holds invalid elements",
    )


def test_oversized_request_is_resource_exhausted(federation: RunningFederation) -> None:
    stub = federation.broker_stub("FR")
    huge = b"\x00" * (MAX_MESSAGE_BYTES + 1)
    with pytest.raises(grpc.RpcError) as caught:
        stub.Submit(broker_pb2.SubmitRequest(psi_request=huge), timeout=20)
    assert code_of(caught) == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert stub.Directory(broker_pb2.DirectoryRequest(), timeout=5).participants


def test_removed_agency_is_refused_without_restart(federation: RunningFederation) -> None:
    federation.write_directory([("NL", federation.node_configs["NL"].federation_listen)])
    federation.monotonic.advance(1.0)  # the directory re-reads its file at most once a second
    psi_request = psi.PsiClient().request(["x"])
    signed = federation.signed_query("FR", ["NL"], psi_request, key_count=1)
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=10
        )
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED


def test_directory_is_not_re_read_within_a_second(federation: RunningFederation) -> None:
    federation.write_directory([("NL", federation.node_configs["NL"].federation_listen)])
    federation.monotonic.advance(0.5)
    reply = federation.broker_stub("NL").Directory(broker_pb2.DirectoryRequest(), timeout=5)
    assert {p.agency for p in reply.participants} == set(federation.node_configs)


def test_garbage_bytes_on_the_wire_are_refused_and_the_broker_keeps_serving(
    federation: RunningFederation,
) -> None:
    channel = secure_channel(
        federation.broker_address, federation.pki.tls(federation.pki.nodes["FR"])
    )
    with channel:
        raw = channel.unary_unary(
            "/liaison.v1.Broker/Submit",
            request_serializer=lambda data: data,
            response_deserializer=lambda data: data,
        )
        with pytest.raises(grpc.RpcError) as caught:
            raw(b"\xff\xfe\xfd not a protobuf message", timeout=5)
        # Refused as the caller's mistake (liaison.wire.malformed), not INTERNAL.
        assert code_of(caught) == grpc.StatusCode.INVALID_ARGUMENT
        assert caught.value.details() == "malformed request"
        stub = broker_pb2_grpc.BrokerStub(channel)
        assert stub.Directory(broker_pb2.DirectoryRequest(), timeout=5).participants


def test_the_audit_log_is_served_to_auditors_and_nodes_only(federation: RunningFederation) -> None:
    request = broker_pb2.TreeHeadRequest()
    for files in (federation.pki.auditor, federation.pki.nodes["FR"]):
        with secure_channel(federation.broker_address, federation.pki.tls(files)) as channel:
            head = broker_pb2_grpc.AuditStub(channel).GetTreeHead(request, timeout=5)
            assert head.size >= 2  # the two admissions
    with (
        secure_channel(
            federation.broker_address, federation.pki.tls(federation.pki.broker)
        ) as channel,
        pytest.raises(grpc.RpcError) as caught,
    ):
        broker_pb2_grpc.AuditStub(channel).GetTreeHead(request, timeout=5)
    assert code_of(caught) == grpc.StatusCode.PERMISSION_DENIED
