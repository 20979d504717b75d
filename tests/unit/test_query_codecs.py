"""Proto <-> domain conversions at the edge round-trip exactly."""

from __future__ import annotations

from liaison.core.query import SignedQuery
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import SignedTreeHead
from liaison.wire.common_codec import (
    receipt_from_proto,
    receipt_to_proto,
    signed_query_from_proto,
    signed_query_to_proto,
)

SIGNED = SignedQuery(envelope=b"\x0a\x20" + bytes(range(32)), signature=b"\x30\x45sig")
RECEIPT = Receipt(
    entry_index=7,
    header=b"header",
    salt=b"salt",
    body=b"body",
    tree_head=SignedTreeHead(size=8, root=bytes(32), timestamp_ms=1, signature=bytes(64)),
    inclusion_proof=(b"a" * 32, b"b" * 32),
)


def test_signed_query_round_trips_byte_for_byte() -> None:
    message = signed_query_to_proto(SIGNED)
    assert (message.envelope, message.signature) == (SIGNED.envelope, SIGNED.signature)
    assert signed_query_from_proto(message) == SIGNED


def test_receipt_round_trips() -> None:
    assert receipt_from_proto(receipt_to_proto(RECEIPT)) == RECEIPT
