"""The broker's Audit service: tree heads, entries and proofs for auditors and nodes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import grpc

from liaison.broker.audit.log import AuditLog
from liaison.core import audit
from liaison.core.errors import InvalidInput
from liaison.crypto.certificates import Role
from liaison.v1 import broker_pb2, broker_pb2_grpc, common_pb2
from liaison.wire.common_codec import tree_head_to_proto
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors

#: Entries read from the store per batch while streaming.
BATCH = 1000


class AuditServicer(broker_pb2_grpc.AuditServicer):
    """Serves the audit log to certificates of role auditor or node."""

    def __init__(self, log: AuditLog, clock: Callable[[], datetime]) -> None:
        """Serve ``log``."""
        self._log = log
        self._clock = clock

    def GetTreeHead(  # noqa: N802 - name fixed by the generated base class
        self, request: broker_pb2.TreeHeadRequest, context: grpc.ServicerContext
    ) -> common_pb2.TreeHead:
        """Sign and return the current tree head."""
        with translate_errors(context, "GetTreeHead"):
            caller(context, Role.AUDITOR, Role.NODE)
            return tree_head_to_proto(self._log.tree_head())

    def GetEntries(  # noqa: N802
        self, request: broker_pb2.EntriesRequest, context: grpc.ServicerContext
    ) -> Iterator[broker_pb2.AuditEntry]:
        """Stream entries [start, end); the access itself is logged first."""
        with translate_errors(context, "GetEntries"):
            peer = caller(context, Role.AUDITOR, Role.NODE)
            size = self._log.size
            end = request.end or size
            if not request.start <= end <= size:
                raise InvalidInput(f"entries [{request.start}, {end}) outside the log of {size}")
            self._log.append(
                audit.log_access(
                    time=self._clock(),
                    accessor=peer.identity.name,
                    role=peer.identity.role.value,
                    action=f"entries {request.start}-{end}",
                )
            )
            for first in range(request.start, end, BATCH):
                for record in self._log.records(first, min(first + BATCH, end)):
                    yield broker_pb2.AuditEntry(
                        index=record.index,
                        header=record.header,
                        salt=record.salt or b"",
                        body=record.body or b"",
                    )

    def GetInclusionProof(  # noqa: N802
        self, request: broker_pb2.InclusionProofRequest, context: grpc.ServicerContext
    ) -> broker_pb2.Proof:
        """Return an inclusion proof."""
        with translate_errors(context, "GetInclusionProof"):
            caller(context, Role.AUDITOR, Role.NODE)
            hashes = self._log.inclusion_proof(request.index, request.tree_size)
            return broker_pb2.Proof(hashes=hashes)

    def GetConsistencyProof(  # noqa: N802
        self, request: broker_pb2.ConsistencyProofRequest, context: grpc.ServicerContext
    ) -> broker_pb2.Proof:
        """Return a consistency proof."""
        with translate_errors(context, "GetConsistencyProof"):
            caller(context, Role.AUDITOR, Role.NODE)
            hashes = self._log.consistency_proof(request.first, request.second)
            return broker_pb2.Proof(hashes=hashes)
