"""A real federation in the test process: broker and nodes on loopback ports.

Servers are built with the production ``build_broker``/``build_node``, each
binding 127.0.0.1 port 0 itself and reporting the port it got, with mutual
TLS under a throwaway CA from our own PKI, each node on its own database
(SQLite file or PostgreSQL schema). The order is a real federation's: the
broker comes up with an empty directory, the nodes come up pointing at it,
then the operator admits them by writing ``[[participants]]`` into the
broker's config, which the broker re-reads.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc

from liaison.auditing.auditor import render_auditor_config
from liaison.broker.config import BrokerConfig, load_broker_config, render_broker_config
from liaison.broker.server import BrokerServer, build_broker
from liaison.core.files import write_new
from liaison.core.query import AgencyCode, Justification, Query, Target
from liaison.core.records import Record
from liaison.crypto.certificates import load_private_key
from liaison.crypto.directory_entry import ContactPoint
from liaison.crypto.envelope import (
    epoch_ms,
    from_epoch_ms,
    new_query_id,
    payload_digest,
    sign_query,
)
from liaison.crypto.keys import KEY_SPEC_V2
from liaison.crypto.keystore import MasterKey, create_master_key
from liaison.crypto.tree_head import generate_sealed_audit_key
from liaison.node.agency_key import AGENCY_KEY_FILE, seal_agency_key
from liaison.node.agreements import Agreement
from liaison.node.config import NodeConfig, load_node_config, render_node_config
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.server import NodeServers, build_node, open_datasets
from liaison.node.sql_agreements import SqlAgreementStore
from liaison.node.sql_users import SqlUserStore
from liaison.node.store import ImportSummary
from liaison.node.users import LocalRole, Users
from liaison.v1 import broker_pb2_grpc, common_pb2, node_pb2_grpc
from liaison.wire.bearer import with_bearer
from liaison.wire.common_codec import signed_query_to_proto
from liaison.wire.credentials import channel_options, secure_channel
from tests.pki_support import Federation, make_federation

#: The purposes the test federation's broker accepts.
PURPOSES = ("counter-terrorism",)


class ManualMonotonic:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self) -> None:
        """Start at zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current reading."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


#: Starts ``liaison broker serve`` for a config file; returns the process handle
#: and the address the broker bound.
BrokerLauncher = Callable[[Path], tuple[object, str]]


