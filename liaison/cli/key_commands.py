"""Private keys at rest: ``node init`` and ``broker init`` seal them; ``seal-key`` migrates.

The agency's certificate key is handed over by the federation operator as a
plain PEM file; the broker's audit key is generated. Both are written sealed
under their host's master key (``crypto/keystore.py``) and unsealed in
memory at start. ``liaison node seal-key`` and ``liaison broker seal-key``
seal the plain key of a deployment set up before keys were sealed.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TypeAlias

from liaison.broker.config import load_broker_config
from liaison.cli.custody_commands import add_custody_commands
from liaison.core.config_file import TlsPaths
from liaison.core.errors import ConfigError, InvalidInput
from liaison.crypto.keystore import MasterKey, create_master_key, master_key_from_environment
from liaison.crypto.tree_head import load_sealed_audit_private_key, seal_audit_key
from liaison.node.agency_key import AGENCY_KEY_FILE, load_agency_key, seal_agency_key
from liaison.node.config import load_node_config

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

#: The sealed audit key's file name, beside ``broker.toml``.
AUDIT_KEY_FILE = "audit.key.sealed"
_DELETE_HELP = "delete the plain PEM key once the sealed copy is written and opens"


def add_node_key_commands(node_sub: Subparsers) -> None:
    """Add ``liaison node seal-key`` and ``liaison node keys backup|restore``."""
    seal = node_sub.add_parser(
        "seal-key", help="seal the agency key a node.toml names in plain PEM (migration)"
    )
    seal.add_argument("--config", required=True, type=Path, help="node.toml")
    seal.add_argument("--delete-plain-key", action="store_true", help=_DELETE_HELP)
    seal.set_defaults(handler=node_seal_key)
    add_custody_commands(node_sub, config_name="node.toml")


def add_broker_key_commands(broker_sub: Subparsers) -> None:
    """Add ``liaison broker seal-key`` and ``liaison broker keys backup|restore``."""
    seal = broker_sub.add_parser(
        "seal-key", help="seal the audit key a broker.toml names in plain PEM (migration)"
    )
    seal.add_argument("--config", required=True, type=Path, help="broker.toml")
    seal.add_argument("--delete-plain-key", action="store_true", help=_DELETE_HELP)
    seal.set_defaults(handler=broker_seal_key)
    add_custody_commands(broker_sub, config_name="broker.toml")


def master_key_for(path: Path, *, create: bool) -> tuple[MasterKey, str]:
    """Return the master key and where it comes from; create ``path`` if asked and needed.

    Raises:
        ConfigError: the chosen source is unusable, or the file cannot be created.
    """
    supplied = master_key_from_environment(os.environ)
    if supplied is not None:
        return MasterKey.from_environment(path, os.environ), f"${supplied}"
    if create and not path.exists():
        create_master_key(path)
        return MasterKey.load(path), f"new master key {path}"
    return MasterKey.load(path), f"master key {path}"


def hand_over_agency_key(
    agency: str, plain: Path, tls: TlsPaths, master: MasterKey, *, delete_plain: bool
) -> str:
    """Seal the handed-over ``plain`` key into ``tls.key``; return what the operator must know.

    Raises:
        ConfigError: the plain key is unusable or the sealed file cannot be written.
    """
    seal_agency_key(agency, plain, tls, tls.key, master)
    load_agency_key(agency, tls, master)  # what we wrote must open
    return _plain_copy(plain, tls.key, delete=delete_plain)


def _plain_copy(plain: Path, sealed: Path, *, delete: bool) -> str:
    if delete:
        try:
            plain.unlink()
        except OSError as exc:
            raise ConfigError(f"{plain}: sealed, but cannot delete ({exc.strerror})") from None
        return f"sealed into {sealed}; deleted the plain copy {plain}"
    return (
        f"sealed into {sealed}; the plain copy {plain} is no longer read: delete it "
        "(or keep it offline), it is the key in clear"
    )


def node_seal_key(args: argparse.Namespace) -> None:
    """Seal the plain agency key of an existing node.toml beside it."""
    config = load_node_config(args.config)
    if config.tls.sealed:
        raise InvalidInput(f"{config.path}: [tls] sealed_key: the agency key is sealed already")
    master, source = master_key_for(config.master_key, create=False)
    sealed = config.path.parent / AGENCY_KEY_FILE
    tls = TlsPaths(ca=config.tls.ca, cert=config.tls.cert, key=sealed, sealed=True)
    note = hand_over_agency_key(
        config.agency, config.tls.key, tls, master, delete_plain=args.delete_plain_key
    )
    print(f"agency key {note} (under the {source})")
    print(
        f'now, in {config.path}, replace [tls] key with sealed_key = "{AGENCY_KEY_FILE}" '
        "and restart the node"
    )


def broker_seal_key(args: argparse.Namespace) -> None:
    """Seal the plain audit key of an existing broker.toml beside it."""
    config = load_broker_config(args.config)
    if config.audit_key_sealed:
        raise InvalidInput(f"{config.path}: [broker] sealed_audit_key: sealed already")
    master, source = master_key_for(config.master_key, create=True)
    sealed = config.path.parent / AUDIT_KEY_FILE
    seal_audit_key(config.audit_key, sealed, master)
    load_sealed_audit_private_key(sealed, master)  # what we wrote must open
    print(f"audit key {_plain_copy(config.audit_key, sealed, delete=args.delete_plain_key)}")
    print(f"the broker's master key: {source}; back it up apart from the database")
    print(
        f'now, in {config.path} [broker], replace audit_key with sealed_audit_key = "'
        f'{AUDIT_KEY_FILE}" (and master_key, if not master.key beside it) and restart the broker'
    )
