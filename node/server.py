"""Building and running a node: two gRPC servers over one store.

The federation face listens on its configured address with mutual TLS and
answers only the broker; the local face listens on loopback only, for the
agency's own investigators and operators. They are separate servers because
a gRPC server exposes every registered service on every port it binds.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import grpc

from liaison.core.errors import ConfigError
from liaison.core.files import write_atomically
from liaison.crypto.certificates import load_certificate
from liaison.crypto.followup_seal import FollowupKey
from liaison.crypto.keystore import MasterKey
from liaison.crypto.tree_head import load_audit_public_key
from liaison.node.agency_key import load_agency_key
from liaison.node.anchor_client import GrpcAnchor
from liaison.node.broker_client import GrpcBroker
from liaison.node.config import NodeConfig
from liaison.node.dataset_versions import VersionSource
from liaison.node.datasets import Datasets, KeyRotation
from liaison.node.filter_cache import FilterCache
from liaison.node.followup_messages import Messenger
from liaison.node.followups import Followups
from liaison.node.ledger.anchor import ANCHOR_INTERVAL_S, LedgerAnchor
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.notices import Inbox
from liaison.node.partner_directory import EntryPublisher, PartnerDirectory
from liaison.node.requester import Requester
from liaison.node.responder import Clock, Responder, utc_now
from liaison.node.servicer import NodeFederationServicer, NodeLocalServicer
from liaison.node.sql_agreements import SqlAgreementStore
from liaison.node.sql_followups import SqlFollowupStore
from liaison.node.sql_notices import SqlNoticeStore
from liaison.node.sql_store import SqlNodeStore
from liaison.node.sql_users import SqlUserStore
from liaison.node.sql_watches import SqlWatchStore
from liaison.node.status import Health, StatusReader
from liaison.node.users import LocalRole, Users
from liaison.node.watch_loop import WatchLoop
from liaison.node.watcher import Watcher
from liaison.v1 import node_pb2, node_pb2_grpc
from liaison.wire.bearer import AdmitInterceptor
from liaison.wire.credentials import channel_options, server_credentials
from liaison.wire.health import (
    HEALTH_SERVICE,
    REFLECTION_SERVICES,
    Check,
    HealthMonitor,
    add_health,
    add_reflection,
)
from liaison.wire.malformed import RejectMalformed
from liaison.wire.serving import MetricsEndpoint, bound_address, termination_signals

log = logging.getLogger(__name__)

#: Seconds in-flight calls get to finish on shutdown.
GRACE_SECONDS = 5.0
#: The full names of the two faces' services (health and reflection name them).
FEDERATION_SERVICE = node_pb2.DESCRIPTOR.services_by_name["NodeFederation"].full_name
LOCAL_SERVICE = node_pb2.DESCRIPTOR.services_by_name["NodeLocal"].full_name
#: The health check of the broker link.
BROKER_CHECK = "broker"


class Closeable(Protocol):
    """Anything the node closes on shutdown (store, broker channel)."""

    def close(self) -> None:
        """Release the resource."""


@dataclass(frozen=True)
class LocalServices:
    """The domain objects behind the local face, for the web console built beside it."""

    config: NodeConfig
    clock: Clock
    users: Users
    requester: Requester
    datasets: Datasets
    watcher: Watcher
    inbox: Inbox
    agreements: SqlAgreementStore
    ledger: SqlLedgerStore
    broker: GrpcBroker
    followups: Followups
    directory: PartnerDirectory


class Attachment(Protocol):
    """A server started beside the node's (the web console): started after, closed before."""

    def start(self) -> str:
        """Start serving; return the ``host:port`` bound."""

    def close(self) -> None:
        """Stop serving."""


