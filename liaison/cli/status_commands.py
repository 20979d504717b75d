"""``liaison node status``, ``liaison broker status``, ``liaison node dataset remove``
and ``liaison health``: what a running process says about itself.

The node answers on its local face (a token of role operator, officer or
auditor; removal needs operator), the broker on its mutual-TLS port to its
own certificate or an auditor's. A process that does not answer is reported
``down`` (exit code 1), in the human output and in ``--json`` (schema in
``docs/operations.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeAlias

import grpc

from liaison.auditing.auditor import load_auditor_config
from liaison.broker.config import load_broker_config
from liaison.cli.user_commands import read_token
from liaison.core.config_file import load_toml
from liaison.core.errors import ConfigError, LiaisonError, Unreachable
from liaison.crypto.certificates import TlsMaterial, load_tls_material
from liaison.node.agency_key import load_agency_key
from liaison.node.config import load_node_config
from liaison.node.server import load_master_key
from liaison.v1 import broker_pb2, broker_pb2_grpc, node_pb2, node_pb2_grpc
from liaison.wire.bearer import with_bearer
from liaison.wire.credentials import channel_credentials, channel_options, secure_channel
from liaison.wire.health import probe
from liaison.wire.status import error_from_rpc

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

#: Version of the ``--json`` documents of ``node status`` and ``broker status``.
STATUS_SCHEMA: Final = 1
#: Deadline of a status call (the broker probes every participant within it).
STATUS_TIMEOUT_S: Final = 15.0
EXIT_DOWN: Final = 1
_TOKEN_HELP = "a token from 'liaison node user add' (default: $LIAISON_TOKEN)"


def add_node_status_commands(node_sub: Subparsers) -> None:
    """Add ``liaison node status`` and ``liaison node dataset remove``."""
    status = node_sub.add_parser("status", help="the running node's health, datasets, budgets")
    status.add_argument("--config", required=True, type=Path, help="node.toml")
    status.add_argument("--token-file", type=Path, help=_TOKEN_HELP)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=node_status)
    dataset = node_sub.add_parser("dataset", help="one dataset of the running node")
    dataset_sub = dataset.add_subparsers(dest="dataset_command", required=True, metavar="ACTION")
    remove = dataset_sub.add_parser(
        "remove", help="delete a dataset: it stops matching at once (operator; in the ledger)"
    )
    remove.add_argument("name", help="dataset name")
    remove.add_argument("--config", required=True, type=Path, help="node.toml")
    remove.add_argument("--token-file", type=Path, help=_TOKEN_HELP)
    remove.set_defaults(handler=node_dataset_remove)


def add_broker_status_command(broker_sub: Subparsers) -> None:
    """Add ``liaison broker status``."""
    status = broker_sub.add_parser("status", help="the running broker's health and participants")
    status.add_argument(
        "--config", required=True, type=Path, help="broker.toml, or an auditor's auditor.toml"
    )
    status.add_argument(
        "--address", help="host:port to dial (default: [broker] listen; 0.0.0.0 as 127.0.0.1)"
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=broker_status)


def add_health_command(sub: Subparsers) -> None:
    """Add ``liaison health``: the standard gRPC health probe."""
    health = sub.add_parser("health", help="probe a node or broker with the gRPC health check")
    health.add_argument("--address", required=True, help="host:port of the server")
    health.add_argument(
        "--config",
        type=Path,
        help="node.toml, broker.toml or auditor.toml: probe a mutual-TLS port with its certificate "
        "(default: plain, for a node's local face)",
    )
    health.add_argument("--service", default="", help="a service's full name (default: server)")
    health.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
    health.set_defaults(handler=health_probe)


# --- node -------------------------------------------------------------------


def node_status(args: argparse.Namespace) -> int | None:
    """Print the running node's status; exit 1 if it is down or not serving."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            reply = stub.Status(node_pb2.NodeStatusRequest(), timeout=STATUS_TIMEOUT_S)
        except grpc.RpcError as exc:
            return _down(f"node {config.agency}", config.local_listen, exc, args.json)
    document = node_status_json(reply)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        _print_node(document)
    return None if reply.serving else EXIT_DOWN


