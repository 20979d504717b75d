"""A real federation in the test process: broker and nodes on loopback ports.

Servers are built with the production ``build_broker``/``build_node`` on free
127.0.0.1 ports, with mutual TLS under a throwaway CA from our own PKI, each
node on its own database (SQLite file or PostgreSQL schema).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc

from liaison.auditing.auditor import render_auditor_config
from liaison.broker.config import BrokerConfig, load_broker_config, render_broker_config
from liaison.broker.server import BrokerServer, build_broker
from liaison.core.records import Record
from liaison.crypto.certificates import load_private_key
from liaison.crypto.envelope import epoch_ms, new_query_id, payload_digest, sign_envelope
from liaison.crypto.keystore import create_master_key
from liaison.crypto.tree_head import generate_audit_key
from liaison.node.config import NodeConfig, load_node_config, render_node_config
from liaison.node.server import NodeServers, build_node, open_datasets
from liaison.node.store import ImportSummary
from liaison.tools.demo import free_ports
from liaison.v1 import broker_pb2_grpc, common_pb2, node_pb2_grpc
from liaison.wire.rpc import channel_options, secure_channel
from tests.pki_support import Federation, make_federation


@dataclass
class RunningFederation:
    """Handles on a running test federation."""

    base: Path
    pki: Federation
    broker_config: BrokerConfig
    node_configs: dict[str, NodeConfig]
    broker: BrokerServer | None = None
    nodes: dict[str, NodeServers] = field(default_factory=dict)
    _channels: list[grpc.Channel] = field(default_factory=list)

    @property
    def broker_address(self) -> str:
        """The broker's host:port."""
        return self.broker_config.listen

    def local(self, agency: str) -> node_pb2_grpc.NodeLocalStub:
        """A stub of an agency's local face (loopback, plain)."""
        channel = grpc.insecure_channel(
            self.node_configs[agency].local_listen, options=channel_options()
        )
        self._channels.append(channel)
        return node_pb2_grpc.NodeLocalStub(channel)

    def broker_stub(self, name: str, role_files: str = "node") -> broker_pb2_grpc.BrokerStub:
        """A stub of the broker, presenting the certificate of ``name``."""
        files = self.pki.auditor if role_files == "auditor" else self.pki.nodes[name]
        channel = secure_channel(self.broker_address, self.pki.tls(files))
        self._channels.append(channel)
        return broker_pb2_grpc.BrokerStub(channel)

    def import_rows(
        self, agency: str, dataset: str, rows: Iterable[Record], *, replace: bool = False
    ) -> ImportSummary:
        """Import rows at a node, as ``liaison node import`` does."""
        store, datasets = open_datasets(self.node_configs[agency])
        try:
            return datasets.import_identities(dataset, list(rows), replace=replace)
        finally:
            store.close()

    def signed_query(
        self,
        agency: str,
        targets: Sequence[str],
        psi_request: bytes,
        *,
        key_count: int,
        claimed_agency: str | None = None,
        case_id: str = "CASE-1",
    ) -> common_pb2.SignedQuery:
        """A query envelope signed with ``agency``'s node key."""
        now = datetime.now(UTC)
        envelope = common_pb2.QueryEnvelope(
            query_id=new_query_id(),
            requesting_agency=claimed_agency or agency,
            investigator_id="tester",
            case_id=case_id,
            purpose="counter-terrorism",
            legal_basis="test",
            targets=[common_pb2.Target(agency=t) for t in targets],
            key_count=key_count,
            payload_digest=payload_digest(psi_request),
            issued_at_ms=epoch_ms(now),
            expires_at_ms=epoch_ms(now + timedelta(minutes=5)),
            key_spec="1",
            mode=common_pb2.MATCH_MODE_REVEAL,
        )
        return sign_envelope(envelope, load_private_key(self.pki.nodes[agency].private_key))

    def restart_broker(self) -> None:
        """Stop the broker and start it again on the same port (it re-reads its log)."""
        if self.broker is not None:
            self.broker.stop(0)
        self.broker = build_broker(self.broker_config)
        self.broker.start()

    def auditor_config(self, name: str = "auditor") -> Path:
        """Write an auditor.toml for the test auditor certificate; return its path."""
        folder = self.base / f"auditor-{name}"
        folder.mkdir(exist_ok=True)
        path = folder / "auditor.toml"
        path.write_text(
            render_auditor_config(
                broker=self.broker_address,
                broker_audit_key=str(self.base / "audit.pub"),
                ca=str(self.pki.ca_certificate),
                cert=str(self.pki.auditor.certificate),
                key=str(self.pki.auditor.private_key),
            )
        )
        return path

    def start_node(self, agency: str) -> None:
        """Build and start one node."""
        self.nodes[agency] = build_node(self.node_configs[agency])
        self.nodes[agency].start()

    def stop(self) -> None:
        """Stop every server at once (grace 0) and close test channels."""
        for channel in self._channels:
            channel.close()
        for servers in self.nodes.values():
            servers.stop(0)
        if self.broker is not None:
            self.broker.stop(0)


def start_federation(
    base: Path,
    database_urls: Mapping[str, str],
    *,
    agencies: Sequence[str] = ("FR", "NL", "TR"),
    down: Sequence[str] = (),
    partner_timeout: float = 5.0,
    broker_database: str | None = None,
    external_broker: bool = False,
) -> RunningFederation:
    """Write configs, then build and start a broker and every node not in ``down``.

    With ``external_broker`` the broker is not started here: the test runs
    ``liaison broker serve`` itself (to kill it with SIGKILL, say).
    """
    pki = make_federation(base / "pki", agencies=agencies, now=datetime.now(UTC))
    base.mkdir(parents=True, exist_ok=True)
    generate_audit_key(base / "audit.key", base / "audit.pub")
    ports = free_ports(1 + 2 * len(agencies))
    broker_listen = f"127.0.0.1:{ports[0]}"
    node_configs: dict[str, NodeConfig] = {}
    for index, agency in enumerate(agencies):
        folder = base / agency
        folder.mkdir(parents=True)
        path = folder / "node.toml"
        path.write_text(
            render_node_config(
                agency=agency,
                federation_listen=f"127.0.0.1:{ports[1 + index]}",
                local_listen=f"127.0.0.1:{ports[1 + len(agencies) + index]}",
                broker=broker_listen,
                ca=str(pki.ca_certificate),
                cert=str(pki.nodes[agency].certificate),
                key=str(pki.nodes[agency].private_key),
                database=database_urls[agency],
                broker_audit_key=str(base / "audit.pub"),
            )
        )
        node_configs[agency] = load_node_config(path)
        create_master_key(node_configs[agency].master_key)
    broker_path = base / "broker.toml"
    broker_path.write_text(
        render_broker_config(
            federation="test",
            listen=broker_listen,
            ca=str(pki.ca_certificate),
            cert=str(pki.broker.certificate),
            key=str(pki.broker.private_key),
            participants=[(a, node_configs[a].federation_listen) for a in agencies],
            partner_timeout_s=partner_timeout,
            database=broker_database or f"sqlite:///{base / 'broker.db'}",
        )
    )
    running = RunningFederation(base, pki, load_broker_config(broker_path), node_configs)
    try:
        if not external_broker:
            running.broker = build_broker(running.broker_config)
            running.broker.start()
        for agency in agencies:
            if agency not in down:
                running.start_node(agency)
    except BaseException:
        running.stop()
        raise
    return running
