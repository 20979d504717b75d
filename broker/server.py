"""Building and running the broker's gRPC server (mutual TLS only)."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from liaison.broker.admission import AgencyLimits, AgencyThrottle
from liaison.broker.alerts import AlertLimiter
from liaison.broker.audit.access import AuditAccess
from liaison.broker.audit.events import directory_events, directory_from_log
from liaison.broker.audit.log import AuditLog
from liaison.broker.audit.servicer import AuditServicer
from liaison.broker.audit.sql_store import SqlAuditStore
from liaison.broker.config import BrokerConfig
from liaison.broker.coordinator import Coordinator
from liaison.broker.directory import Directory
from liaison.broker.node_client import GrpcNodes
from liaison.broker.policy import FederationPolicy
from liaison.broker.relay import DirectoryEntries, FollowupRelay
from liaison.broker.servicer import BrokerServicer
from liaison.broker.sql_directory import SqlDirectoryEntries
from liaison.broker.sql_replay import SqlReplayGuard
from liaison.broker.versions import VersionRelay
from liaison.core.errors import ConfigError
from liaison.core.files import write_atomically
from liaison.crypto.certificates import load_certificate, load_tls_material
from liaison.crypto.keystore import MasterKey
from liaison.crypto.tree_head import load_audit_private_key, load_sealed_audit_private_key
from liaison.v1 import broker_pb2_grpc, common_pb2
from liaison.wire.credentials import channel_options, server_credentials
from liaison.wire.malformed import RejectMalformed
from liaison.wire.serving import bound_address, termination_signals

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0


@dataclass
class BrokerServer:
    """A built broker: its server (not yet started) and bound port."""

    server: grpc.Server
    port: int
    coordinator: Coordinator[common_pb2.FilterChunk]
    nodes: GrpcNodes
    audit_log: AuditLog
    directory: Directory
    replay: SqlReplayGuard
    executor: futures.ThreadPoolExecutor
    #: Relays follow-ups (tests put a hostile port in ``relay.nodes``).
    relay: FollowupRelay
    entries: SqlDirectoryEntries
    #: Relays the watch polls of nodes (``docs/watches.md``).
    versions: VersionRelay | None = None

    def start(self) -> None:
        """Start serving."""
        self.server.start()

    def stop(self, grace: float | None = GRACE_SECONDS) -> None:
        """Stop, letting calls finish for ``grace`` seconds."""
        self.server.stop(grace).wait()
        # gRPC cancels calls on stop but lets their handler threads run on; wait
        # for them so that no handler touches a store after it is closed.
        self.executor.shutdown(wait=True)
        self.coordinator.close()
        if self.versions is not None:
            self.versions.close()
        self.nodes.close()
        self.audit_log.close()
        self.replay.close()
        self.entries.close()


def build_broker(
    config: BrokerConfig,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    monotonic: Callable[[], float] = time.monotonic,
    workers: int = 16,
) -> BrokerServer:
    """Build the broker and bind its port, without starting it.

    ``config.listen`` may name port 0: the bound port is in the result.
    ``monotonic`` paces the directory's re-reads of the config file (tests
    pass a clock they move).

    Raises:
        ConfigError: a certificate, key or address is unusable.
    """
    tls = load_tls_material(config.tls.cert, config.tls.key, config.tls.ca)
    audit_log = open_audit_log(config, clock=clock)
    directory = Directory(
        config,
        monotonic=monotonic,
        on_change=lambda old, new: _log_directory(audit_log, old, new),
    )
    nodes = GrpcNodes(tls)
    replay = SqlReplayGuard(config.database, clock=clock)
    limits = AgencyLimits(config.max_in_flight_per_agency, config.max_queries_per_minute)
    coordinator = Coordinator(
        directory,
        FederationPolicy(config.max_keys_per_query),
        nodes,
        load_certificate(config.tls.ca),
        audit_log,
        partner_timeout=config.partner_timeout_s,
        clock=clock,
        replay=replay,
        throttle=AgencyThrottle(limits, monotonic=monotonic),
        alerts=AlertLimiter(monotonic=monotonic),
    )
    entries = SqlDirectoryEntries(config.database)
    relay = FollowupRelay(
        directory, nodes, audit_log, timeout=config.partner_timeout_s, clock=clock
    )
    executor = futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="broker")
    versions = VersionRelay(directory, nodes, timeout=config.partner_timeout_s)
    server = grpc.server(
        executor,
        options=channel_options(),
        interceptors=[RejectMalformed()],
    )
    broker_pb2_grpc.add_BrokerServicer_to_server(
        BrokerServicer(
            config.federation,
            coordinator,
            DirectoryEntries(directory, entries),
            relay,
            versions,
        ),
        server,
    )
    broker_pb2_grpc.add_AuditServicer_to_server(
        AuditServicer(audit_log, AuditAccess(audit_log, directory, clock)), server
    )
    health_servicer = health.HealthServicer()
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    try:
        port = server.add_secure_port(config.listen, server_credentials(tls))
    except RuntimeError as exc:
        raise ConfigError(f"cannot listen on {config.listen}: {exc}") from exc
    if port == 0:
        raise ConfigError(f"cannot listen on {config.listen}")
    return BrokerServer(
        server,
        port,
        coordinator,
        nodes,
        audit_log,
        directory,
        replay,
        executor,
        relay,
        entries,
        versions,
    )


def open_audit_log(
    config: BrokerConfig, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> AuditLog:
    """Open the audit log, record directory changes made while the broker was down,
    and erase bodies past the retention period.

    Raises:
        ConfigError: the database or the audit key cannot be opened.
    """
    audit_log = AuditLog(SqlAuditStore(config.database), load_audit_key(config), clock)
    logged = directory_from_log(record.event() for record in audit_log.records(0, audit_log.size))
    current = {p.agency: p.endpoint for p in config.participants}
    changes = directory_events(logged, current, clock())
    if changes:
        audit_log.append_all(changes)
    audit_log.erase_before(clock() - timedelta(days=config.retention_days))
    return audit_log


def load_audit_key(config: BrokerConfig) -> Ed25519PrivateKey:
    """Return the audit key, unsealed in memory with the broker's master key.

    The master key comes from ``LIAISON_MASTER_KEY``, else the file named by
    ``LIAISON_MASTER_KEY_FILE``, else ``master_key`` in ``broker.toml``. A
    config that still names a plain PEM ``audit_key`` needs no master key;
    it is read with a warning.

    Raises:
        ConfigError: the key file or the master key is missing, malformed or
            unreadable, or the sealed key was altered or sealed under another
            master key; the message names the file, never the key.
    """
    if config.audit_key_sealed:
        master = MasterKey.from_environment(config.master_key, os.environ)
        return load_sealed_audit_private_key(config.audit_key, master)
    log.warning(
        "%s: the audit key is a plain PEM file, not sealed with the master key "
        "(seal it with 'liaison broker seal-key')",
        config.audit_key,
    )
    return load_audit_private_key(config.audit_key)


def _log_directory(audit_log: AuditLog, old: BrokerConfig, new: BrokerConfig) -> None:
    before = {p.agency: p.endpoint for p in old.participants}
    after = {p.agency: p.endpoint for p in new.participants}
    changes = directory_events(before, after, datetime.now(UTC))
    if changes:
        audit_log.append_all(changes)


def serve(config: BrokerConfig, *, ready_file: Path | None = None) -> None:
    """Run the broker until SIGTERM or SIGINT, then shut down gracefully.

    With ``ready_file``, once serving, that file is written (atomically) with
    ``{"listen": "host:port"}``: the port actually bound, which is how a
    caller that configured port 0 learns it.

    Raises:
        ConfigError: the broker cannot be built.
    """
    broker = build_broker(config)
    with termination_signals() as stop:
        broker.start()
        listen = bound_address(config.listen, broker.port)
        log.info("broker of %s serving on %s (mTLS)", config.federation, listen)
        if ready_file is not None:
            write_atomically(ready_file, json.dumps({"listen": listen}).encode())
        try:
            stop.wait()
        finally:
            log.info("broker shutting down")
            broker.stop()
