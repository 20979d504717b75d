"""What each ``liaison`` subcommand does, behind the argparse tree of :mod:`liaison.cli`.

Handlers take the parsed arguments, raise ``LiaisonError`` on failure and
return an exit code (None meaning success).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import grpc
from prometheus_client import write_to_textfile

from liaison.broker import server as broker_server
from liaison.broker.config import load_broker_config, render_broker_config
from liaison.cli import key_commands, output
from liaison.cli.init_checks import (
    check_audit_key,
    check_certificate,
    new_folder,
    refuse_set_up_folder,
)
from liaison.cli.key_commands import AUDIT_KEY_FILE
from liaison.cli.progress import MIN_ROWS, PhaseBars
from liaison.cli.user_commands import read_token
from liaison.core.answers import PartnerStatus
from liaison.core.errors import (
    ConfigError,
    InvalidInput,
    LiaisonError,
    Unreachable,
)
from liaison.core.files import PRIVATE_FILE_MODE, private_folder, write_new
from liaison.core.logs import configure_server_logging
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.crypto import pki
from liaison.crypto.certificates import Role
from liaison.crypto.tree_head import generate_sealed_audit_key
from liaison.node import metrics
from liaison.node import server as node_server
from liaison.node.agency_key import AGENCY_KEY_FILE
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.config import load_node_config, render_node_config
from liaison.node.input_files import parse_file_numbered, stream_file
from liaison.node.model import MatchRequest
from liaison.node.requester import index_keys
from liaison.node.split import plan_parts
from liaison.v1 import node_pb2_grpc
from liaison.web import server as web_server
from liaison.wire.bearer import with_bearer
from liaison.wire.credentials import channel_options
from liaison.wire.diagnosis import peer_error

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
    """Write a ready broker.toml, the master key and the sealed audit key.

    Everything is checked before anything is written (the broker's
    certificate, key and the CA in ``--pki``, the participants), and a
    failure part-way removes what was written.
    """
    config_path: Path = args.dir / "broker.toml"
    refuse_set_up_folder(args.dir, "broker.toml", holds=(AUDIT_KEY_FILE, "audit.pub"))
    check_certificate(args.pki, args.name, Role.BROKER)
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
    with new_folder(args.dir):
        _write_config(config_path, text)
        config = load_broker_config(config_path)  # what we wrote must load
        master, source = key_commands.master_key_for(config.master_key, create=True)
        public = config.audit_key.parent / "audit.pub"
        generate_sealed_audit_key(config.audit_key, public, master)
    print(f"wrote {config_path}; the master key: {source}")
    print(
        f"audit key sealed into {config.audit_key} (public half {public}, for nodes and auditors)"
    )


def broker_serve(
    config_path: Path, ready_file: Path | None = None, *, verbose: bool = False
) -> None:
    """Run the broker until a signal, logging JSON lines at the config's level."""
    config = load_broker_config(config_path)
    configure_server_logging(logging.DEBUG if verbose else config.log_level, "broker")
    broker_server.serve(config, ready_file=ready_file)


# --- node -----------------------------------------------------------------


def node_init(args: argparse.Namespace) -> None:
    """Write a ready node.toml, a fresh master key and the sealed agency key.

    Everything is checked before anything is written (the agency's
    certificate and key, the CA, the broker's ``audit.pub``), and a failure
    part-way removes what was written: the folder is set up whole or not.
    """
    config_path: Path = args.dir / "node.toml"
    refuse_set_up_folder(args.dir, "node.toml", holds=(AGENCY_KEY_FILE, "master.key"))
    plain = args.pki / f"{args.agency}.key"
    cert, ca = args.pki / f"{args.agency}.pem", args.pki / "ca.pem"
    check_certificate(args.pki, args.agency, Role.NODE)
    check_audit_key(args.broker_audit_key, "--broker-audit-key")
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
    with new_folder(args.dir):
        _write_config(config_path, text)
        config = load_node_config(config_path)
        master, source = key_commands.master_key_for(config.master_key, create=True)
        note = key_commands.hand_over_agency_key(
            config.agency, plain, config.tls, master, delete_plain=args.delete_plain_key
        )
    print(f"wrote {config_path}; the master key: {source}")
    print(f"agency key {note}")


