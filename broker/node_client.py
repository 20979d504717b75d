"""The broker's gRPC client of partner nodes (the production NodePort)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import grpc

from liaison.core.answers import DatasetAnswer
from liaison.core.errors import PartnerTimeout
from liaison.core.query import SignedQuery
from liaison.core.versions import PartnerVersions
from liaison.crypto.certificates import TlsMaterial
from liaison.crypto.receipts import Receipt
from liaison.v1 import common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.common_codec import (
    answer_from_proto,
    partner_versions_from_proto,
    receipt_to_proto,
    signed_query_to_proto,
)
from liaison.wire.credentials import secure_channel
from liaison.wire.diagnosis import peer_error
from liaison.wire.status import rpc_code


class GrpcNodes:
    """Mutual-TLS channels to partner nodes, one per endpoint, reused."""

    def __init__(self, tls: TlsMaterial) -> None:
        """Present the broker's certificate on every channel."""
        self._tls = tls
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()

    def _stub(self, endpoint: str) -> node_pb2_grpc.NodeFederationStub:
        with self._lock:
            channel = self._channels.get(endpoint)
            if channel is None:
                channel = secure_channel(endpoint, self._tls)
                self._channels[endpoint] = channel
        return node_pb2_grpc.NodeFederationStub(channel)

    def answer(
        self,
        endpoint: str,
        signed: SignedQuery,
        requester_certificate: bytes,
        psi_request: bytes,
        receipt: Receipt,
        *,
        timeout: float,
    ) -> list[DatasetAnswer]:
        """Relay a query and its audit receipt to one partner.

        Raises:
            PartnerTimeout: no answer before ``timeout``.
            LiaisonError: the partner refused or could not be reached.
        """
        request = node_pb2.PartnerRequest(
            query=signed_query_to_proto(signed),
            requester_certificate=requester_certificate,
            psi_request=psi_request,
            receipt=receipt_to_proto(receipt),
        )
        try:
            reply = self._stub(endpoint).Answer(request, timeout=timeout)
        except grpc.RpcError as exc:
            if rpc_code(exc) == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise PartnerTimeout("no answer before the deadline") from None
            raise peer_error(exc, "the partner node", endpoint) from None
        return [answer_from_proto(a) for a in reply.answers]

    def get_filter(
        self,
        endpoint: str,
        signed: SignedQuery,
        requester_certificate: bytes,
        dataset: str,
        version: int,
        *,
        timeout: float,
    ) -> Iterator[common_pb2.FilterChunk]:
        """Stream a partner's filter chunks.

        Raises:
            LiaisonError: the partner refused or could not be reached.
        """
        request = node_pb2.FilterRequest(
            query=signed_query_to_proto(signed),
            requester_certificate=requester_certificate,
            dataset=dataset,
            filter_version=version,
        )
        try:
            yield from self._stub(endpoint).GetFilter(request, timeout=timeout)
        except grpc.RpcError as exc:
            raise peer_error(exc, "the partner node", endpoint) from None

    def dataset_versions(
        self, endpoint: str, requesting_agency: str, *, timeout: float
    ) -> PartnerVersions:
        """Ask one partner for the dataset versions it shares with the requester.

        Raises:
            PartnerTimeout: no answer before ``timeout``.
            LiaisonError: the partner refused or could not be reached.
        """
        request = node_pb2.NodeVersionsRequest(requesting_agency=requesting_agency)
        try:
            reply = self._stub(endpoint).DatasetVersions(request, timeout=timeout)
        except grpc.RpcError as exc:
            if rpc_code(exc) == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise PartnerTimeout("no answer before the deadline") from None
            raise peer_error(exc, "the partner node", endpoint) from None
        return partner_versions_from_proto(reply)

    def close(self) -> None:
        """Close every channel."""
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()