def node_dataset_remove(args: argparse.Namespace) -> None:
    """Remove a dataset from the running node."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            reply = stub.RemoveDataset(
                node_pb2.RemoveDatasetRequest(name=args.name), timeout=STATUS_TIMEOUT_S
            )
        except grpc.RpcError as exc:
            raise _local_error(config.local_listen, exc) from None
    print(f"dataset {reply.name} removed ({reply.records} records); recorded in the ledger")


def node_status_json(reply: node_pb2.NodeStatusReply) -> dict[str, Any]:
    """The ``--json`` document of ``liaison node status`` (schema 1)."""
    return {
        "schema": STATUS_SCHEMA,
        "process": "node",
        "state": "up",
        "serving": reply.serving,
        "problems": list(reply.problems),
        "agency": reply.agency,
        "version": reply.version,
        "started_at": _time(reply.started_at_ms),
        "checked_at": _time(reply.checked_at_ms),
        "broker": {"address": reply.broker, "reachable": reply.broker_reachable},
        "datasets": [
            {
                "name": d.name,
                "version": d.filter_version,
                "key_epoch": d.key_epoch,
                "records": d.records,
                "keys": d.keys,
                "last_import": _time(d.updated_at_ms),
            }
            for d in reply.datasets
        ],
        "agreements": [
            {
                "partner": a.partner,
                "mode": a.mode,
                "datasets": list(a.datasets),
                "purposes": list(a.purposes),
                "max_keys_per_query": a.max_keys_per_query,
                "max_keys_per_day": a.max_keys_per_day,
                "keys_used_today": a.keys_used_today,
                "queries_per_minute": a.queries_per_minute,
                "expires_at": _time(a.expires_at_ms),
            }
            for a in reply.agreements
        ],
        "ledger": {"entries": reply.ledger_entries, "head": reply.ledger_head.hex()},
    }


def _print_node(doc: dict[str, Any]) -> None:
    health = "serving" if doc["serving"] else "NOT SERVING"
    print(f"node {doc['agency']}: up, {health} (liaison {doc['version']})")
    print(f"  started {doc['started_at']}, last health check {doc['checked_at'] or 'pending'}")
    for problem in doc["problems"]:
        print(f"  problem: {problem}")
    broker = doc["broker"]
    print(f"broker {broker['address']}: {'reachable' if broker['reachable'] else 'UNREACHABLE'}")
    print(f"datasets: {len(doc['datasets'])}")
    for d in doc["datasets"]:
        print(
            f"  {d['name']}: version {d['version']}, key epoch {d['key_epoch']}, "
            f"{d['records']:,} records, {d['keys']:,} keys, last import {d['last_import']}"
        )
    print(f"agreements: {len(doc['agreements'])}")
    for a in doc["agreements"]:
        print(
            f"  {a['partner']}: {a['mode']}, datasets {','.join(a['datasets'])}, "
            f"keys today {a['keys_used_today']:,} of {a['max_keys_per_day']:,}"
        )
    ledger = doc["ledger"]
    print(f"ledger: {ledger['entries']} entries, head {ledger['head'] or '-'}")


def _local_error(address: str, exc: grpc.RpcError) -> LiaisonError:
    error = error_from_rpc(exc)
    if isinstance(error, Unreachable):
        return Unreachable(
            f"the local node at {address} did not answer (is 'liaison node serve' running?)"
        )
    return error


# --- broker -----------------------------------------------------------------


def broker_status(args: argparse.Namespace) -> int | None:
    """Print the running broker's status; exit 1 if it is down or not serving."""
    if "auditor" in load_toml(args.config):
        auditor = load_auditor_config(args.config)
        paths, listen = auditor.tls, auditor.broker
    else:
        broker = load_broker_config(args.config)
        paths, listen = broker.tls, _dialable(broker.listen)
    tls = load_tls_material(paths.cert, paths.key, paths.ca)
    address = args.address or listen
    with secure_channel(address, tls) as channel:
        stub = broker_pb2_grpc.BrokerOperationsStub(channel)
        try:
            reply = stub.Status(broker_pb2.BrokerStatusRequest(), timeout=STATUS_TIMEOUT_S)
        except grpc.RpcError as exc:
            return _down("broker", address, exc, args.json)
    document = broker_status_json(reply)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        _print_broker(document)
    return None if reply.serving else EXIT_DOWN


