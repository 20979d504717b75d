"""The node's gRPC servicers: thin adapters over the responder and requester.

Decode, authorise (caller identity from the TLS session only), delegate,
encode. Errors become gRPC statuses through :class:`liaison.wire.status.translate_errors`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import grpc

from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import InvalidInput, NotFound, PartnerTimeout
from liaison.core.logs import event
from liaison.crypto.certificates import Role
from liaison.node import metrics
from liaison.node.codec import (
    dataset_info_to_proto,
    match_request_from_proto,
    match_result_to_proto,
    node_status_to_proto,
)
from liaison.node.config import DEFAULT_LOCAL_MAX_ROWS
from liaison.node.dataset_versions import VersionSource
from liaison.node.datasets import Datasets
from liaison.node.followup_servicer import FollowupMethods
from liaison.node.followups import Followups
from liaison.node.known_certificates import KnownCertificates
from liaison.node.ledger.chain import Ledger
from liaison.node.local_actions import add_watch_as, check_rows, match_as
from liaison.node.notices import Inbox
from liaison.node.partner_directory import PartnerDirectory
from liaison.node.requester import Requester
from liaison.node.responder import Responder
from liaison.node.status import StatusReader
from liaison.node.users import User
from liaison.node.watch_codec import (
    notice_to_proto,
    watch_hit_to_proto,
    watch_request_from_proto,
    watch_to_proto,
)
from liaison.node.watcher import Watcher
from liaison.v1 import common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.bearer import principal
from liaison.wire.chunks import filter_chunks
from liaison.wire.common_codec import (
    answer_to_proto,
    partner_versions_to_proto,
    receipt_from_proto,
    sealed_from_proto,
    sealed_to_proto,
    signed_query_from_proto,
)
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors

log = logging.getLogger(__name__)


class NodeFederationServicer(node_pb2_grpc.NodeFederationServicer):
    """The federation face, called only by the broker."""

    def __init__(
        self,
        agency: str,
        responder: Responder,
        followups: Followups,
        versions: VersionSource | None = None,
    ) -> None:
        """Serve ``responder``, the delivery of ``followups`` and ``versions`` (watch polls)."""
        self._agency = agency
        self._responder = responder
        self._followups = followups
        self._versions = versions
        self._certificates = KnownCertificates()

    def Answer(  # noqa: N802 - name fixed by the generated base class
        self, request: node_pb2.PartnerRequest, context: grpc.ServicerContext
    ) -> node_pb2.PartnerReply:
        """Answer a relayed PSI request."""
        with translate_errors(context, "Answer"), metrics.ANSWER_SECONDS.time():
            caller(context, Role.BROKER)
            deadline = _deadline(context)
            receipt = receipt_from_proto(request.receipt) if request.HasField("receipt") else None
            certificate = request.requester_certificate
            if not certificate and request.requester_certificate_sha256:
                known = self._certificates.get(request.requester_certificate_sha256)
                if known is None:
                    return node_pb2.PartnerReply(certificate_needed=True)
                certificate = known
            answers = self._responder.answer(
                signed_query_from_proto(request.query),
                certificate,
                request.psi_request,
                receipt,
                deadline=deadline,
            )
            # Verified (answer raises otherwise): the broker may name it by digest next time.
            self._certificates.add(certificate)
            return node_pb2.PartnerReply(answers=[answer_to_proto(a) for a in answers])

    def GetFilter(  # noqa: N802
        self, request: node_pb2.FilterRequest, context: grpc.ServicerContext
    ) -> Iterator[common_pb2.FilterChunk]:
        """Stream a dataset filter for a live query."""
        with translate_errors(context, "GetFilter"):
            caller(context, Role.BROKER)
            setup = self._responder.filter_for(
                signed_query_from_proto(request.query),
                request.requester_certificate,
                request.dataset,
                request.filter_version,
            )
            yield from filter_chunks(self._agency, request.dataset, request.filter_version, setup)

    def DatasetVersions(  # noqa: N802
        self, request: node_pb2.NodeVersionsRequest, context: grpc.ServicerContext
    ) -> common_pb2.PartnerVersions:
        """Tell a requester's watches which shared datasets changed (versions only)."""
        with translate_errors(context, "DatasetVersions"):
            caller(context, Role.BROKER)
            if self._versions is None:
                raise NotFound("this node does not answer version polls")
            if not NAME_PATTERN.fullmatch(request.requesting_agency):
                raise InvalidInput("requesting_agency must be an agency code")
            return partner_versions_to_proto(self._versions.for_partner(request.requesting_agency))

    def DeliverFollowup(  # noqa: N802
        self, request: common_pb2.FollowupEnvelope, context: grpc.ServicerContext
    ) -> common_pb2.FollowupEnvelope:
        """Take a sealed follow-up message; return the sealed acknowledgement."""
        with translate_errors(context, "DeliverFollowup"):
            caller(context, Role.BROKER)
            return sealed_to_proto(self._followups.deliver(sealed_from_proto(request)))


