"""What each ``liaison`` subcommand does, behind the argparse tree of :mod:`liaison.cli`.

Handlers take the parsed arguments, raise ``LiaisonError`` on failure and
return an exit code (None meaning success).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import grpc

from liaison.broker import server as broker_server
from liaison.broker.config import load_broker_config, render_broker_config
from liaison.cli import key_commands, output
from liaison.cli.key_commands import AUDIT_KEY_FILE
from liaison.cli.progress import MIN_ROWS, PhaseBars
from liaison.cli.user_commands import read_token
from liaison.core.answers import PartnerStatus
from liaison.core.errors import ConfigError, InvalidInput, PartnerUnavailable, Unreachable
from liaison.core.files import PRIVATE_FILE_MODE, private_folder, write_new
from liaison.core.query import Justification
from liaison.core.records import KeyStrength
from liaison.crypto import pki
from liaison.crypto.certificates import Role, load_tls_material
from liaison.crypto.tree_head import generate_sealed_audit_key
from liaison.node import server as node_server
from liaison.node.agency_key import AGENCY_KEY_FILE
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.config import load_node_config, render_node_config
from liaison.node.input_files import parse_file, stream_file
from liaison.node.model import MatchRequest
from liaison.v1 import node_pb2_grpc
from liaison.wire.bearer import with_bearer
from liaison.wire.credentials import channel_options
from liaison.wire.status import error_from_rpc

EXIT_PARTIAL = 3


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _relative(target: Path, start: Path) -> str:
    """Write paths in configs relative to the config when that is possible."""
    try:
        return os.path.relpath(target.resolve(), start.resolve())
    except ValueError:
        return str(target.resolve())


def _write_config(path: Path, text: str) -> None:
    """Write a new config 0600 in a 0700 folder (a database URL may hold a password)."""
    if path.exists():
        raise ConfigError(f"{path}: exists already; refusing to overwrite it")
    private_folder(path.parent)
    write_new(path, text.encode("utf-8"), PRIVATE_FILE_MODE)


# --- pki ------------------------------------------------------------------


def pki_init(directory: Path, federation: str, *, now: datetime) -> None:
    """Create the federation CA."""
    files = pki.init_ca(directory, federation, now=now)
    print(f"CA of federation {federation!r}: {files.certificate} (key {files.private_key})")


def pki_issue(
    directory: Path, name: str, role: str, *, hosts: list[str], days: int, now: datetime
) -> None:
    """Issue a certificate under the CA."""
    files = pki.issue(directory, name, Role(role), hosts=hosts, days=days, now=now)
    print(f"issued {role} certificate {files.certificate} (key {files.private_key})")


# --- broker ---------------------------------------------------------------


def broker_init(args: argparse.Namespace) -> None:
    """Write a ready broker.toml, the master key and the sealed audit key."""
    config_path: Path = args.dir / "broker.toml"
    participants: list[tuple[str, str]] = []
    for item in args.participant:
        agency, sep, endpoint = item.partition("=")
        if not sep or not agency or not endpoint:
            raise InvalidInput(f"--participant {item!r}: expected AGENCY=HOST:PORT")
        participants.append((agency, endpoint))
    text = render_broker_config(
        federation=args.federation,
        listen=args.listen,
        ca=_relative(args.pki / "ca.pem", args.dir),
        cert=_relative(args.pki / f"{args.name}.pem", args.dir),
        key=_relative(args.pki / f"{args.name}.key", args.dir),
        participants=participants,
        database=args.database,
        purposes=tuple(args.purpose),
    )
    for path in (args.dir / AUDIT_KEY_FILE, args.dir / "audit.pub"):
        if path.exists():
            raise ConfigError(f"{path} already exists; refusing to overwrite it")
    _write_config(config_path, text)
    config = load_broker_config(config_path)  # what we wrote must load
    with _undone_on_failure(config_path, config.master_key):
        master, source = key_commands.master_key_for(config.master_key, create=True)
        public = config.audit_key.parent / "audit.pub"
        generate_sealed_audit_key(config.audit_key, public, master)
    print(f"wrote {config_path}; the master key: {source}")
    print(
        f"audit key sealed into {config.audit_key} (public half {public}, for nodes and auditors)"
    )


def broker_serve(config_path: Path, ready_file: Path | None = None) -> None:
    """Run the broker until a signal."""

    broker_server.serve(load_broker_config(config_path), ready_file=ready_file)


# --- node -----------------------------------------------------------------


def node_init(args: argparse.Namespace) -> None:
    """Write a ready node.toml, a fresh master key and the sealed agency key."""
    config_path: Path = args.dir / "node.toml"
    plain = args.pki / f"{args.agency}.key"
    cert, ca = args.pki / f"{args.agency}.pem", args.pki / "ca.pem"
    load_tls_material(cert, plain, ca)  # refuse a wrong handover before writing anything
    sealed = args.dir / AGENCY_KEY_FILE
    if sealed.exists():
        raise ConfigError(f"{sealed} already exists; refusing to overwrite it")
    text = render_node_config(
        agency=args.agency,
        federation_listen=args.federation_listen,
        local_listen=args.local_listen,
        broker=args.broker,
        ca=_relative(ca, args.dir),
        cert=_relative(cert, args.dir),
        key=AGENCY_KEY_FILE,
        key_sealed=True,
        database=args.database,
        broker_audit_key=_relative(args.broker_audit_key, args.dir)
        if args.broker_audit_key
        else None,
    )
    _write_config(config_path, text)
    config = load_node_config(config_path)
    with _undone_on_failure(config_path, config.master_key):
        master, source = key_commands.master_key_for(config.master_key, create=True)
        note = key_commands.hand_over_agency_key(
            config.agency, plain, config.tls, master, delete_plain=args.delete_plain_key
        )
    print(f"wrote {config_path}; the master key: {source}")
    print(f"agency key {note}")


@contextmanager
def _undone_on_failure(config_path: Path, master_key: Path) -> Iterator[None]:
    """Remove the new config (and a master key created meanwhile) if the block fails."""
    had_master_key = master_key.exists()
    try:
        yield
    except BaseException:
        config_path.unlink(missing_ok=True)
        if not had_master_key:
            master_key.unlink(missing_ok=True)
        raise


def node_serve(config_path: Path, ready_file: Path | None = None) -> None:
    """Run the node until a signal."""

    node_server.serve(load_node_config(config_path), ready_file=ready_file)


def node_import(args: argparse.Namespace) -> None:
    """Import a file into a dataset, all rows or none."""

    config = load_node_config(args.config)
    # Streamed twice, in bounded memory: checked whole first (a bad file creates
    # nothing, not even its dataset), then imported as it is read.
    rows = sum(1 for _ in stream_file(args.file, args.format))
    records = stream_file(args.file, args.format)
    store, datasets = node_server.open_datasets(config)
    try:
        with PhaseBars(args.dataset, disable=rows < MIN_ROWS) as bars:
            summary = datasets.import_records(
                args.dataset,
                records,
                replace=args.replace,
                progress=bars.rows(rows),
                phases=bars.phase,
            )
        info = datasets.info(args.dataset)
    finally:
        store.close()
    print(
        f"dataset {summary.dataset}: {summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.removed} removed; "
        f"version {summary.version}, {info.records} records, {info.keys} keys"
    )


def node_datasets(args: argparse.Namespace) -> None:
    """List the node's datasets."""

    config = load_node_config(args.config)
    store, datasets = node_server.open_datasets(config)
    try:
        infos = datasets.list()
        epochs = {info.name: datasets.key_epochs(info.name)[-1] for info in infos}
    finally:
        store.close()
    if args.json:
        print(json.dumps([output.dataset_json(i, epochs[i.name]) for i in infos], indent=2))
    else:
        output.print_datasets(infos, epochs=epochs)