@dataclass
class RunningFederation:
    """Handles on a running test federation."""

    base: Path
    pki: Federation
    broker_config: BrokerConfig
    node_configs: dict[str, NodeConfig]
    broker: BrokerServer | None = None
    nodes: dict[str, NodeServers] = field(default_factory=dict)
    #: Paces the in-process broker's re-reads of its config file.
    monotonic: ManualMonotonic = field(default_factory=ManualMonotonic)
    #: The broker process, when a launcher started it outside this process.
    broker_process: object | None = None
    _channels: list[grpc.Channel] = field(default_factory=list)
    #: Each agency's investigator token, issued at configuration.
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def broker_address(self) -> str:
        """The broker's host:port."""
        return self.broker_config.listen

    def local(
        self, agency: str, *, token: str | None = None, anonymous: bool = False
    ) -> node_pb2_grpc.NodeLocalStub:
        """A stub of an agency's local face (loopback, plain).

        It authenticates as the agency's investigator (``investigator@<agency>``),
        or with ``token``, or not at all when ``anonymous``.
        """
        channel = grpc.insecure_channel(
            self.node_configs[agency].local_listen, options=channel_options()
        )
        self._channels.append(channel)
        if anonymous:
            return node_pb2_grpc.NodeLocalStub(channel)
        return node_pb2_grpc.NodeLocalStub(with_bearer(channel, token or self.tokens[agency]))

    def add_user(self, agency: str, name: str, role: LocalRole) -> str:
        """Issue a user at a node, as ``liaison node user add`` does; return the token."""
        store = SqlUserStore(self.node_configs[agency].database)
        try:
            return Users(store, lambda: datetime.now(UTC)).add(name, role).token
        finally:
            store.close()

    def users(self, agency: str) -> tuple[SqlUserStore, Users]:
        """The user store of a node and its users (close the store when done)."""
        store = SqlUserStore(self.node_configs[agency].database)
        return store, Users(store, lambda: datetime.now(UTC))

    def token_file(self, agency: str) -> Path:
        """A 0600 file holding the agency investigator's token (for ``--token-file``)."""
        path = self.base / agency / "investigator.token"
        if not path.exists():
            write_new(path, self.tokens[agency].encode() + b"\n", 0o600)
        return path

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
            return datasets.import_records(dataset, list(rows), replace=replace)
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
        now = from_epoch_ms(epoch_ms(datetime.now(UTC)))
        query = Query(
            query_id=new_query_id(),
            requesting_agency=AgencyCode(claimed_agency or agency),
            justification=Justification(
                case_id=case_id,
                purpose="counter-terrorism",
                legal_basis="test",
                investigator_id="tester",
            ),
            targets=tuple(Target(AgencyCode(t)) for t in targets),
            key_count=key_count,
            payload_digest=payload_digest(psi_request),
            issued_at=now,
            expires_at=now + timedelta(minutes=5),
            key_spec=KEY_SPEC_V2,
        )
        signed = sign_query(query, load_private_key(self.pki.nodes[agency].private_key))
        return signed_query_to_proto(signed)

    def set_agreement(self, agency: str, agreement: Agreement) -> None:
        """Add or replace one of ``agency``'s agreements, as ``liaison node agreement add`` does."""
        with SqlAgreementStore(self.node_configs[agency].database) as agreements:
            agreements.put(agreement)

    def restart_broker(self) -> None:
        """Stop the broker and start it again on the same port (it re-reads its log)."""
        if self.broker is not None:
            self.broker.stop(0)
        self.broker = build_broker(self.broker_config, monotonic=self.monotonic)
        self.broker.start()

    def write_directory(self, participants: Sequence[tuple[str, str]]) -> None:
        """Rewrite the broker's config with these participants (the operator's edit)."""
        path = self.broker_config.path
        path.write_text(_broker_toml(self, self.broker_config.listen, participants))
        # A later mtime than any earlier write, however coarse the file system's clock.
        later = path.stat().st_mtime + 2
        os.utime(path, (later, later))
        self.broker_config = load_broker_config(path)

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

    def start_node(self, agency: str, *, clock: Callable[[], datetime] | None = None) -> None:
        """Build and start one node on the ports of its config (port 0 the first time).

        ``clock`` replaces the node's wall clock (agreement windows, envelope times).
        """
        config = self.node_configs[agency]
        servers = build_node(config) if clock is None else build_node(config, clock=clock)
        self.nodes[agency] = servers
        servers.start()
        config = dataclasses.replace(
            self.node_configs[agency],
            federation_listen=f"127.0.0.1:{servers.federation_port}",
            local_listen=f"127.0.0.1:{servers.local_port}",
        )
        self.node_configs[agency] = config
        config.path.write_text(_node_toml(self, config))

    def wait_anchored(self, timeout: float = 30.0) -> None:
        """Wait until every running node's whole ledger is anchored in the broker's log."""
        for agency, servers in self.nodes.items():
            store = SqlLedgerStore(self.node_configs[agency].database)
            try:
                last = store.last()
            finally:
                store.close()
            anchor = servers.anchor
            if (
                last is not None
                and anchor is not None
                and not anchor.wait_anchored(last.seq + 1, timeout)
            ):
                raise AssertionError(f"the ledger of {agency} was not anchored in time")

    def wait_published(self, timeout: float = 30.0) -> None:
        """Wait until every running node's signed directory entry is published."""
        for agency, servers in self.nodes.items():
            publisher = servers.publisher
            if publisher is not None and not publisher.published.wait(timeout):
                raise AssertionError(f"the directory entry of {agency} was not published in time")

    def stop(self) -> None:
        """Stop every server at once (grace 0) and close test channels."""
        for channel in self._channels:
            channel.close()
        for servers in self.nodes.values():
            servers.stop(0)
        if self.broker is not None:
            self.broker.stop(0)


def contact_points(agency: str) -> tuple[ContactPoint, ...]:
    """The contact points every test node publishes: one for its watchlist, one for the rest."""
    return (
        ContactPoint(
            category="watchlist", unit=f"{agency} CT liaison desk", role="duty officer",
            phone="+31 70 000 0000", email=f"ct-desk@{agency.lower()}.example",
            languages=("en", "fr"), hours="24/7", time_zone="Europe/Amsterdam",
        ),
        ContactPoint(
            category="*", unit=f"{agency} intl desk", email=f"intl@{agency.lower()}.example"
        ),
    )  # fmt: skip


def investigator_name(agency: str) -> str:
    """The name of the investigator the harness issues at each node."""
    return f"investigator@{agency.lower()}"


def _node_toml(running: RunningFederation, config: NodeConfig) -> str:
    files = running.pki.nodes[config.agency]
    return render_node_config(
        agency=config.agency,
        federation_listen=config.federation_listen,
        local_listen=config.local_listen,
        broker=running.broker_config.listen,
        ca=str(running.pki.ca_certificate),
        cert=str(files.certificate),
        key=str(config.tls.key),
        key_sealed=config.tls.sealed,
        database=config.database,
        broker_audit_key=str(running.base / "audit.pub"),
        contacts=config.contacts,
    )


