"""The auditor's side: configuration and the gRPC client of the broker's log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import tomli_w

from liaison.core.config_file import TlsPaths, load_toml, reject_unknown, section
from liaison.core.errors import PermissionDenied
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.certificates import load_tls_material
from liaison.crypto.merkle import leaf_hash
from liaison.crypto.tree_head import SignedTreeHead
from liaison.v1 import broker_pb2, broker_pb2_grpc
from liaison.wire.common_codec import tree_head_from_proto
from liaison.wire.credentials import secure_channel
from liaison.wire.diagnosis import peer_error


@dataclass(frozen=True, slots=True)
class AuditorConfig:
    """Where the broker is, how to prove who we are, and where our memory lives."""

    path: Path
    broker: str
    broker_audit_key: Path
    state: Path
    tls: TlsPaths
    timeout_s: float = 60.0


def load_auditor_config(path: Path) -> AuditorConfig:
    """Read and validate an auditor configuration file.

    Raises:
        ConfigError: missing, malformed or inconsistent; names file and key.
    """
    document = load_toml(path)
    auditor = section(path, document, "auditor")
    tls = section(path, document, "tls")
    config = AuditorConfig(
        path=path.resolve(),
        broker=auditor.address("broker"),
        broker_audit_key=auditor.file("broker_audit_key"),
        state=auditor.file("state", "auditor-state"),
        tls=TlsPaths(ca=tls.file("ca"), cert=tls.file("cert"), key=tls.file("key")),
        timeout_s=auditor.number("timeout_s", 60.0, minimum=1),
    )
    reject_unknown(path, document, (auditor, tls))
    return config


def render_auditor_config(
    *, broker: str, broker_audit_key: str, ca: str, cert: str, key: str
) -> str:
    """Return the TOML text of a new auditor configuration."""
    document: dict[str, Any] = {
        "auditor": {
            "broker": broker,
            "broker_audit_key": broker_audit_key,
            "state": "auditor-state",
        },
        "tls": {"ca": ca, "cert": cert, "key": key},
    }
    return tomli_w.dumps(document)


class GrpcLogSource:
    """Reads the broker's Audit service over mutual TLS."""

    def __init__(self, config: AuditorConfig) -> None:
        """Open a channel with the auditor's certificate."""
        tls = load_tls_material(config.tls.cert, config.tls.key, config.tls.ca)
        self._target = config.broker
        self._channel = secure_channel(config.broker, tls)
        self._stub = broker_pb2_grpc.AuditStub(self._channel)
        self._timeout = config.timeout_s

    def tree_head(self) -> SignedTreeHead:
        """Return the broker's current signed tree head.

        Raises:
            LiaisonError: the call failed.
        """
        try:
            reply = self._stub.GetTreeHead(broker_pb2.TreeHeadRequest(), timeout=self._timeout)
        except grpc.RpcError as exc:
            raise peer_error(exc, "the broker", self._target) from None
        return tree_head_from_proto(reply)

    def records(self, start: int, end: int) -> list[AuditRecord]:
        """Return entries [start, end); leaf hashes are recomputed here, never trusted.

        Raises:
            PermissionDenied: the broker withheld entries (the certificate is
                not an auditor's).
            LiaisonError: the call failed.
        """
        request = broker_pb2.EntriesRequest(start=start, end=end)
        try:
            return [
                _record(entry) for entry in self._stub.GetEntries(request, timeout=self._timeout)
            ]
        except grpc.RpcError as exc:
            raise peer_error(exc, "the broker", self._target) from None

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """Return the broker's consistency proof between two sizes.

        Raises:
            LiaisonError: the call failed.
        """
        request = broker_pb2.ConsistencyProofRequest(first=first, second=second)
        try:
            reply = self._stub.GetConsistencyProof(request, timeout=self._timeout)
        except grpc.RpcError as exc:
            raise peer_error(exc, "the broker", self._target) from None
        return list(reply.hashes)

    def close(self) -> None:
        """Close the channel."""
        self._channel.close()


def _record(entry: broker_pb2.AuditEntry) -> AuditRecord:
    if not entry.header:
        raise PermissionDenied("the broker withheld entries: read the log as an auditor")
    return AuditRecord(
        index=entry.index,
        header=entry.header,
        leaf_hash=leaf_hash(entry.header),
        salt=entry.salt or None,
        body=entry.body or None,
    )