def node_rotate_key(args: argparse.Namespace) -> int | None:
    """Move a dataset's PSI server key to a new epoch and rebuild its filter.

    Returns:
        1 if a rotation of the dataset is in progress already (nothing done).
    """

    config = load_node_config(args.config)
    store, datasets = node_server.open_datasets(config)
    try:
        started = time.perf_counter()
        with PhaseBars(args.dataset) as bars:
            epoch = datasets.rotate(args.dataset, phases=bars.phase)
        elapsed = time.perf_counter() - started
        info = datasets.info(args.dataset)
    finally:
        store.close()
    if epoch is None:
        print(
            f"liaison: a rotation of dataset {info.name} is in progress already; "
            "it starts the next key epoch",
            file=sys.stderr,
        )
        return 1
    print(
        f"dataset {info.name}: key epoch {epoch.epoch}, version {info.version}; "
        f"filter rebuilt from {info.keys} keys in {elapsed:.1f} s"
    )
    return None


# --- match ----------------------------------------------------------------


def match(args: argparse.Namespace) -> int | None:
    """Run a federated match through the local node and print the hits.

    The justification (case, purpose, legal basis) is checked by the node,
    once; its refusal is shown as any other error. The investigator is the
    user the token belongs to, as the node authenticated it.
    """
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    if args.investigator:
        print(
            "liaison: note: --investigator is ignored; the node records the user"
            " the token belongs to",
            file=sys.stderr,
        )
    records = parse_file(args.file, args.format)
    request = MatchRequest(
        justification=Justification(
            case_id=args.case,
            purpose=args.purpose,
            legal_basis=args.legal_basis,
            # The node fills in the authenticated user; a value here is ignored.
            investigator_id="",
        ),
        records=tuple(records),
        partners=split_list(args.partners),
        datasets=split_list(args.datasets),
        min_strength=KeyStrength(args.min_strength) if args.min_strength else None,
        count_only=args.count_only,
    )
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            reply = stub.Match(match_request_to_proto(request), timeout=config.query_timeout_s + 10)
        except grpc.RpcError as exc:
            error = error_from_rpc(exc)
            if isinstance(error, Unreachable):
                raise PartnerUnavailable(
                    f"the local node at {config.local_listen} did not answer "
                    f"(is 'liaison node serve' running?): {error}"
                ) from None
            raise error from None
    result = match_result_from_proto(reply)
    if args.json:
        print(json.dumps(output.match_json(result), indent=2))
    else:
        output.print_match(result, records)
    if any(r.status is not PartnerStatus.OK for r in result.results):
        return EXIT_PARTIAL
    return None
