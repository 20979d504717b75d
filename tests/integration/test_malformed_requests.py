"""Finding 9: a request whose bytes are not the message is INVALID_ARGUMENT, untraced.

Raw bytes against the real broker, the node's federation face and its local
face: each answers INVALID_ARGUMENT "malformed request" with the class
``InvalidInput`` named, logs no traceback, and keeps serving.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.core.errors import InvalidInput
from liaison.v1 import broker_pb2
from liaison.wire.credentials import channel_options, secure_channel
from liaison.wire.status import error_from_rpc
from tests.integration.harness import RunningFederation, start_federation

GARBAGE = (b"\xff\xff\xff\xff", b"\x0a\xff\xff", b"\x12\x05ab")


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


def raw_call(
    channel: grpc.Channel, method: str, data: bytes, token: str | None = None
) -> grpc.RpcError:
    call = channel.unary_unary(
        method, request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    metadata = (("authorization", f"Bearer {token}"),) if token else None
    with pytest.raises(grpc.RpcError) as caught:
        call(data, timeout=10, metadata=metadata)
    return caught.value


def assert_malformed(error: grpc.RpcError, caplog: pytest.LogCaptureFixture) -> None:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "malformed request"
    assert type(error_from_rpc(error)) is InvalidInput
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_to_the_broker_is_invalid_argument(
    federation: RunningFederation, garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    channel = secure_channel(
        federation.broker_address, federation.pki.tls(federation.pki.nodes["FR"])
    )
    with channel:
        assert_malformed(raw_call(channel, "/liaison.v1.Broker/Submit", garbage), caplog)
        assert_malformed(raw_call(channel, "/liaison.v1.Broker/FetchFilter", garbage), caplog)
    assert federation.broker_stub("FR").Directory(broker_pb2.DirectoryRequest(), timeout=5)


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_to_a_node_is_invalid_argument(
    federation: RunningFederation, garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    local = grpc.insecure_channel(
        federation.node_configs["FR"].local_listen, options=channel_options()
    )
    with local:
        # Authentication comes first: an anonymous caller learns nothing of parsing.
        anonymous = raw_call(local, "/liaison.v1.NodeLocal/Match", garbage)
        assert anonymous.code() == grpc.StatusCode.UNAUTHENTICATED
        token = federation.tokens["FR"]
        assert_malformed(raw_call(local, "/liaison.v1.NodeLocal/Match", garbage, token), caplog)
    tls = federation.pki.tls(federation.pki.broker)
    with secure_channel(federation.node_configs["NL"].federation_listen, tls) as channel:
        assert_malformed(raw_call(channel, "/liaison.v1.NodeFederation/Answer", garbage), caplog)


def test_a_garbage_psi_request_inside_a_valid_message_is_invalid_argument(
    federation: RunningFederation, caplog: pytest.LogCaptureFixture
) -> None:
    garbage = b"\x0a\xff\xff\xff"
    signed = federation.signed_query("FR", ["NL"], garbage, key_count=1)
    with pytest.raises(grpc.RpcError) as caught:
        federation.broker_stub("FR").Submit(
            broker_pb2.SubmitRequest(query=signed, psi_request=garbage), timeout=10
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