@dataclass
class NodeServers:
    """A built node: its two servers (not yet started) and bound ports."""

    federation: grpc.Server
    local: grpc.Server
    federation_port: int
    local_port: int
    executors: tuple[futures.ThreadPoolExecutor, ...] = ()
    closers: tuple[Closeable, ...] = ()
    #: Anchors the ledger's head in the broker's log.
    anchor: LedgerAnchor | None = None
    #: Runs the standing watches (tests call its ``poll`` themselves).
    watcher: Watcher | None = None
    #: Polls the watcher every ``watch_poll_s`` seconds (None when that is 0).
    watch_loop: WatchLoop | None = None
    #: Publishes the node's signed directory entry (``publisher.published`` once done).
    publisher: EntryPublisher | None = None
    #: Sets both faces' health status from the periodic check.
    monitor: HealthMonitor | None = None
    #: Serves /metrics when ``metrics_listen`` is set (bound when built, like the ports).
    metrics: MetricsEndpoint | None = None
    #: What the web console calls (the same objects the local face serves).
    services: LocalServices | None = None

    def start(self) -> None:
        """Start both servers, the health checks, the anchor, the watch loop and the publisher."""
        self.federation.start()
        self.local.start()
        if self.monitor is not None:
            self.monitor.start()
        if self.anchor is not None:
            self.anchor.start()
        if self.watch_loop is not None:
            self.watch_loop.start()
        if self.publisher is not None:
            self.publisher.start()

    def stop(self, grace: float | None = GRACE_SECONDS) -> None:
        """Stop both servers, letting calls finish for ``grace`` seconds; close the store."""
        if self.watch_loop is not None:
            self.watch_loop.stop()
        if self.monitor is not None:
            self.monitor.stop()  # NOT_SERVING while the calls drain
        if self.metrics is not None:
            self.metrics.close()
        done = [self.federation.stop(grace), self.local.stop(grace)]
        for event in done:
            event.wait()
        # gRPC cancels calls on stop but lets their handler threads run on; wait
        # for them so that no handler touches the store after it is closed.
        for executor in self.executors:
            executor.shutdown(wait=True)
        for closer in self.closers:
            closer.close()


def load_master_key(config: NodeConfig) -> MasterKey:
    """Return the node's master key: from the environment, else ``master_key``.

    Raises:
        ConfigError: the chosen source is missing, unreadable or malformed.
    """
    return MasterKey.from_environment(config.master_key, os.environ)


def open_datasets(
    config: NodeConfig, *, clock: Clock = utc_now, master: MasterKey | None = None
) -> tuple[SqlNodeStore, Datasets]:
    """Open the node's store and datasets (also used by ``liaison node import``).

    Raises:
        ConfigError: the database or the master key cannot be opened.
    """
    master = master or load_master_key(config)
    store = SqlNodeStore(config.database)
    rotation = KeyRotation(
        period=timedelta(hours=config.key_epoch_hours), on_change=config.rotate_key_on_change
    )
    datasets = Datasets(
        store,
        master,
        max_client_items=config.max_keys_per_query,
        rotation=rotation,
        clock=clock,
    )
    return store, datasets


