"""``liaison node db upgrade`` and ``liaison broker db upgrade``: schema migrations.

A store refuses a database whose schema is behind this release, naming the
command here; an operator backs the database up, then runs it. A new
database needs none: it is created at the current schema when first opened.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from liaison.broker.config import load_broker_config
from liaison.node.config import load_node_config
from liaison.storage.migrate import BROKER, NODE, Schema
from liaison.storage.sql import upgrade_database

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_node_db_commands(node_sub: Subparsers) -> None:
    """Add ``liaison node db upgrade``."""
    _add(node_sub, "node.toml", node_db_upgrade)


def add_broker_db_commands(broker_sub: Subparsers) -> None:
    """Add ``liaison broker db upgrade``."""
    _add(broker_sub, "broker.toml", broker_db_upgrade)


def _add(sub: Subparsers, config: str, handler: Callable[[argparse.Namespace], None]) -> None:
    db = sub.add_parser("db", help="the database's schema version")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser(
        "upgrade", help="apply the schema migrations the database lacks (back it up first)"
    )
    upgrade.add_argument("--config", required=True, type=Path, help=config)
    upgrade.set_defaults(handler=handler)


def node_db_upgrade(args: argparse.Namespace) -> None:
    """Upgrade the node's database (store, users, agreements, ledger)."""
    _upgrade(load_node_config(args.config).database, NODE, "node database")


def broker_db_upgrade(args: argparse.Namespace) -> None:
    """Upgrade the broker's database (audit log, replay guard)."""
    _upgrade(load_broker_config(args.config).database, BROKER, "broker database")


def _upgrade(url: str, schema: Schema, label: str) -> None:
    before = upgrade_database(url, schema, label=label)
    if not before.behind:
        print(f"{label}: at schema revision {before.head} already")
        return
    start = before.current or ("before migrations" if before.legacy else "empty")
    print(f"{label}: upgraded from {start} to schema revision {before.head}")
