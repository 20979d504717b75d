"""The broker's gRPC client of partner nodes (the production NodePort)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from typing import Final

import grpc

from liaison.core.answers import DatasetAnswer
from liaison.core.errors import PartnerTimeout, PartnerUnavailable
from liaison.core.query import SignedQuery
from liaison.core.versions import PartnerVersions
from liaison.crypto.certificates import TlsMaterial
from liaison.crypto.followup_seal import SealedMessage
from liaison.crypto.receipts import Receipt
from liaison.v1 import common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.common_codec import (
    answer_from_proto,
    partner_versions_from_proto,
    receipt_to_proto,
    sealed_from_proto,
    sealed_to_proto,
    signed_query_to_proto,
)
from liaison.wire.credentials import secure_channel
from liaison.wire.diagnosis import peer_error
from liaison.wire.status import rpc_code

#: (partner endpoint, certificate digest) pairs remembered; past it, forgotten at once.
MAX_KNOWN_CERTIFICATES: Final = 4096


class GrpcNodes:
    """Mutual-TLS channels to partner nodes, one per endpoint, reused.

    A requester certificate a partner has verified is sent to it by its
    SHA-256 only, after the first query (``node/known_certificates.py``).
    """

    def __init__(self, tls: TlsMaterial) -> None:
        """Present the broker's certificate on every channel."""
        self._tls = tls
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()
        #: Certificates each partner endpoint verified, by digest.
        self._known: set[tuple[str, bytes]] = set()

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
        deadline = time.monotonic() + timeout
        known = (endpoint, hashlib.sha256(requester_certificate).digest())
        with self._lock:
            by_digest = known in self._known
        request = node_pb2.PartnerRequest(
            query=signed_query_to_proto(signed),
            psi_request=psi_request,
            receipt=receipt_to_proto(receipt),
        )
        if by_digest:
            request.requester_certificate_sha256 = known[1]
        else:
            request.requester_certificate = requester_certificate
        reply = self._call_answer(endpoint, request, deadline)
        if reply.certificate_needed and by_digest:
            # The partner restarted or forgot it: send it once more in full.
            request.requester_certificate_sha256 = b""
            request.requester_certificate = requester_certificate
            reply = self._call_answer(endpoint, request, deadline)
        if reply.certificate_needed:
            raise PartnerUnavailable("the partner asked for a certificate it was sent")
        with self._lock:
            if len(self._known) >= MAX_KNOWN_CERTIFICATES:
                self._known.clear()
            self._known.add(known)
        return [answer_from_proto(a) for a in reply.answers]

    def _call_answer(
        self, endpoint: str, request: node_pb2.PartnerRequest, deadline: float
    ) -> node_pb2.PartnerReply:
        try:
            reply: node_pb2.PartnerReply = self._stub(endpoint).Answer(
                request, timeout=max(0.0, deadline - time.monotonic())
            )
        except grpc.RpcError as exc:
            if rpc_code(exc) == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise PartnerTimeout("no answer before the deadline") from None
            raise peer_error(exc, "the partner node", endpoint) from None
        return reply

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

    def deliver(self, endpoint: str, sealed: SealedMessage, *, timeout: float) -> SealedMessage:
        """Deliver a sealed follow-up message; return the recipient's sealed acknowledgement.

        Raises:
            PartnerTimeout: no answer before ``timeout``.
            LiaisonError: the recipient refused the message or could not be reached.
        """
        try:
            reply = self._stub(endpoint).DeliverFollowup(sealed_to_proto(sealed), timeout=timeout)
        except grpc.RpcError as exc:
            if rpc_code(exc) == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise PartnerTimeout("no answer before the deadline") from None
            raise peer_error(exc, "the partner node", endpoint) from None
        return sealed_from_proto(reply)

    def close(self) -> None:
        """Close every channel."""
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()
