"""The node's gRPC client of the broker (the production :class:`BrokerPort`)."""

from __future__ import annotations

import grpc

from liaison.core.answers import DatasetAnswer
from liaison.core.errors import LiaisonError
from liaison.core.query import SignedQuery
from liaison.core.versions import PartnerVersions
from liaison.crypto.certificates import TlsMaterial
from liaison.crypto.directory_entry import SignedEntry
from liaison.crypto.followup_seal import SealedMessage
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.chunks import join_filter_chunks
from liaison.wire.common_codec import (
    answer_from_proto,
    partner_versions_from_proto,
    sealed_from_proto,
    sealed_to_proto,
    signed_entry_from_proto,
    signed_entry_to_proto,
    signed_query_to_proto,
)
from liaison.wire.credentials import secure_channel
from liaison.wire.diagnosis import peer_error

#: Largest filter the node accepts from a partner, whatever the requester asks.
MAX_FILTER_BYTES = 64 * 1024 * 1024


class GrpcBroker:
    """Calls the broker over mutual TLS, every call with a deadline."""

    def __init__(self, target: str, tls: TlsMaterial, *, timeout: float) -> None:
        """Open a channel to the broker at ``target`` (``host:port``)."""
        self._target = target
        self._channel = secure_channel(target, tls)
        self._stub = broker_pb2_grpc.BrokerStub(self._channel)
        self._timeout = timeout

    def participants(self) -> list[str]:
        """Return the agency codes of the federation.

        Raises:
            LiaisonError: the call failed (status mapped back to an error).
        """
        try:
            reply = self._stub.Directory(broker_pb2.DirectoryRequest(), timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        return [p.agency for p in reply.participants]

    def directory_entries(self) -> dict[str, SignedEntry | None]:
        """Return each participant's signed entry as the broker serves it (None: none published).

        Raises:
            LiaisonError: the call failed.
        """
        try:
            reply = self._stub.Directory(broker_pb2.DirectoryRequest(), timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        return {
            p.agency: signed_entry_from_proto(p.entry) if p.HasField("entry") else None
            for p in reply.participants
        }

    def publish_entry(self, signed: SignedEntry) -> None:
        """Publish this node's signed directory entry.

        Raises:
            LiaisonError: refused, or the broker could not be reached.
        """
        try:
            self._stub.PublishEntry(signed_entry_to_proto(signed), timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None

    def relay(self, sealed: SealedMessage) -> SealedMessage:
        """Send a sealed follow-up message through the broker; return the sealed acknowledgement.

        Raises:
            LiaisonError: the broker or the recipient refused it, or it failed.
        """
        try:
            reply = self._stub.RelayFollowup(sealed_to_proto(sealed), timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        return sealed_from_proto(reply)

    def submit(self, signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        """Submit a signed query and return every partner dataset's answer.

        Raises:
            LiaisonError: the broker refused or could not be reached.
        """
        try:
            reply = self._stub.Submit(
                broker_pb2.SubmitRequest(
                    query=signed_query_to_proto(signed), psi_request=psi_request
                ),
                timeout=self._timeout,
            )
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        return [answer_from_proto(a) for a in reply.answers]

    def fetch_filter(
        self, signed: SignedQuery, agency: str, dataset: str, version: int, *, max_bytes: int
    ) -> bytes:
        """Stream one partner dataset's filter through the broker.

        The stream is cancelled once it passes ``max_bytes`` (or
        :data:`MAX_FILTER_BYTES`): no more than that is ever held.

        Raises:
            PsiError: the filter is larger than the bound, or corrupted.
            LiaisonError: refused or unreachable.
        """
        request = broker_pb2.FetchFilterRequest(
            query=signed_query_to_proto(signed),
            agency=agency,
            dataset=dataset,
            filter_version=version,
        )
        try:
            chunks = self._stub.FetchFilter(request, timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        try:
            return join_filter_chunks(chunks, max_bytes=min(max_bytes, MAX_FILTER_BYTES))
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        finally:
            chunks.cancel()

    def dataset_versions(self, agencies: list[str]) -> list[PartnerVersions]:
        """Return the dataset versions each partner shares with this node (a watch poll).

        Raises:
            LiaisonError: the broker refused or could not be reached.
        """
        request = broker_pb2.DatasetVersionsRequest(agencies=agencies)
        try:
            reply = self._stub.DatasetVersions(request, timeout=self._timeout)
        except grpc.RpcError as exc:
            raise self._error(exc) from None
        return [partner_versions_from_proto(p) for p in reply.partners]

    def _error(self, failed: grpc.RpcError) -> LiaisonError:
        # Name the process that was not reached (the node itself is up) and why.
        return peer_error(failed, "the broker", self._target)

    def close(self) -> None:
        """Close the channel."""
        self._channel.close()