def _deadline(context: grpc.ServicerContext) -> float | None:
    """Return the call's deadline on :func:`time.monotonic`, or None without one.

    Raises:
        PartnerTimeout: it has passed already.
    """
    # None without a deadline, though the stubs say float.
    remaining: float | None = context.time_remaining()
    if remaining is None:
        return None
    if remaining <= 0:
        raise PartnerTimeout("the deadline passed before the call was served")
    return time.monotonic() + remaining


class NodeLocalServicer(node_pb2_grpc.NodeLocalServicer):
    """The local face, bound to loopback, for the agency's own users.

    Served behind :class:`liaison.wire.bearer.AdmitInterceptor`: every call
    arrives authenticated and authorised for its role, and the handler reads
    the user with :func:`liaison.wire.bearer.principal`.
    """

    def __init__(
        self,
        requester: Requester,
        datasets: Datasets,
        clock: Callable[[], datetime],
        *,
        followups: Followups,
        directory: PartnerDirectory,
        max_rows: int = DEFAULT_LOCAL_MAX_ROWS,
        watcher: Watcher | None = None,
        inbox: Inbox | None = None,
        status: StatusReader | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        """Serve the requester, datasets, watches, inbox, directory, follow-ups, status."""
        self._requester = requester
        self._datasets = datasets
        self._clock = clock
        self._max_rows = max_rows
        self._watcher = watcher
        self._inbox = inbox
        self.followups = FollowupMethods(followups, directory, clock)
        self._status = status
        self._ledger = ledger

    def Match(  # noqa: N802
        self, request: node_pb2.LocalMatchRequest, context: grpc.ServicerContext
    ) -> node_pb2.LocalMatchReply:
        """Run a federated match as the authenticated user.

        The envelope's investigator is that user's name: the request's
        ``investigator_id`` is ignored.
        """
        with translate_errors(context, "Match"):
            user = principal(User)
            # Bounded before decoding: the rows are not parsed past the limit.
            check_rows(len(request.identities), self._max_rows)
            with metrics.MATCH_SECONDS.time():
                result = match_as(
                    user,
                    match_request_from_proto(request),
                    self._requester,
                    self.followups.followups,
                    self.followups.directory,
                    max_rows=self._max_rows,
                    now=self._clock(),
                )
            return match_result_to_proto(result)

    def ListDatasets(  # noqa: N802
        self, request: node_pb2.ListDatasetsRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListDatasetsReply:
        """List this node's datasets."""
        with translate_errors(context, "ListDatasets"):
            principal(User)
            infos = self._datasets.list()
            epochs = [self._datasets.key_epochs(i.name)[-1] for i in infos]
            return node_pb2.ListDatasetsReply(
                datasets=[dataset_info_to_proto(i, e) for i, e in zip(infos, epochs, strict=True)]
            )

    def AddWatch(  # noqa: N802
        self, request: node_pb2.AddWatchRequest, context: grpc.ServicerContext
    ) -> node_pb2.WatchReply:
        """Register a standing watch owned by the authenticated investigator; run it once."""
        with translate_errors(context, "AddWatch"):
            user = principal(User)
            check_rows(len(request.identities), self._max_rows, "a watch")
            asked = watch_request_from_proto(request, user.name)
            watch, hits = add_watch_as(
                user,
                asked.justification,
                asked.records,
                self._watches(),
                partners=asked.partners,
                until=asked.until,
                max_rows=self._max_rows,
            )
            return node_pb2.WatchReply(
                watch=watch_to_proto(watch), hits=[watch_hit_to_proto(h) for h in hits]
            )

    def ListWatches(  # noqa: N802
        self, request: node_pb2.ListWatchesRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListWatchesReply:
        """List the caller's watches (every watch for an operator or auditor)."""
        with translate_errors(context, "ListWatches"):
            watches = self._watches().visible(principal(User))
            return node_pb2.ListWatchesReply(watches=[watch_to_proto(w) for w in watches])

    def ShowWatch(  # noqa: N802
        self, request: node_pb2.WatchIdRequest, context: grpc.ServicerContext
    ) -> node_pb2.WatchReply:
        """Show one watch and the hits it reported."""
        with translate_errors(context, "ShowWatch"):
            watch, hits = self._watches().show(principal(User), request.watch_id)
            return node_pb2.WatchReply(
                watch=watch_to_proto(watch), hits=[watch_hit_to_proto(h) for h in hits]
            )

    def RemoveWatch(  # noqa: N802
        self, request: node_pb2.WatchIdRequest, context: grpc.ServicerContext
    ) -> node_pb2.WatchReply:
        """End a watch (its owner or an operator)."""
        with translate_errors(context, "RemoveWatch"):
            watch = self._watches().remove(principal(User), request.watch_id)
            return node_pb2.WatchReply(watch=watch_to_proto(watch))

    def ListNotices(  # noqa: N802
        self, request: node_pb2.ListNoticesRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListNoticesReply:
        """The caller's notices, newest first; listing marks them read."""
        with translate_errors(context, "ListNotices"):
            user = principal(User)
            if self._inbox is None:
                raise NotFound("this node keeps no notices")
            notices = self._inbox.read(user.name, unread_only=request.unread_only)
            return node_pb2.ListNoticesReply(notices=[notice_to_proto(n) for n in notices])

    def _watches(self) -> Watcher:
        if self._watcher is None:
            raise NotFound("this node runs no watches")
        return self._watcher

    def ListDirectory(  # noqa: N802
        self, request: node_pb2.ListDirectoryRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListDirectoryReply:
        """The federation's verified directory entries."""
        with translate_errors(context, "ListDirectory"):
            principal(User)
            return self.followups.list_directory(request.agency)

    def RequestFollowup(  # noqa: N802
        self, request: node_pb2.RequestFollowupRequest, context: grpc.ServicerContext
    ) -> node_pb2.FollowupView:
        """Ask a partner about one hit row, as the authenticated investigator."""
        with translate_errors(context, "RequestFollowup"):
            return self.followups.request(principal(User).name, request)

    def ListFollowups(  # noqa: N802
        self, request: node_pb2.ListFollowupsRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListFollowupsReply:
        """The inbox (officer) or the sent box (investigator)."""
        with translate_errors(context, "ListFollowups"):
            return self.followups.box(principal(User), request.box)

    def ShowFollowup(  # noqa: N802
        self, request: node_pb2.ShowFollowupRequest, context: grpc.ServicerContext
    ) -> node_pb2.FollowupView:
        """One follow-up (with the matched records on the data owner's side)."""
        with translate_errors(context, "ShowFollowup"):
            return self.followups.show(principal(User), request.id)

    def AnswerFollowup(  # noqa: N802
        self, request: node_pb2.AnswerFollowupRequest, context: grpc.ServicerContext
    ) -> node_pb2.FollowupView:
        """Approve or refuse a received follow-up, as the authenticated officer."""
        with translate_errors(context, "AnswerFollowup"):
            return self.followups.answer(principal(User).name, request)

    def ListHitNotices(  # noqa: N802
        self, request: node_pb2.ListHitNoticesRequest, context: grpc.ServicerContext
    ) -> node_pb2.ListHitNoticesReply:
        """Hit notices received from requesters."""
        with translate_errors(context, "ListHitNotices"):
            principal(User)
            return self.followups.notices()

    def Status(  # noqa: N802
        self, request: node_pb2.NodeStatusRequest, context: grpc.ServicerContext
    ) -> node_pb2.NodeStatusReply:
        """Return the node's state (health, datasets, agreements, ledger head)."""
        with translate_errors(context, "Status"):
            principal(User)
            if self._status is None:
                raise NotFound("this node serves no status")
            return node_status_to_proto(self._status.status())

    def RemoveDataset(  # noqa: N802
        self, request: node_pb2.RemoveDatasetRequest, context: grpc.ServicerContext
    ) -> node_pb2.RemoveDatasetReply:
        """Remove a dataset (it stops matching at once) and record who did in the ledger."""
        with translate_errors(context, "RemoveDataset"):
            user = principal(User)
            if self._ledger is None:
                raise NotFound("this node removes no dataset here")
            records = self._datasets.remove(request.name)
            self._ledger.record_operator(
                action="dataset removed",
                operator=user.name,
                subject=request.name,
                outcome=f"{records} records removed",
            )
            log.warning(
                "dataset %s removed by %s",
                request.name,
                user.name,
                extra=event("dataset_removed", dataset=request.name, operator=user.name,
                            records=records),
            )  # fmt: skip
            return node_pb2.RemoveDatasetReply(name=request.name, records=records)
