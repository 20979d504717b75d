"""Proto <-> domain conversion for the broker's own types (pure functions)."""

from __future__ import annotations

from liaison.broker.coordinator import SubmissionReceipt
from liaison.v1 import common_pb2
from liaison.wire.common_codec import tree_head_from_proto, tree_head_to_proto


def receipt_to_proto(receipt: SubmissionReceipt) -> common_pb2.AuditReceipt:
    """Encode the audit receipt relayed to a partner with a query."""
    return common_pb2.AuditReceipt(
        entry_index=receipt.entry_index,
        header=receipt.header,
        salt=receipt.salt,
        body=receipt.body,
        tree_head=tree_head_to_proto(receipt.tree_head),
        inclusion_proof=receipt.inclusion_proof,
    )


def receipt_from_proto(message: common_pb2.AuditReceipt) -> SubmissionReceipt:
    """Decode an audit receipt (as a partner receives it; it verifies it itself)."""
    return SubmissionReceipt(
        entry_index=message.entry_index,
        header=message.header,
        salt=message.salt,
        body=message.body,
        tree_head=tree_head_from_proto(message.tree_head),
        inclusion_proof=tuple(message.inclusion_proof),
    )
