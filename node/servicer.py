"""The node's gRPC servicers: thin adapters over the responder and requester.

Decode, authorise (caller identity from the TLS session only), delegate,
encode. Errors become gRPC statuses through :class:`liaison.wire.status.translate_errors`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime

import grpc

from liaison.core.errors import NotFound, PartnerTimeout, QuotaExceeded
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
from liaison.node.datasets import Datasets
from liaison.node.ledger.chain import Ledger
from liaison.node.requester import Requester
from liaison.node.responder import Responder
from liaison.node.status import StatusReader
from liaison.node.users import User
from liaison.v1 import common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.bearer import principal
from liaison.wire.chunks import filter_chunks
from liaison.wire.common_codec import answer_to_proto, receipt_from_proto, signed_query_from_proto
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors

log = logging.getLogger(__name__)


class NodeFederationServicer(node_pb2_grpc.NodeFederationServicer):
    """The federation face, called only by the broker."""

    def __init__(self, agency: str, responder: Responder) -> None:
        """Serve ``responder`` to the broker."""
        self._agency = agency
        self._responder = responder

    def Answer(  # noqa: N802 - name fixed by the generated base class
        self, request: node_pb2.PartnerRequest, context: grpc.ServicerContext
    ) -> node_pb2.PartnerReply:
        """Answer a relayed PSI request."""
        with translate_errors(context, "Answer"), metrics.ANSWER_SECONDS.time():
            caller(context, Role.BROKER)
            deadline = _deadline(context)
            receipt = receipt_from_proto(request.receipt) if request.HasField("receipt") else None
            answers = self._responder.answer(
                signed_query_from_proto(request.query),
                request.requester_certificate,
                request.psi_request,
                receipt,
                deadline=deadline,
            )
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
        max_rows: int = DEFAULT_LOCAL_MAX_ROWS,
        status: StatusReader | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        """Serve the requester and the dataset list; the status and removals if given."""
        self._requester = requester
        self._datasets = datasets
        self._clock = clock
        self._max_rows = max_rows
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
            if len(request.identities) > self._max_rows:
                raise QuotaExceeded(f"a local match holds at most {self._max_rows} rows")
            asked = match_request_from_proto(request)
            justification = replace(asked.justification, investigator_id=user.name)
            with metrics.MATCH_SECONDS.time():
                result = self._requester.match(
                    replace(asked, justification=justification), now=self._clock()
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
