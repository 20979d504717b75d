"""The node's configuration: one TOML file per node.

``liaison node init`` writes a ready file; ``load_node_config`` reads and
validates it at start, naming file and key in every error. Relative paths are
taken from the folder of the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from liaison.core.config_file import (
    NAME_PATTERN,
    Section,
    TlsPaths,
    load_toml,
    operations_settings,
    reject_unknown,
    section,
    sqlite_url,
)
from liaison.core.errors import ConfigError, InvalidInput
from liaison.crypto.directory_entry import ContactPoint

#: Defaults of the local face's request bounds: 4 MiB, 10,000 rows.
DEFAULT_LOCAL_MAX_REQUEST_BYTES = 4 * 1024 * 1024
DEFAULT_LOCAL_MAX_ROWS = 10_000
#: ``key_rotation`` values: rotate on the ``key_epoch_hours`` schedule only,
#: or also at every import that updates or removes a record.
KEY_ROTATION_SCHEDULE = "schedule"
KEY_ROTATION_ON_CHANGE = "on-change"
#: Shortest key epoch accepted (six minutes): each rotation rebuilds every filter.
KEY_EPOCH_MIN_HOURS = 0.1


#: Minutes a web console session lasts without a request.
DEFAULT_WEB_SESSION_MINUTES = 30


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The web console and HTTP API (``[web]``, ``docs/web.md``): local side, TLS only."""

    #: ``host:port`` on loopback or the agency's internal network, never the federation's.
    listen: str
    cert: Path
    key: Path
    #: The federation's purposes, offered in the match form (the broker still checks).
    purposes: tuple[str, ...] = ()
    session_minutes: int = DEFAULT_WEB_SESSION_MINUTES


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """Everything a node needs to serve and to query."""

    path: Path
    agency: str
    federation_listen: str
    local_listen: str
    database: str
    broker: str
    master_key: Path
    tls: TlsPaths
    #: Largest query this node sends or answers; also sizes the PSI filters.
    max_keys_per_query: int = 10_000
    #: Deadline of a whole federated match, broker fan-out included.
    query_timeout_s: float = 60.0
    #: Lifetime of a signed query envelope.
    envelope_ttl_s: int = 300
    #: The broker's audit public key; when set, the node answers only queries
    #: that come with a valid receipt proving they were logged first.
    broker_audit_key: Path | None = None
    #: Largest message the local face accepts (gRPC refuses a larger one with
    #: RESOURCE_EXHAUSTED before parsing it).
    local_max_request_bytes: int = DEFAULT_LOCAL_MAX_REQUEST_BYTES
    #: Most rows one local match may hold, checked before any key is derived.
    local_max_rows: int = DEFAULT_LOCAL_MAX_ROWS
    #: Lifetime of a dataset's PSI server key (``docs/epochs.md``).
    key_epoch_hours: float = 24.0
    #: Also rotate a dataset's key at every import that updates or removes a record.
    rotate_key_on_change: bool = False
    #: Seconds between two polls of the partners' dataset versions for the
    #: standing watches (``docs/watches.md``); 0 turns the poll loop off.
    watch_poll_s: float = 300.0
    #: Seconds a watch whose last run failed somewhere waits before it is re-run.
    watch_retry_s: float = 3600.0
    #: Contact points published in the signed directory (``[[contacts]]``).
    contacts: tuple[ContactPoint, ...] = ()
    #: Level of the server's JSON log (``docs/operations.md``).
    log_level: int = logging.INFO
    #: Loopback ``host:port`` serving Prometheus metrics at /metrics; None: off.
    metrics_listen: str | None = None
    #: File ``liaison node import`` writes its durations to (Prometheus text
    #: format, for the node exporter's textfile collector); None: not written.
    metrics_textfile: Path | None = None
    #: Seconds between health checks (database, keys, broker link).
    health_interval_s: float = 10.0
    #: The web console, when ``[web]`` is present.
    web: WebConfig | None = None


def load_node_config(path: Path) -> NodeConfig:
    """Read and validate a node configuration file.

    Raises:
        ConfigError: the file is missing, malformed or inconsistent; the message
            names the file and the key.
    """
    document = load_toml(path)
    node = section(path, document, "node")
    tls = section(path, document, "tls")
    web = section(path, document, "web")
    agency = node.text("agency")
    if not NAME_PATTERN.match(agency):
        raise ConfigError(f"{path}: [node] agency: not a valid agency code")
    max_keys = node.integer("max_keys_per_query", 10_000, minimum=1)
    federation_listen = node.address("federation_listen")
    if "agreements" in document:
        # Deny by default: an old wildcard agreement must not be read silently.
        raise ConfigError(
            f"{path}: [[agreements]] is no longer read from node.toml; agreements live in "
            "the node's database: remove the section and use 'liaison node agreement add'"
        )
    ops = operations_settings(node)
    config = NodeConfig(
        path=path.resolve(),
        agency=agency,
        federation_listen=federation_listen,
        local_listen=node.address("local_listen", loopback=True),
        database=node.text("database", sqlite_url(path.resolve().parent / "node.db")),
        broker=node.address("broker"),
        master_key=node.file("master_key", "master.key"),
        tls=_tls_paths(tls),
        max_keys_per_query=max_keys,
        query_timeout_s=node.number("query_timeout_s", 60.0, minimum=1),
        envelope_ttl_s=node.integer("envelope_ttl_s", 300, minimum=10),
        broker_audit_key=node.file("broker_audit_key") if node.has("broker_audit_key") else None,
        local_max_request_bytes=node.integer(
            "local_max_request_bytes", DEFAULT_LOCAL_MAX_REQUEST_BYTES, minimum=1024
        ),
        local_max_rows=node.integer("local_max_rows", DEFAULT_LOCAL_MAX_ROWS, minimum=1),
        key_epoch_hours=node.number("key_epoch_hours", 24.0, minimum=KEY_EPOCH_MIN_HOURS),
        rotate_key_on_change=_key_rotation(path, node),
        watch_poll_s=_poll_interval(path, node),
        watch_retry_s=node.number("watch_retry_s", 3600.0, minimum=0),
        contacts=_contacts(path, document),
        log_level=ops.log_level,
        metrics_listen=ops.metrics_listen,
        health_interval_s=ops.health_interval_s,
        metrics_textfile=node.file("metrics_textfile") if node.has("metrics_textfile") else None,
        web=_web(path, web, federation_listen) if "web" in document else None,
    )
    reject_unknown(path, document, (node, tls, web), tables=("contacts",))
    return config


