"""``liaison node user ...``: the people who may use a node's local face, and their tokens.

The operator runs these on the node's host with its ``node.toml``; they work
on the node's database directly, so a change applies to the running node at
its next call. ``liaison match`` reads the user's token from ``--token-file``
or ``LIAISON_TOKEN``, never from a command-line argument (which ``ps`` shows).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from liaison.core.errors import ConfigError
from liaison.core.files import PRIVATE_FILE_MODE, read_file, write_new
from liaison.node.config import load_node_config
from liaison.node.sql_users import SqlUserStore
from liaison.node.users import LocalRole, User, Users

#: Environment variable holding a user's token for ``liaison match``.
TOKEN_ENV = "LIAISON_TOKEN"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _users(config_path: Path) -> tuple[SqlUserStore, Users]:
    store = SqlUserStore(load_node_config(config_path).database)
    return store, Users(store, _utc_now)


def user_add(args: argparse.Namespace) -> None:
    """Issue a credential; show the token once (or write it to a new 0600 file)."""
    store, users = _users(args.config)
    try:
        if args.token_file is not None and args.token_file.exists():
            raise ConfigError(f"{args.token_file} already exists; refusing to overwrite it")
        issued = users.add(args.name, LocalRole(args.role))
    finally:
        store.close()
    if args.token_file is not None:
        write_new(args.token_file, issued.token.encode("ascii") + b"\n", PRIVATE_FILE_MODE)
        print(f"added user {args.name} ({args.role}); token written to {args.token_file} (0600)")
        return
    print(f"added user {args.name} ({args.role}). Its token, shown this once:")
    print(issued.token)
    print(f"hand it over privately; the user passes it with --token-file or {TOKEN_ENV}.")


def user_list(args: argparse.Namespace) -> None:
    """List the node's users (never their tokens or hashes)."""
    store, users = _users(args.config)
    try:
        listed = users.list()
    finally:
        store.close()
    if args.json:
        print(json.dumps([_user_json(u) for u in listed], indent=2))
        return
    if not listed:
        print("no users")
    for user in listed:
        state = "enabled" if user.enabled else "disabled"
        print(f"{user.name:<40} {user.role.value:<13} {state:<9} {user.created_at:%Y-%m-%d}")


def _user_json(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.role.value,
        "enabled": user.enabled,
        "created_at": user.created_at.isoformat(),
    }


def user_disable(args: argparse.Namespace) -> None:
    """Refuse a user's token from the next call on."""
    store, users = _users(args.config)
    try:
        users.disable(args.name)
    finally:
        store.close()
    print(f"disabled user {args.name}")


def user_remove(args: argparse.Namespace) -> None:
    """Delete a user; its token stops working at once."""
    store, users = _users(args.config)
    try:
        users.remove(args.name)
    finally:
        store.close()
    print(f"removed user {args.name}")


def read_token(token_file: Path | None, environ: Mapping[str, str]) -> str:
    """Return the caller's token from ``token_file``, else from ``LIAISON_TOKEN``.

    Raises:
        ConfigError: neither gives one.
    """
    if token_file is not None:
        token = read_file(token_file).decode("ascii", "replace").strip()
        if not token:
            raise ConfigError(f"{token_file}: the token file is empty")
        return token
    token = environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ConfigError(
            f"no credential: pass --token-file or set {TOKEN_ENV}"
            " (the node's operator issues one with 'liaison node user add')"
        )
    return token


def add_user_commands(node_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``node user add|list|disable|remove`` to the ``node`` command."""
    user = node_sub.add_parser("user", help="people who may use the local face, and their tokens")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", help="issue a user's token (shown once, stored as a hash)")
    add.add_argument("name", help="the person's login, e.g. jane.doe@agency")
    add.add_argument("--config", required=True, type=Path)
    add.add_argument("--role", required=True, choices=[r.value for r in LocalRole])
    add.add_argument("--token-file", type=Path, help="write the token to this new 0600 file")
    add.set_defaults(handler=user_add)
    listing = user_sub.add_parser("list", help="list users, roles and states")
    listing.add_argument("--config", required=True, type=Path)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=user_list)
    disable = user_sub.add_parser("disable", help="refuse a user's token from the next call")
    disable.add_argument("name")
    disable.add_argument("--config", required=True, type=Path)
    disable.set_defaults(handler=user_disable)
    remove = user_sub.add_parser("remove", help="delete a user and its token")
    remove.add_argument("name")
    remove.add_argument("--config", required=True, type=Path)
    remove.set_defaults(handler=user_remove)