def broker_status_json(reply: broker_pb2.BrokerStatusReply) -> dict[str, Any]:
    """The ``--json`` document of ``liaison broker status`` (schema 1)."""
    return {
        "schema": STATUS_SCHEMA,
        "process": "broker",
        "state": "up",
        "serving": reply.serving,
        "problems": list(reply.problems),
        "federation": reply.federation,
        "version": reply.version,
        "started_at": _time(reply.started_at_ms),
        "checked_at": _time(reply.checked_at_ms),
        "participants": [
            {"agency": p.agency, "endpoint": p.endpoint, "health": p.health}
            for p in reply.participants
        ],
        "purposes": list(reply.purposes),
        "audit_log": {"entries": reply.audit_entries, "root": reply.audit_root.hex()},
    }


def _print_broker(doc: dict[str, Any]) -> None:
    health = "serving" if doc["serving"] else "NOT SERVING"
    print(f"broker of {doc['federation']}: up, {health} (liaison {doc['version']})")
    print(f"  started {doc['started_at']}, last health check {doc['checked_at'] or 'pending'}")
    for problem in doc["problems"]:
        print(f"  problem: {problem}")
    print(f"participants: {len(doc['participants'])}")
    for p in doc["participants"]:
        print(f"  {p['agency']} at {p['endpoint']}: {p['health']}")
    log = doc["audit_log"]
    print(f"audit log: {log['entries']} entries, root {log['root']}")


def _dialable(listen: str) -> str:
    host, _, port = listen.rpartition(":")
    return f"127.0.0.1:{port}" if host in ("0.0.0.0", "[::]", "") else listen


# --- shared -----------------------------------------------------------------


def _down(what: str, address: str, exc: grpc.RpcError, as_json: bool) -> int:
    error = error_from_rpc(exc)
    if not isinstance(error, Unreachable):
        raise error from None
    if as_json:
        print(json.dumps({"schema": STATUS_SCHEMA, "state": "down", "address": address}))
    else:
        print(f"{what}: down ({address} did not answer)")
    return EXIT_DOWN


def _time(ms: int) -> str | None:
    if not ms:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")


def health_probe(args: argparse.Namespace) -> int | None:
    """Print the server's health status; exit 0 only for SERVING."""
    if args.config is None:
        channel = grpc.insecure_channel(args.address, options=channel_options())
    else:
        credentials = channel_credentials(_tls_of(args.config))
        channel = grpc.secure_channel(args.address, credentials, options=channel_options())
    with channel:
        try:
            status = probe(channel, args.service, timeout=args.timeout)
        except grpc.RpcError as exc:
            print(f"{args.address}: unreachable ({error_from_rpc(exc)})", file=sys.stderr)
            return EXIT_DOWN
    print(status)
    return None if status == "SERVING" else EXIT_DOWN


def _tls_of(path: Path) -> TlsMaterial:
    """The mutual-TLS files of a node.toml (its sealed key opened) or broker.toml."""
    document = load_toml(path)
    if "node" in document:
        config = load_node_config(path)
        return load_agency_key(config.agency, config.tls, load_master_key(config)).tls
    if "broker" in document:
        broker = load_broker_config(path)
        return load_tls_material(broker.tls.cert, broker.tls.key, broker.tls.ca)
    if "auditor" in document:
        auditor = load_auditor_config(path)
        return load_tls_material(auditor.tls.cert, auditor.tls.key, auditor.tls.ca)
    raise ConfigError(f"{path}: not a node.toml, broker.toml or auditor.toml")