def _web(path: Path, web: Section, federation_listen: str) -> WebConfig:
    """Read ``[web]`` (the console); it never shares the federation's address."""
    listen = web.address("listen")
    if _port(listen) != 0 and listen == federation_listen:
        raise ConfigError(f"{path}: [web] listen: must not be the federation address")
    return WebConfig(
        listen=listen,
        cert=web.file("cert"),
        key=web.file("key"),
        purposes=web.strings("purposes", ()),
        session_minutes=web.integer("session_minutes", DEFAULT_WEB_SESSION_MINUTES, minimum=1),
    )


def _port(address: str) -> int:
    return int(address.rsplit(":", 1)[1])


def _poll_interval(path: Path, node: Section) -> float:
    """Read ``watch_poll_s``: 0 (no poll loop) or at least one second."""
    value = node.number("watch_poll_s", 300.0, minimum=0)
    if 0 < value < 1:
        raise ConfigError(f"{path}: [node] watch_poll_s: must be 0 (off) or at least 1")
    return value


def _contacts(path: Path, document: dict[str, Any]) -> tuple[ContactPoint, ...]:
    """Read ``[[contacts]]``: one table per data category (``category = "*"`` for any)."""
    raw = document.get("contacts", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: [[contacts]] must be an array of tables")
    contacts: list[ContactPoint] = []
    for index, table in enumerate(raw, start=1):
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [[contacts]] #{index} must be a table")
        entry = Section(path, f"contacts #{index}", table, {})
        try:
            contacts.append(
                ContactPoint(
                    category=entry.text("category", "*"),
                    unit=entry.text("unit"),
                    role=entry.text("role", ""),
                    phone=entry.text("phone", ""),
                    email=entry.text("email", ""),
                    languages=entry.strings("languages", ()),
                    hours=entry.text("hours", ""),
                    time_zone=entry.text("time_zone", ""),
                )
            )
            entry.reject_unknown()
        except InvalidInput as exc:
            raise ConfigError(f"{path}: [[contacts]] #{index}: {exc}") from None
    return tuple(contacts)


def _tls_paths(tls: Section) -> TlsPaths:
    """Read ``[tls]``: the agency key as ``sealed_key`` (sealed) or ``key`` (plain PEM)."""
    key, sealed = tls.key_file("key", "sealed_key")
    return TlsPaths(ca=tls.file("ca"), cert=tls.file("cert"), key=key, sealed=sealed)


def _key_rotation(path: Path, node: Section) -> bool:
    """Read ``key_rotation``: "schedule" (the default) or "on-change"."""
    value = node.text("key_rotation", KEY_ROTATION_SCHEDULE)
    if value not in (KEY_ROTATION_SCHEDULE, KEY_ROTATION_ON_CHANGE):
        raise ConfigError(
            f"{path}: [node] key_rotation: must be "
            f"{KEY_ROTATION_SCHEDULE!r} or {KEY_ROTATION_ON_CHANGE!r}"
        )
    return value == KEY_ROTATION_ON_CHANGE


def render_node_config(
    *,
    agency: str,
    federation_listen: str,
    local_listen: str,
    broker: str,
    ca: str,
    cert: str,
    key: str,
    database: str | None = None,
    broker_audit_key: str | None = None,
    key_sealed: bool = False,
    contacts: tuple[ContactPoint, ...] = (),
) -> str:
    """Return the TOML text of a new node configuration.

    It holds no agreement: until the operator adds one (``liaison node
    agreement add``), the node refuses every partner. With ``key_sealed``,
    ``key`` names the agency key sealed under the master key
    (``[tls] sealed_key``), else a plain PEM file (``[tls] key``).
    """
    node: dict[str, Any] = {
        "agency": agency,
        "federation_listen": federation_listen,
        "local_listen": local_listen,
        "broker": broker,
        "master_key": "master.key",
        "max_keys_per_query": 10_000,
        "query_timeout_s": 60.0,
        "key_epoch_hours": 24.0,
        "key_rotation": KEY_ROTATION_SCHEDULE,
    }
    if database:
        node["database"] = database
    if broker_audit_key:
        node["broker_audit_key"] = broker_audit_key
    document: dict[str, Any] = {
        "node": node,
        "tls": {"ca": ca, "cert": cert, "sealed_key" if key_sealed else "key": key},
    }
    if contacts:
        document["contacts"] = [_contact_table(c) for c in contacts]
    return tomli_w.dumps(document)


def _contact_table(contact: ContactPoint) -> dict[str, Any]:
    table: dict[str, Any] = {"category": contact.category, "unit": contact.unit}
    for name in ("role", "phone", "email", "hours", "time_zone"):
        if value := getattr(contact, name):
            table[name] = value
    if contact.languages:
        table["languages"] = list(contact.languages)
    return table