def node_serve(config_path: Path, ready_file: Path | None = None, *, verbose: bool = False) -> None:
    """Run the node until a signal, logging JSON lines at the config's level."""
    config = load_node_config(config_path)
    level = logging.DEBUG if verbose else config.log_level
    configure_server_logging(level, f"node {config.agency}")
    # With [web], the console starts beside the node's servers (docs/web.md).
    attach = web_server.attach_console if config.web is not None else None
    node_server.serve(config, ready_file=ready_file, attach=attach)


def node_import(args: argparse.Namespace) -> None:
    """Import a file into a dataset, all rows or none."""

    config = load_node_config(args.config)
    # Streamed twice, in bounded memory: checked whole first (a bad file creates
    # nothing, not even its dataset), then imported as it is read.
    rows = sum(1 for _ in stream_file(args.file, args.format))
    records = stream_file(args.file, args.format)
    store, datasets = node_server.open_datasets(config)
    timer = ImportTimer(rows)
    try:
        with PhaseBars(args.dataset, disable=rows < MIN_ROWS) as bars:
            summary = datasets.import_records(
                args.dataset,
                records,
                replace=args.replace,
                progress=timer.track(bars.rows(rows)),
                phases=bars.phase,
            )
        timer.done()
        info = datasets.info(args.dataset)
    finally:
        store.close()
    if config.metrics_textfile is not None:
        timer.write(config.metrics_textfile, args.dataset)
    print(
        f"dataset {summary.dataset}: {summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.removed} removed; "
        f"version {summary.version}, {info.records} records, {info.keys} keys"
    )


class ImportTimer:
    """Times an import: the rows written (the last progress call), then the filter built."""

    def __init__(self, rows: int) -> None:
        """Time an import of ``rows`` rows from now."""
        self._rows = rows
        self._start = time.perf_counter()
        self._written: float | None = None
        self._end: float | None = None

    def track(self, then: Callable[[int], None]) -> Callable[[int], None]:
        """Return a progress callback noting when every row is written, then calling ``then``."""

        def progress(done: int) -> None:
            if done >= self._rows and self._written is None:
                self._written = time.perf_counter()
            then(done)

        return progress

    def done(self) -> None:
        """Note the end of the import (the filter built)."""
        self._end = time.perf_counter()

    def write(self, path: Path, dataset: str) -> None:
        """Write the durations in Prometheus text format, atomically (textfile collector)."""
        end = self._end or time.perf_counter()
        written = self._written or end
        registry, imported, built, rows = metrics.import_registry()
        imported.labels(dataset).set(written - self._start)
        built.labels(dataset).set(end - written)
        rows.labels(dataset).set(self._rows)
        try:
            write_to_textfile(str(path), registry)
        except OSError as exc:
            raise ConfigError(f"cannot write the metrics file {path}: {exc.strerror}") from None


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
    numbered = parse_file_numbered(args.file, args.format)
    records = [record for _, record in numbered]
    lines = [line for line, _ in numbered]
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
        split=args.split,
    )
    # A split match is several queries, one after the other, each with its deadline.
    queries = (
        _queries_at_most(records, config.max_keys_per_query, request.min_strength)
        if args.split
        else 1
    )
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            reply = stub.Match(
                match_request_to_proto(request), timeout=(config.query_timeout_s + 10) * queries
            )
        except grpc.RpcError as exc:
            # Unreachable here means the local node itself: it relays none of its own.
            error = peer_error(exc, "the local node", config.local_listen)
            if isinstance(error, Unreachable):
                raise Unreachable(
                    f"{error} (start it with 'liaison node serve --config {args.config}')"
                ) from None
            raise error from None
    result = match_result_from_proto(reply)
    if args.json:
        print(json.dumps(output.match_json(result, lines), indent=2))
    else:
        output.print_match(result, records, lines=lines, explain_kinds=args.explain)
    if any(r.status is not PartnerStatus.OK for r in result.results):
        return EXIT_PARTIAL
    return None


def _queries_at_most(records: list[Record], max_keys: int, min_strength: KeyStrength | None) -> int:
    """How many queries a split match of these rows sends (at least 1)."""
    index = index_keys(records, min_strength=min_strength)
    keys_of_rows: list[set[str]] = [set() for _ in records]
    for key, sources in index.items():
        for source in sources:
            keys_of_rows[source.row].add(key)
    try:
        return max(1, len(plan_parts(keys_of_rows, max_keys)))
    except LiaisonError:
        return 1  # the node refuses it, with the reason
