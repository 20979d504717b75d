"""Every error class comes back as itself after a real gRPC round trip.

A handler raises each registered class inside ``translate_errors``; the
client's ``error_from_rpc`` must rebuild exactly that class and message, on a
unary call and on a server stream that fails after its first chunk, and
through the broker's FetchFilter relay of a partner's GetFilter stream. A
peer that sends no class name is read by status code; a call that never
reaches a server is ``Unreachable``; a client deadline is ``PartnerTimeout``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent import futures
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import grpc
import pytest

from liaison.broker.coordinator import Coordinator
from liaison.broker.node_client import GrpcNodes
from liaison.broker.servicer import BrokerServicer
from liaison.core import errors
from liaison.core.errors import ERROR_CLASSES, LiaisonError
from liaison.core.query import SignedQuery
from liaison.node.broker_client import GrpcBroker
from liaison.v1 import broker_pb2_grpc, common_pb2, node_pb2
from liaison.wire.credentials import server_credentials
from liaison.wire.status import (
    ERROR_BY_STATUS,
    ERROR_CLASS_HEADER,
    error_from_rpc,
    translate_errors,
)
from tests.pki_support import Federation, make_federation

MESSAGE = "dataset 'watchlist' refused by rule 3"
#: The one class deliberately not relayed as itself: a peer that raises it was reached.
RELAYED: dict[type[LiaisonError], type[LiaisonError]] = {
    errors.Unreachable: errors.PartnerUnavailable
}
CLASSES = list(ERROR_CLASSES.values())
NAMES = list(ERROR_CLASSES)
TIMEOUT = 10.0


def expected(cls: type[LiaisonError]) -> type[LiaisonError]:
    """Return the class a caller should see when a peer raises ``cls``."""
    return RELAYED.get(cls, cls)


class Handlers:
    """Test methods on bytes: the request names the error class to raise."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def unary(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        with translate_errors(context, "Unary"):
            raise ERROR_CLASSES[request.decode()](MESSAGE)

    def stream(self, request: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        with translate_errors(context, "Stream"):
            yield b"first chunk"
            raise ERROR_CLASSES[request.decode()](MESSAGE)

    def foreign(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        """A peer of another implementation: a bare status, perhaps an unknown name."""
        code_name, _, sent_name = request.decode().partition(" ")
        if sent_name:
            context.set_trailing_metadata(((ERROR_CLASS_HEADER, sent_name),))
        context.abort(grpc.StatusCode[code_name], MESSAGE)

    def slow(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        self.release.wait(TIMEOUT)
        return request


def serve(server: grpc.Server, bind: Any) -> int:
    """Start ``server`` on a port of 127.0.0.1 and return the port."""
    port = int(bind("127.0.0.1:0"))
    server.start()
    return port


@pytest.fixture(scope="module")
def edge() -> Iterator[grpc.Channel]:
    handlers = Handlers()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    methods: dict[str, grpc.RpcMethodHandler[Any, Any]] = {
        "Unary": grpc.unary_unary_rpc_method_handler(handlers.unary),
        "Stream": grpc.unary_stream_rpc_method_handler(handlers.stream),
        "Foreign": grpc.unary_unary_rpc_method_handler(handlers.foreign),
        "Slow": grpc.unary_unary_rpc_method_handler(handlers.slow),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Errors", methods),))
    port = serve(server, server.add_insecure_port)
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield channel
    finally:
        handlers.release.set()
        channel.close()
        server.stop(0)


def failure_of(call: Any, request: bytes, *, timeout: float = TIMEOUT) -> LiaisonError:
    """Make ``call`` and return the Liaison error its failure maps back to."""
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=timeout)
    return error_from_rpc(caught.value)


@pytest.mark.parametrize("cls", CLASSES, ids=NAMES)
def test_a_unary_error_comes_back_as_its_class(edge: grpc.Channel, cls: type[LiaisonError]) -> None:
    error = failure_of(edge.unary_unary("/test.Errors/Unary"), cls.__name__.encode())
    assert type(error) is expected(cls)
    assert str(error) == MESSAGE


@pytest.mark.parametrize("cls", CLASSES, ids=NAMES)
def test_an_error_after_the_first_chunk_comes_back_as_its_class(
    edge: grpc.Channel, cls: type[LiaisonError]
) -> None:
    call: grpc.UnaryStreamMultiCallable[bytes, bytes] = edge.unary_stream("/test.Errors/Stream")
    stream = call(cls.__name__.encode(), timeout=TIMEOUT)
    assert next(stream) == b"first chunk"
    with pytest.raises(grpc.RpcError) as caught:
        next(stream)
    error = error_from_rpc(caught.value)
    assert type(error) is expected(cls)
    assert str(error) == MESSAGE


@pytest.mark.parametrize(
    ("code", "cls"), ERROR_BY_STATUS.items(), ids=[code.name for code in ERROR_BY_STATUS]
)
def test_a_status_without_a_class_name_falls_back_by_code(
    edge: grpc.Channel, code: grpc.StatusCode, cls: type[LiaisonError]
) -> None:
    error = failure_of(edge.unary_unary("/test.Errors/Foreign"), code.name.encode())
    assert type(error) is cls
    assert str(error) == MESSAGE


def test_an_unknown_class_name_falls_back_by_code(edge: grpc.Channel) -> None:
    request = b"PERMISSION_DENIED subprocess.Popen"
    error = failure_of(edge.unary_unary("/test.Errors/Foreign"), request)
    assert type(error) is errors.PermissionDenied


def test_a_server_not_listening_is_unreachable() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    port = serve(server, server.add_insecure_port)
    server.stop(0)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        error = failure_of(channel.unary_unary("/test.Errors/Unary"), b"NotFound")
    assert type(error) is errors.Unreachable


def test_a_client_deadline_is_a_partner_timeout(edge: grpc.Channel) -> None:
    # Not Unreachable: the request may have arrived and had its effect.
    error = failure_of(edge.unary_unary("/test.Errors/Slow"), b"x", timeout=0.2)
    assert type(error) is errors.PartnerTimeout


class Partner:
    """A partner's GetFilter: one chunk, then the error class named as the dataset."""

    def get_filter(
        self, request: node_pb2.FilterRequest, context: grpc.ServicerContext
    ) -> Iterator[common_pb2.FilterChunk]:
        with translate_errors(context, "GetFilter"):
            yield common_pb2.FilterChunk(dataset=request.dataset, data=b"part", last=False)
            raise ERROR_CLASSES[request.dataset](MESSAGE)


class Relay:
    """The coordinator's part in FetchFilter: stream the partner's filter through."""

    def __init__(self, nodes: GrpcNodes, endpoint: str) -> None:
        self._nodes = nodes
        self.endpoint = endpoint

    def fetch_filter(
        self,
        caller_certificate: bytes,
        signed: SignedQuery,
        agency: str,
        dataset: str,
        version: int,
    ) -> Iterator[common_pb2.FilterChunk]:
        return self._nodes.get_filter(
            self.endpoint, signed, caller_certificate, dataset, version, timeout=TIMEOUT
        )


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    directory: Path = tmp_path_factory.mktemp("pki")
    return make_federation(directory, agencies=("FR", "NL"), now=datetime.now(UTC))


@pytest.fixture(scope="module")
def partner_port(pki: Federation) -> Iterator[int]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handler = grpc.unary_stream_rpc_method_handler(
        Partner().get_filter,
        request_deserializer=node_pb2.FilterRequest.FromString,
        response_serializer=common_pb2.FilterChunk.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("liaison.v1.NodeFederation", {"GetFilter": handler}),)
    )
    credentials = server_credentials(pki.tls(pki.nodes["NL"]))
    try:
        yield serve(server, lambda address: server.add_secure_port(address, credentials))
    finally:
        server.stop(0)


@pytest.fixture(scope="module")
def relay(pki: Federation, partner_port: int) -> Iterator[tuple[Relay, GrpcBroker]]:
    nodes = GrpcNodes(pki.tls(pki.broker))
    coordinator = Relay(nodes, f"127.0.0.1:{partner_port}")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = BrokerServicer(
        "Test Federation", cast(Coordinator[common_pb2.FilterChunk], coordinator)
    )
    broker_pb2_grpc.add_BrokerServicer_to_server(servicer, server)
    credentials = server_credentials(pki.tls(pki.broker))
    port = serve(server, lambda address: server.add_secure_port(address, credentials))
    broker = GrpcBroker(f"127.0.0.1:{port}", pki.tls(pki.nodes["FR"]), timeout=TIMEOUT)
    try:
        yield coordinator, broker
    finally:
        broker.close()
        server.stop(0)
        nodes.close()


@pytest.mark.parametrize("cls", CLASSES, ids=NAMES)
def test_a_partner_error_relayed_by_the_broker_keeps_its_class(
    relay: tuple[Relay, GrpcBroker], cls: type[LiaisonError]
) -> None:
    _, broker = relay
    with pytest.raises(LiaisonError) as caught:
        broker.fetch_filter(SignedQuery(b"", b""), "NL", cls.__name__, 1, max_bytes=1024)
    assert type(caught.value) is expected(cls)
    assert str(caught.value) == MESSAGE


def test_a_partner_the_broker_cannot_reach_is_unavailable_not_unreachable(
    relay: tuple[Relay, GrpcBroker],
) -> None:
    coordinator, broker = relay
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    port = serve(server, server.add_insecure_port)
    server.stop(0)
    reachable, coordinator.endpoint = coordinator.endpoint, f"127.0.0.1:{port}"
    try:
        with pytest.raises(LiaisonError) as caught:
            broker.fetch_filter(SignedQuery(b"", b""), "NL", "NotFound", 1, max_bytes=1024)
    finally:
        coordinator.endpoint = reachable
    assert type(caught.value) is errors.PartnerUnavailable