def build_node(config: NodeConfig, *, clock: Clock = utc_now, workers: int = 8) -> NodeServers:
    """Build the node's servers and bind their ports, without starting them.

    Raises:
        ConfigError: a certificate, key, database or address is unusable, or
            the sealed agency key does not open with the master key.
    """
    master = load_master_key(config)
    agency_key = load_agency_key(config.agency, config.tls, master)
    tls = agency_key.tls
    store, datasets = open_datasets(config, clock=clock, master=master)
    ledger_store = SqlLedgerStore(config.database)
    agreements = SqlAgreementStore(config.database)
    audit_key = load_audit_public_key(config.broker_audit_key) if config.broker_audit_key else None
    anchor_client = GrpcAnchor(config.broker, tls, timeout=config.query_timeout_s)
    anchor = LedgerAnchor(
        config.agency, agency_key.signing, anchor_client, broker_audit_key=audit_key,
        min_interval_s=ANCHOR_INTERVAL_S,
    )  # fmt: skip
    ledger = Ledger(ledger_store, clock, on_append=anchor.note)
    if (last := ledger_store.last()) is not None:
        anchor.note(last)  # a tail written before a restart is anchored now
    responder = Responder(
        config,
        datasets,
        store,
        load_certificate(config.tls.ca),
        ledger,
        agreements=agreements,
        broker_audit_key=audit_key,
        clock=clock,
    )
    broker = GrpcBroker(config.broker, tls, timeout=config.query_timeout_s)
    requester = Requester(
        config.agency,
        agency_key.signing,
        broker,
        FilterCache(),
        ledger,
        max_keys=config.max_keys_per_query,
        envelope_ttl=timedelta(seconds=config.envelope_ttl_s),
    )
    ca_certificate = load_certificate(config.tls.ca)
    followup_key = FollowupKey.derive(master.derive(b"followup-key"), config.agency)
    directory = PartnerDirectory(broker, ca_certificate, clock)
    publisher = EntryPublisher(
        config.agency, agency_key.signing, followup_key, config.contacts, broker, clock
    )
    followup_store = SqlFollowupStore(config.database)
    followups = Followups(
        Messenger(config.agency, followup_key, directory, broker, followup_store, ledger, clock),
        agreements,
    )
    users_store = SqlUserStore(config.database)
    watch_store = SqlWatchStore(config.database)
    notice_store = SqlNoticeStore(config.database)
    inbox = Inbox(notice_store, clock)
    users = Users(users_store, clock)
    watcher = Watcher(
        config.agency,
        requester,
        broker,
        watch_store,
        inbox,
        ledger,
        clock,
        max_keys=config.max_keys_per_query,
        retry=timedelta(seconds=config.watch_retry_s),
        is_active=lambda name: _active_investigator(users_store, name),
    )
    executors = (
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="federation"),
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="local"),
    )
    federation = grpc.server(
        executors[0], options=channel_options(), interceptors=[RejectMalformed()]
    )
    node_pb2_grpc.add_NodeFederationServicer_to_server(
        NodeFederationServicer(
            config.agency,
            responder,
            followups,
            VersionSource(config.agency, datasets, agreements, clock),
        ),
        federation,
    )
    # Authenticate first, then parse: an anonymous caller learns nothing (but
    # the health of the node and the shape of its contract).
    admit = AdmitInterceptor(users.admit, public=(HEALTH_SERVICE, *REFLECTION_SERVICES))
    local = grpc.server(
        executors[1], interceptors=[admit, RejectMalformed()], options=local_options(config)
    )
    monitor = HealthMonitor(
        node_checks(config, datasets, ledger_store, broker, clock),
        (add_health(federation), add_health(local)),
        services=(FEDERATION_SERVICE, LOCAL_SERVICE),
        interval=config.health_interval_s,
    )
    status = StatusReader(
        config.agency, config.broker, datasets, agreements, ledger_store,
        health=lambda: health_of(monitor), clock=clock,
    )  # fmt: skip
    monitor.on_verdict(lambda _: status.refresh_metrics())
    node_pb2_grpc.add_NodeLocalServicer_to_server(
        NodeLocalServicer(
            requester,
            datasets,
            clock,
            followups=followups,
            directory=directory,
            max_rows=config.local_max_rows,
            watcher=watcher,
            inbox=inbox,
            status=status,
            ledger=ledger,
        ),
        local,
    )
    add_reflection(local, (LOCAL_SERVICE,))
    federation_port = _bind(federation, config.federation_listen, server_credentials(tls))
    local_port = _bind(local, config.local_listen, None)
    return NodeServers(
        federation,
        local,
        federation_port,
        local_port,
        executors,
        # Background key rotations are awaited (for a while) before the store closes.
        (
            publisher,
            anchor,
            anchor_client,
            requester,
            broker,
            datasets,
            store,
            ledger_store,
            users_store,
            agreements,
            watch_store,
            notice_store,
            followup_store,
        ),
        anchor,
        watcher,
        WatchLoop(watcher, config.watch_poll_s) if config.watch_poll_s > 0 else None,
        publisher,
        monitor,
        # Nothing after it can fail and leave its thread running.
        MetricsEndpoint(config.metrics_listen) if config.metrics_listen else None,
        LocalServices(
            config,
            clock,
            users,
            requester,
            datasets,
            watcher,
            inbox,
            agreements,
            ledger_store,
            broker,
            followups,
            directory,
        ),
    )


