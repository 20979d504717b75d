"""The broker's gRPC servicer: a thin adapter over the coordinator."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from liaison.broker.coordinator import Coordinator
from liaison.broker.relay import DirectoryEntries, FollowupRelay
from liaison.broker.versions import VersionRelay
from liaison.core.errors import ConfigError, NotFound
from liaison.crypto.certificates import Role
from liaison.v1 import broker_pb2, broker_pb2_grpc, common_pb2
from liaison.wire.common_codec import (
    answer_to_proto,
    partner_versions_to_proto,
    sealed_from_proto,
    sealed_to_proto,
    signed_entry_from_proto,
    signed_entry_to_proto,
    signed_query_from_proto,
)
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors


class BrokerServicer(broker_pb2_grpc.BrokerServicer):
    """Serves nodes (certificate role "node") of the federation."""

    def __init__(
        self,
        federation: str,
        coordinator: Coordinator[common_pb2.FilterChunk],
        entries: DirectoryEntries | None = None,
        relay: FollowupRelay | None = None,
        versions: VersionRelay | None = None,
    ) -> None:
        """Serve ``coordinator``, directory ``entries``, the follow-up ``relay``, ``versions``.

        Without ``entries`` or ``relay`` (tests of the match flow alone), the
        directory lists no entry and publishing or relaying is refused;
        without ``versions`` (the watch polls) a poll is refused.
        """
        self._federation = federation
        self._coordinator = coordinator
        self._entries = entries
        self._relay = relay
        self._versions = versions

    def Submit(  # noqa: N802 - name fixed by the generated base class
        self, request: broker_pb2.SubmitRequest, context: grpc.ServicerContext
    ) -> broker_pb2.SubmitReply:
        """Verify, check and fan out a signed query."""
        with translate_errors(context, "Submit"):
            peer = caller(context, Role.NODE)
            query_id, answers = self._coordinator.submit(
                peer.certificate_der, signed_query_from_proto(request.query), request.psi_request
            )
            return broker_pb2.SubmitReply(
                query_id=query_id, answers=[answer_to_proto(a) for a in answers]
            )

    def FetchFilter(  # noqa: N802
        self, request: broker_pb2.FetchFilterRequest, context: grpc.ServicerContext
    ) -> Iterator[common_pb2.FilterChunk]:
        """Relay a partner's filter, chunk by chunk."""
        with translate_errors(context, "FetchFilter"):
            peer = caller(context, Role.NODE)
            chunks = self._coordinator.fetch_filter(
                peer.certificate_der,
                signed_query_from_proto(request.query),
                request.agency,
                request.dataset,
                request.filter_version,
            )
            yield from chunks

    def Directory(  # noqa: N802
        self, request: broker_pb2.DirectoryRequest, context: grpc.ServicerContext
    ) -> broker_pb2.DirectoryReply:
        """List the participants."""
        with translate_errors(context, "Directory"):
            caller(context, Role.NODE, Role.AUDITOR)
            entries = {} if self._entries is None else self._entries.entries()
            participants = []
            for agency in self._coordinator.participants():
                participant = broker_pb2.Participant(agency=agency)
                if agency in entries:
                    participant.entry.CopyFrom(signed_entry_to_proto(entries[agency]))
                participants.append(participant)
            return broker_pb2.DirectoryReply(federation=self._federation, participants=participants)

    def PublishEntry(  # noqa: N802
        self, request: common_pb2.SignedDirectoryEntry, context: grpc.ServicerContext
    ) -> broker_pb2.PublishEntryReply:
        """Store the caller's signed directory entry."""
        with translate_errors(context, "PublishEntry"):
            peer = caller(context, Role.NODE)
            if self._entries is None:
                raise ConfigError("this broker keeps no directory entries")
            self._entries.publish(
                peer.identity.name, peer.certificate_der, signed_entry_from_proto(request)
            )
            return broker_pb2.PublishEntryReply()

    def RelayFollowup(  # noqa: N802
        self, request: common_pb2.FollowupEnvelope, context: grpc.ServicerContext
    ) -> common_pb2.FollowupEnvelope:
        """Relay a sealed follow-up message; return the recipient's acknowledgement."""
        with translate_errors(context, "RelayFollowup"):
            peer = caller(context, Role.NODE)
            if self._relay is None:
                raise ConfigError("this broker relays no follow-ups")
            ack = self._relay.relay(peer.identity.name, sealed_from_proto(request))
            return sealed_to_proto(ack)

    def DatasetVersions(  # noqa: N802
        self, request: broker_pb2.DatasetVersionsRequest, context: grpc.ServicerContext
    ) -> broker_pb2.DatasetVersionsReply:
        """Ask the named partners for the dataset versions they share with the caller."""
        with translate_errors(context, "DatasetVersions"):
            peer = caller(context, Role.NODE)
            if self._versions is None:
                raise NotFound("this broker does not relay version polls")
            polled = self._versions.poll(peer.identity.name, list(request.agencies))
            return broker_pb2.DatasetVersionsReply(
                partners=[partner_versions_to_proto(p) for p in polled]
            )
