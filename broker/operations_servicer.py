"""The broker's ``BrokerOperations`` service: its status, for its operator and auditors.

Served on the broker's one mutual-TLS port. The broker's own certificate
(the operator runs ``liaison broker status --config broker.toml`` with the
files that config names) and auditors' certificates are admitted; nodes
are not, since the status lists every participant's reachability. No new
listener and no new credential: the operator already holds the broker's
certificate, and an auditor's is already trusted to read the whole log.
"""

from __future__ import annotations

import grpc

from liaison.broker.status import BrokerStatus, BrokerStatusReader
from liaison.crypto.certificates import Role
from liaison.crypto.envelope import epoch_ms
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors


class BrokerOperationsServicer(broker_pb2_grpc.BrokerOperationsServicer):
    """Answers ``Status`` from a :class:`BrokerStatusReader`."""

    def __init__(self, reader: BrokerStatusReader) -> None:
        """Serve ``reader``'s status."""
        self._reader = reader

    def Status(  # noqa: N802 - name fixed by the generated base class
        self, request: broker_pb2.BrokerStatusRequest, context: grpc.ServicerContext
    ) -> broker_pb2.BrokerStatusReply:
        """Return the broker's state, every participant probed now."""
        with translate_errors(context, "Status"):
            caller(context, Role.BROKER, Role.AUDITOR)
            return broker_status_to_proto(self._reader.status())


def broker_status_to_proto(status: BrokerStatus) -> broker_pb2.BrokerStatusReply:
    """Encode what ``liaison broker status`` shows."""
    return broker_pb2.BrokerStatusReply(
        federation=status.federation,
        version=status.version,
        serving=not status.problems,
        problems=list(status.problems),
        participants=[
            broker_pb2.ParticipantStatus(agency=p.agency, endpoint=p.endpoint, health=p.health)
            for p in status.participants
        ],
        purposes=list(status.purposes),
        audit_entries=status.audit_entries,
        audit_root=status.audit_root,
        started_at_ms=epoch_ms(status.started_at),
        checked_at_ms=0 if status.checked_at is None else epoch_ms(status.checked_at),
    )
