"""Key custody: ``liaison node keys backup|restore`` (and the broker's), Shamir shares.

The master key opens every sealed key of its host; lost, the node's PSI
server keys and agency key are lost with it. ``backup`` splits it into
shares for officers to hold apart (``crypto/key_shares.py``), any
``--threshold`` of which ``restore`` writes back as the master key file.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from liaison.broker.config import load_broker_config
from liaison.core.errors import ConfigError, InvalidInput
from liaison.core.files import PRIVATE_FILE_MODE, private_folder, read_file, write_new
from liaison.crypto.key_shares import (
    MAX_SHARES,
    KeyShare,
    combine_shares,
    share_from_text,
    share_to_text,
    split_key,
)
from liaison.crypto.keystore import MasterKey, master_key_from_environment, write_master_key
from liaison.crypto.tree_head import load_sealed_audit_private_key
from liaison.node.agency_key import load_agency_key
from liaison.node.config import load_node_config

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: Opens the host's sealed key with a restored master key, or raises ConfigError.
Opener: TypeAlias = Callable[[MasterKey], None]


def add_custody_commands(sub: Subparsers, *, config_name: str) -> None:
    """Add ``keys backup`` and ``keys restore`` under a node's or broker's command."""
    keys = sub.add_parser("keys", help="back up the master key as Shamir shares, or restore it")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    backup = keys_sub.add_parser(
        "backup", help="split the master key into shares for officers to hold apart"
    )
    backup.add_argument("--config", required=True, type=Path, help=config_name)
    backup.add_argument(
        "--shares", required=True, type=int, help=f"shares to make (<= {MAX_SHARES})"
    )
    backup.add_argument("--threshold", required=True, type=int, help="shares needed to restore")
    backup.add_argument("--out", required=True, type=Path, help="new folder for the share files")
    backup.set_defaults(handler=keys_backup)
    restore = keys_sub.add_parser("restore", help="write the master key back from its shares")
    restore.add_argument("--config", required=True, type=Path, help=config_name)
    restore.add_argument(
        "--out", type=Path, help="master key file to write (default: the config's master_key)"
    )
    restore.add_argument("share", nargs="+", type=Path, help="share files (at least the threshold)")
    restore.set_defaults(handler=keys_restore)


def _host(args: argparse.Namespace) -> tuple[str, Path, Opener]:
    """Return the key's holder, its master key file and how to test a restored key."""
    if getattr(args, "broker_command", None) == "keys":
        broker = load_broker_config(args.config)

        def open_audit_key(master: MasterKey) -> None:
            if broker.audit_key_sealed and broker.audit_key.exists():
                load_sealed_audit_private_key(broker.audit_key, master)

        return "broker", broker.master_key, open_audit_key
    node = load_node_config(args.config)

    def open_agency_key(master: MasterKey) -> None:
        if node.tls.sealed and node.tls.key.exists():
            load_agency_key(node.agency, node.tls, master)

    return node.agency, node.master_key, open_agency_key


def keys_backup(args: argparse.Namespace) -> None:
    """Write ``--shares`` share files into the new folder ``--out``."""
    holder, master_path, _ = _host(args)
    master = MasterKey.from_environment(master_path, os.environ)
    shares = split_key(master.export(), holder=holder, total=args.shares, threshold=args.threshold)
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out}: not empty; give a new folder for the shares")
    private_folder(out)
    written: list[Path] = []
    try:
        for share in shares:
            path = out / f"{holder}-key-share-{share.index}-of-{share.total}.txt"
            write_new(path, share_to_text(share).encode("utf-8"), PRIVATE_FILE_MODE)
            written.append(path)
    except BaseException:
        for path in written:  # a backup is whole or not at all
            path.unlink(missing_ok=True)
        raise
    source = master_key_from_environment(os.environ)
    print(
        f"split the master key of {holder} ({f'${source}' if source else master_path}) into "
        f"{args.shares} shares, any {args.threshold} of which restore it:"
    )
    for path in written:
        print(f"  {path}")
    print("hand each share to one officer (print it, then delete the file); keep none here")


def keys_restore(args: argparse.Namespace) -> None:
    """Combine the share files and write the master key (never over an existing one)."""
    holder, master_path, opens = _host(args)
    target: Path = args.out or master_path
    if target.exists():
        raise ConfigError(
            f"{target}: a master key exists already; move it away to restore, or give --out"
        )
    shares = [_read_share(path) for path in args.share]
    for path, share in zip(args.share, shares, strict=True):
        if share.holder != holder:
            raise InvalidInput(f"{path}: a share of {share.holder}'s key, not {holder}'s")
    master = MasterKey(combine_shares(shares))
    try:
        opens(master)
    except ConfigError as exc:
        raise ConfigError(f"the restored key does not open this host's sealed key: {exc}") from None
    write_master_key(target, master.export())
    print(f"restored the master key of {holder} from {len(shares)} shares into {target}")


def _read_share(path: Path) -> KeyShare:
    try:
        text = read_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a key share (not text)") from None
    return share_from_text(text, str(path))
