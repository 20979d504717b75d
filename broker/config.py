"""The broker's configuration: listen address, database, TLS, participants.

``liaison broker init`` writes a ready file; ``load_broker_config`` reads and
validates it, naming file and key in every error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from liaison.core.config_file import (
    NAME_PATTERN,
    Section,
    TlsPaths,
    load_toml,
    reject_unknown,
    section,
    sqlite_url,
)
from liaison.core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ParticipantConfig:
    """An admitted agency: its code (certificate name) and federation endpoint."""

    agency: str
    endpoint: str
    contact: str = ""


@dataclass(frozen=True, slots=True)
class BrokerConfig:
    """Everything the broker needs to serve."""

    path: Path
    federation: str
    listen: str
    database: str
    tls: TlsPaths
    participants: tuple[ParticipantConfig, ...]
    #: Purposes the federation accepts; a query naming another is denied, and
    #: an empty list accepts none (deny by default).
    purposes: tuple[str, ...] = ()
    #: Deadline for each partner's answer; a late partner becomes "timeout".
    partner_timeout_s: float = 10.0
    #: Largest PSI request (in keys) the broker relays.
    max_keys_per_query: int = 100_000
    #: Ed25519 key signing the audit log's tree heads (public half: audit.pub).
    audit_key: Path = Path("audit.key")
    #: ``audit_key`` is sealed under the master key (``sealed_audit_key``), not PEM.
    audit_key_sealed: bool = False
    #: The broker's master key file (unless the environment supplies the key).
    master_key: Path = Path("master.key")
    #: Entry bodies older than this are erased (their leaf hashes stay).
    retention_days: int = 1825
    #: Queries one agency may have in flight at the broker at once.
    max_in_flight_per_agency: int = 8
    #: Queries one agency may submit per minute (refused ones count too).
    max_queries_per_minute: int = 600

    def participant(self, agency: str) -> ParticipantConfig | None:
        """Return the participant with this agency code, if admitted."""
        for participant in self.participants:
            if participant.agency == agency:
                return participant
        return None


def load_broker_config(path: Path) -> BrokerConfig:
    """Read and validate a broker configuration file.

    Raises:
        ConfigError: missing, malformed or inconsistent; names file and key.
    """
    document = load_toml(path)
    broker = section(path, document, "broker")
    tls = section(path, document, "tls")
    audit_key, audit_key_sealed = broker.key_file("audit_key", "sealed_audit_key", "audit.key")
    config = BrokerConfig(
        path=path.resolve(),
        federation=broker.text("federation"),
        listen=broker.address("listen"),
        database=broker.text("database", sqlite_url(path.resolve().parent / "broker.db")),
        tls=TlsPaths(ca=tls.file("ca"), cert=tls.file("cert"), key=tls.file("key")),
        participants=_participants(path, document),
        purposes=broker.strings("purposes", ()),
        partner_timeout_s=broker.number("partner_timeout_s", 10.0, minimum=0.1),
        max_keys_per_query=broker.integer("max_keys_per_query", 100_000, minimum=1),
        audit_key=audit_key,
        audit_key_sealed=audit_key_sealed,
        master_key=broker.file("master_key", "master.key"),
        retention_days=broker.integer("retention_days", 1825, minimum=1),
        max_in_flight_per_agency=broker.integer("max_in_flight_per_agency", 8, minimum=1),
        max_queries_per_minute=broker.integer("max_queries_per_minute", 600, minimum=1),
    )
    reject_unknown(path, document, (broker, tls), tables=("participants",))
    return config


def _participants(path: Path, document: dict[str, Any]) -> tuple[ParticipantConfig, ...]:
    raw = document.get("participants", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: [[participants]] must be an array of tables")
    participants: list[ParticipantConfig] = []
    for index, table in enumerate(raw):
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [[participants]] #{index + 1} must be a table")
        entry = Section(path, f"participants #{index + 1}", table, {})
        agency = entry.text("agency")
        if not NAME_PATTERN.match(agency):
            raise ConfigError(f"{path}: [[participants]] #{index + 1}: not a valid agency code")
        if any(p.agency == agency for p in participants):
            raise ConfigError(f"{path}: [[participants]] agency {agency!r} is listed twice")
        participants.append(
            ParticipantConfig(
                agency=agency,
                endpoint=entry.address("endpoint"),
                contact=entry.text("contact", ""),
            )
        )
        entry.reject_unknown()
    return tuple(participants)


def render_broker_config(
    *,
    federation: str,
    listen: str,
    ca: str,
    cert: str,
    key: str,
    participants: list[tuple[str, str]],
    database: str | None = None,
    purposes: tuple[str, ...] = (),
    partner_timeout_s: float = 10.0,
) -> str:
    """Return the TOML text of a new broker configuration."""
    broker: dict[str, Any] = {
        "federation": federation,
        "listen": listen,
        "partner_timeout_s": partner_timeout_s,
        "max_keys_per_query": 100_000,
        "master_key": "master.key",
        "sealed_audit_key": "audit.key.sealed",
        "retention_days": 1825,
    }
    if database:
        broker["database"] = database
    if purposes:
        broker["purposes"] = list(purposes)
    document = {
        "broker": broker,
        "tls": {"ca": ca, "cert": cert, "key": key},
        "participants": [{"agency": a, "endpoint": e} for a, e in participants],
    }
    return tomli_w.dumps(document)


def edit_broker_config(path: Path, change: Callable[[dict[str, Any]], None]) -> BrokerConfig:
    """Apply ``change`` to the TOML document of ``path``; write it back only if it still loads.

    The running broker re-reads the file (:class:`~broker.directory.Directory`),
    so the edit applies without a restart. The new text is validated in a
    file beside the old one (relative paths resolve the same way), then
    moved over it atomically: a reader sees the old file or the new one.
    Comments in the file are not kept.

    Raises:
        ConfigError: the file cannot be read, the edited document is invalid
            (nothing is written), or it cannot be written.
        InvalidInput: whatever ``change`` raises to refuse the edit.
    """
    document = load_toml(path)
    change(document)
    partial = path.with_name(f".{path.name}.edit")
    try:
        partial.write_text(tomli_w.dumps(document), encoding="utf-8")
        os.chmod(partial, path.stat().st_mode & 0o7777)  # keep the file's permissions
        load_broker_config(partial)
        os.replace(partial, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
    return load_broker_config(path)