def _broker_toml(
    running: RunningFederation, listen: str, participants: Sequence[tuple[str, str]]
) -> str:
    config = running.broker_config
    return render_broker_config(
        federation="test",
        listen=listen,
        ca=str(running.pki.ca_certificate),
        cert=str(running.pki.broker.certificate),
        key=str(running.pki.broker.private_key),
        participants=list(participants),
        partner_timeout_s=config.partner_timeout_s,
        database=config.database,
        purposes=PURPOSES,
    )


def start_federation(
    base: Path,
    database_urls: Mapping[str, str],
    *,
    agencies: Sequence[str] = ("FR", "NL", "TR"),
    down: Sequence[str] = (),
    partner_timeout: float = 5.0,
    broker_database: str | None = None,
    launch_broker: BrokerLauncher | None = None,
) -> RunningFederation:
    """Start a broker, then every node not in ``down``, then admit all ``agencies``.

    With ``launch_broker`` the broker is not built here: the launcher runs
    ``liaison broker serve`` itself (to kill it with SIGKILL, say) and reports
    the address it bound; the test waits for that broker to list the
    participants.
    """
    pki = make_federation(base / "pki", agencies=agencies, now=datetime.now(UTC))
    base.mkdir(parents=True, exist_ok=True)
    # As 'liaison broker init' does: a master key, the audit key sealed under it.
    create_master_key(base / "master.key")
    generate_sealed_audit_key(
        base / "audit.key.sealed", base / "audit.pub", MasterKey.load(base / "master.key")
    )
    broker_path = base / "broker.toml"
    broker_path.write_text(
        render_broker_config(
            federation="test",
            listen="127.0.0.1:0",
            ca=str(pki.ca_certificate),
            cert=str(pki.broker.certificate),
            key=str(pki.broker.private_key),
            participants=[],
            purposes=PURPOSES,
            partner_timeout_s=partner_timeout,
            database=broker_database or f"sqlite:///{base / 'broker.db'}",
        )
    )
    running = RunningFederation(base, pki, load_broker_config(broker_path), {})
    try:
        _start_broker(running, launch_broker)
        for agency in agencies:
            running.node_configs[agency] = _configure_node(running, agency, database_urls[agency])
            running.tokens[agency] = running.add_user(
                agency, investigator_name(agency), LocalRole.INVESTIGATOR
            )
            if agency not in down:
                running.start_node(agency)
        running.write_directory([(a, running.node_configs[a].federation_listen) for a in agencies])
        if running.broker is not None:
            running.broker.directory.reload()
    except BaseException:
        running.stop()
        raise
    return running


def _start_broker(running: RunningFederation, launch_broker: BrokerLauncher | None) -> None:
    # Pin the port the broker got, so that restarts come back on it.
    if launch_broker is None:
        running.broker = build_broker(running.broker_config, monotonic=running.monotonic)
        running.broker.start()
        listen = f"127.0.0.1:{running.broker.port}"
    else:
        running.broker_process, listen = launch_broker(running.broker_config.path)
    running.broker_config.path.write_text(_broker_toml(running, listen, []))
    running.broker_config = load_broker_config(running.broker_config.path)
    if running.broker is not None:
        running.broker.directory.reload()


def _configure_node(running: RunningFederation, agency: str, database: str) -> NodeConfig:
    folder = running.base / agency
    folder.mkdir(parents=True)
    path = folder / "node.toml"
    files = running.pki.nodes[agency]
    path.write_text(
        render_node_config(
            agency=agency,
            federation_listen="127.0.0.1:0",
            local_listen="127.0.0.1:0",
            broker=running.broker_config.listen,
            ca=str(running.pki.ca_certificate),
            cert=str(files.certificate),
            key=AGENCY_KEY_FILE,
            key_sealed=True,
            database=database,
            broker_audit_key=str(running.base / "audit.pub"),
            contacts=contact_points(agency),
        )
    )
    config = load_node_config(path)
    # As 'liaison node init' does: a master key, the handed-over key sealed under it.
    create_master_key(config.master_key)
    master = MasterKey.load(config.master_key)
    seal_agency_key(agency, files.private_key, config.tls, config.tls.key, master)
    # Deny by default: the operator's agreements with every other member.
    with SqlAgreementStore(config.database) as agreements:
        for partner in running.pki.nodes:
            if partner != agency:
                agreements.put(open_agreement(partner))
    return config


def open_agreement(partner: str, **changes: object) -> Agreement:
    """A generous agreement with ``partner`` (all datasets and purposes); ``changes`` narrow it."""
    agreement = Agreement(
        partner, datasets=("*",), purposes=("*",), max_keys_per_query=100_000,
        max_keys_per_day=10_000_000, queries_per_minute=10_000,
    )  # fmt: skip
    return dataclasses.replace(agreement, **changes)  # type: ignore[arg-type]