def node_checks(
    config: NodeConfig,
    datasets: Datasets,
    ledger: SqlLedgerStore,
    broker: GrpcBroker,
    clock: Clock,
) -> list[Check]:
    """The node's health checks: its database, its keys, its link to the broker."""
    certificate = load_certificate(config.tls.cert)

    def database() -> None:
        datasets.list()
        ledger.last()

    def keys() -> None:
        now = clock()
        if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc:
            raise ConfigError(f"the agency certificate {config.tls.cert} is not valid now")

    return [("database", database), ("keys", keys), (BROKER_CHECK, broker.check_health)]


def health_of(monitor: HealthMonitor) -> Health:
    """The monitor's last verdict as the status shows it."""
    problems = monitor.verdict.problems
    checked = monitor.checked_at
    return Health(
        checked_at=None if checked is None else datetime.fromtimestamp(checked, UTC),
        problems=tuple(f"{name}: {reason}" for name, reason in problems),
        broker_reachable=checked is not None and BROKER_CHECK not in dict(problems),
    )


def _active_investigator(users: SqlUserStore, name: str) -> bool:
    """Whether ``name`` is an enabled investigator (a watch's owner may have left)."""
    user = users.get_user(name)
    return user is not None and user.enabled and user.role is LocalRole.INVESTIGATOR


def local_options(config: NodeConfig) -> list[tuple[str, Any]]:
    """The local face's gRPC options: requests bounded by ``local_max_request_bytes``."""
    options = dict(channel_options())
    options["grpc.max_receive_message_length"] = config.local_max_request_bytes
    return list(options.items())


def _bind(server: grpc.Server, address: str, credentials: grpc.ServerCredentials | None) -> int:
    try:
        if credentials is None:
            port = server.add_insecure_port(address)
        else:
            port = server.add_secure_port(address, credentials)
    except RuntimeError as exc:
        raise ConfigError(f"cannot listen on {address}: {exc}") from exc
    if port == 0:
        raise ConfigError(f"cannot listen on {address}")
    return port


def serve(
    config: NodeConfig,
    *,
    ready_file: Path | None = None,
    attach: Callable[[NodeServers], Attachment] | None = None,
) -> None:
    """Run the node until SIGTERM or SIGINT, then shut down gracefully.

    With ``ready_file``, once serving, that file is written (atomically) with
    ``{"federation": "host:port", "local": "host:port"}``: the ports actually
    bound, which is how a caller that configured port 0 learns them. With
    ``attach`` (the web console), that server starts after the node's, its
    address is written as ``"web"``, and it stops first.

    Raises:
        ConfigError: the node cannot be built.
    """
    servers = build_node(config)
    with termination_signals() as stop:
        servers.start()
        federation = bound_address(config.federation_listen, servers.federation_port)
        local = bound_address(config.local_listen, servers.local_port)
        log.info(
            "node %s serving: federation %s (mTLS), local %s", config.agency, federation, local
        )
        ready = {"federation": federation, "local": local}
        if servers.metrics is not None:
            ready["metrics"] = servers.metrics.address
        attached = attach(servers) if attach is not None else None
        try:
            if attached is not None:
                ready["web"] = attached.start()
                log.info("node %s web console: https://%s/", config.agency, ready["web"])
            if ready_file is not None:
                write_atomically(ready_file, json.dumps(ready).encode())
            stop.wait()
        finally:
            log.info("node %s shutting down", config.agency)
            if attached is not None:
                attached.close()
            servers.stop()
