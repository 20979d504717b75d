"""The broker's Audit service: tree heads, entries, proofs and ledger anchors.

Thin: it authenticates the caller from its TLS certificate, delegates to
:class:`~liaison.broker.audit.access.AuditAccess` (admission, scoped reads,
checkpoints) or the log, and encodes.
"""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from liaison.broker.audit.access import AuditAccess
from liaison.broker.audit.log import AuditLog
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.certificates import Role
from liaison.v1 import broker_pb2, broker_pb2_grpc, common_pb2
from liaison.wire.common_codec import receipt_to_proto, tree_head_to_proto
from liaison.wire.credentials import Caller, caller
from liaison.wire.status import translate_errors


class AuditServicer(broker_pb2_grpc.AuditServicer):
    """Serves the audit log to certificates of role auditor or node."""

    def __init__(self, log: AuditLog, access: AuditAccess) -> None:
        """Serve ``log``, reads and anchors decided by ``access``."""
        self._log = log
        self._access = access

    def _reader(self, context: grpc.ServicerContext) -> Caller:
        peer = caller(context, Role.AUDITOR, Role.NODE)
        self._access.admit(peer.identity)
        return peer

    def GetTreeHead(  # noqa: N802 - name fixed by the generated base class
        self, request: broker_pb2.TreeHeadRequest, context: grpc.ServicerContext
    ) -> common_pb2.TreeHead:
        """Sign and return the current tree head."""
        with translate_errors(context, "GetTreeHead"):
            self._reader(context)
            return tree_head_to_proto(self._log.tree_head())

    def GetEntries(  # noqa: N802
        self, request: broker_pb2.EntriesRequest, context: grpc.ServicerContext
    ) -> Iterator[broker_pb2.AuditEntry]:
        """Stream entries [start, end), withheld ones as leaf hashes; the read is logged first."""
        with translate_errors(context, "GetEntries"):
            peer = caller(context, Role.AUDITOR, Role.NODE)
            for record, visible in self._access.entries(peer.identity, request.start, request.end):
                yield _entry_to_proto(record, visible=visible)

    def GetInclusionProof(  # noqa: N802
        self, request: broker_pb2.InclusionProofRequest, context: grpc.ServicerContext
    ) -> broker_pb2.Proof:
        """Return an inclusion proof."""
        with translate_errors(context, "GetInclusionProof"):
            self._reader(context)
            hashes = self._log.inclusion_proof(request.index, request.tree_size)
            return broker_pb2.Proof(hashes=hashes)

    def GetConsistencyProof(  # noqa: N802
        self, request: broker_pb2.ConsistencyProofRequest, context: grpc.ServicerContext
    ) -> broker_pb2.Proof:
        """Return a consistency proof."""
        with translate_errors(context, "GetConsistencyProof"):
            self._reader(context)
            hashes = self._log.consistency_proof(request.first, request.second)
            return broker_pb2.Proof(hashes=hashes)

    def AnchorLedger(  # noqa: N802
        self, request: broker_pb2.AnchorLedgerRequest, context: grpc.ServicerContext
    ) -> common_pb2.AuditReceipt:
        """Log the caller's signed ledger head; return the entry's receipt."""
        with translate_errors(context, "AnchorLedger"):
            peer = caller(context, Role.NODE)
            receipt = self._access.anchor(
                peer.identity,
                peer.certificate_der,
                request.size,
                request.head_hash,
                request.signature,
            )
            return receipt_to_proto(receipt)


def _entry_to_proto(record: AuditRecord, *, visible: bool) -> broker_pb2.AuditEntry:
    if not visible:
        return broker_pb2.AuditEntry(index=record.index, leaf_hash=record.leaf_hash)
    return broker_pb2.AuditEntry(
        index=record.index, header=record.header, salt=record.salt or b"", body=record.body or b""
    )
