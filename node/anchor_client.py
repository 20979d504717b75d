"""The node's gRPC client of the broker's Audit service: anchoring its ledger head."""

from __future__ import annotations

import grpc

from liaison.crypto.certificates import TlsMaterial
from liaison.crypto.receipts import Receipt
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.common_codec import receipt_from_proto
from liaison.wire.credentials import secure_channel
from liaison.wire.diagnosis import peer_error


class GrpcAnchor:
    """Calls ``Audit/AnchorLedger`` over mutual TLS (the production ``AnchorPort``)."""

    def __init__(self, target: str, tls: TlsMaterial, *, timeout: float) -> None:
        """Open a channel to the broker at ``target`` (``host:port``)."""
        self._target = target
        self._channel = secure_channel(target, tls)
        self._stub = broker_pb2_grpc.AuditStub(self._channel)
        self._timeout = timeout

    def anchor_ledger(self, size: int, head_hash: bytes, signature: bytes) -> Receipt:
        """Send a signed ledger head; return the receipt of the broker's checkpoint entry.

        Raises:
            LiaisonError: refused or unreachable (the status mapped back to an
                error), or a malformed receipt (InvalidInput).
        """
        request = broker_pb2.AnchorLedgerRequest(
            size=size, head_hash=head_hash, signature=signature
        )
        try:
            reply = self._stub.AnchorLedger(request, timeout=self._timeout)
        except grpc.RpcError as exc:
            raise peer_error(exc, "the broker", self._target) from None
        return receipt_from_proto(reply)

    def close(self) -> None:
        """Close the channel."""
        self._channel.close()
