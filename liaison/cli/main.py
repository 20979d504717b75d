"""The ``liaison`` command: one argparse tree, one error boundary in ``main``.

Exit codes: 0 success; 1 a Liaison error (the message says what and where);
2 bad command-line usage; 3 a match ran but not every partner dataset
answered (see the statuses in the output).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from liaison import __version__
from liaison.cli import (
    agreement_commands,
    audit_commands,
    commands,
    db_commands,
    followup_commands,
    key_commands,
    status_commands,
    tool_commands,
    user_commands,
    watch_commands,
)
from liaison.core.audit import EntryKind
from liaison.core.errors import LiaisonError
from liaison.core.logs import quiet_grpc_core
from liaison.node.input_files import PARSED_FORMATS

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


def _now() -> datetime:
    return datetime.now(UTC)


def build_parser() -> argparse.ArgumentParser:
    """Return the whole command tree."""
    parser = argparse.ArgumentParser(
        prog="liaison",
        description="Federated hit/no-hit matching between agencies (PSI over mutual-TLS gRPC).",
    )
    parser.add_argument("--version", action="version", version=f"liaison {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _pki_commands(sub)
    _broker_commands(sub)
    _node_commands(sub)
    _match_command(sub)
    watch_commands.add_watch_commands(sub)
    followup_commands.add_directory_commands(sub)
    followup_commands.add_followup_commands(sub)
    _audit_commands(sub)
    _keys_commands(sub)
    status_commands.add_health_command(sub)
    _demo_commands(sub)
    return parser


def _pki_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pki = sub.add_parser("pki", help="the federation certificate authority")
    pki_sub = pki.add_subparsers(dest="pki_command", required=True, metavar="ACTION")
    init = pki_sub.add_parser("init", help="create the federation CA (ca.pem, ca.key)")
    init.add_argument("--dir", required=True, type=Path, help="folder for the CA files")
    init.add_argument("--federation", required=True, help="name of the federation")
    init.set_defaults(handler=lambda a: commands.pki_init(a.dir, a.federation, now=_now()))
    issue = pki_sub.add_parser("issue", help="issue a certificate and key signed by the CA")
    issue.add_argument("--dir", required=True, type=Path, help="folder holding the CA")
    issue.add_argument("--name", required=True, help="agency code, or a broker/auditor name")
    issue.add_argument("--role", required=True, choices=["broker", "node", "auditor"])
    issue.add_argument(
        "--host", action="append", default=[], help="DNS name or IP the holder serves on"
    )
    issue.add_argument("--days", type=int, default=825, help="validity in days (default 825)")
    issue.set_defaults(
        handler=lambda a: commands.pki_issue(
            a.dir, a.name, a.role, hosts=a.host, days=a.days, now=_now()
        )
    )


def _broker_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    broker = sub.add_parser("broker", help="run the federation's broker")
    broker_sub = broker.add_subparsers(dest="broker_command", required=True, metavar="ACTION")
    init = broker_sub.add_parser(
        "init", help="write a ready broker.toml, master key and sealed audit key"
    )
    init.add_argument("--dir", required=True, type=Path, help="folder for broker.toml")
    init.add_argument("--federation", required=True, help="name of the federation")
    init.add_argument("--listen", default="127.0.0.1:7000", help="host:port (mTLS)")
    init.add_argument("--pki", required=True, type=Path, help="folder with ca.pem and NAME.pem")
    init.add_argument("--name", default="broker", help="certificate name (default: broker)")
    init.add_argument("--database", help="SQLAlchemy URL (default: broker.db beside the config)")
    init.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="AGENCY=HOST:PORT",
        help="an admitted agency and its federation endpoint (repeat)",
    )
    init.add_argument(
        "--purpose",
        action="append",
        default=[],
        help="a purpose the federation accepts (repeat; none: every query is refused)",
    )
    init.set_defaults(handler=commands.broker_init)
    serve = broker_sub.add_parser("serve", help="run the broker until SIGTERM/Ctrl-C")
    serve.add_argument("--config", required=True, type=Path)
    serve.add_argument(
        "--ready-file",
        type=Path,
        help="once serving, write the bound addresses here as JSON (for a config on port 0)",
    )
    serve.set_defaults(
        handler=lambda a: commands.broker_serve(a.config, a.ready_file, verbose=a.verbose)
    )
    agreement_commands.add_broker_list_commands(broker_sub)
    key_commands.add_broker_key_commands(broker_sub)
    db_commands.add_broker_db_commands(broker_sub)
    status_commands.add_broker_status_command(broker_sub)


def _node_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    node = sub.add_parser("node", help="run and feed an agency node")
    node_sub = node.add_subparsers(dest="node_command", required=True, metavar="ACTION")
    init = node_sub.add_parser(
        "init", help="write a ready node.toml and master key; seal the agency key"
    )
    init.add_argument("--agency", required=True, help="agency code (the certificate name)")
    init.add_argument("--dir", required=True, type=Path, help="folder for node.toml")
    init.add_argument(
        "--pki", required=True, type=Path, help="folder with ca.pem, AGENCY.pem and AGENCY.key"
    )
    init.add_argument("--federation-listen", default="127.0.0.1:7001", help="host:port (mTLS)")
    init.add_argument("--local-listen", default="127.0.0.1:7101", help="loopback host:port")
    init.add_argument("--broker", default="127.0.0.1:7000", help="broker host:port")
    init.add_argument("--database", help="SQLAlchemy URL (default: node.db beside the config)")
    init.add_argument(
        "--broker-audit-key",
        type=Path,
        help="the broker's audit.pub: answer only queries with a valid audit receipt",
    )
    init.add_argument(
        "--delete-plain-key",
        action="store_true",
        help="delete AGENCY.key from --pki once its sealed copy is written and opens",
    )
    init.set_defaults(handler=commands.node_init)
    serve = node_sub.add_parser("serve", help="run the node until SIGTERM/Ctrl-C")
    serve.add_argument("--config", required=True, type=Path)
    serve.add_argument(
        "--ready-file",
        type=Path,
        help="once serving, write the bound addresses here as JSON (for a config on port 0)",
    )
    serve.set_defaults(
        handler=lambda a: commands.node_serve(a.config, a.ready_file, verbose=a.verbose)
    )
    imp = node_sub.add_parser("import", help="import a file into a dataset (all rows or none)")
    imp.add_argument("--config", required=True, type=Path)
    imp.add_argument("--dataset", required=True, help="dataset name (created if new)")
    imp.add_argument("--file", required=True, type=Path, help="CSV, JSONL, FtM or a published list")
    imp.add_argument(
        "--format",
        choices=list(PARSED_FORMATS),
        help="default: from the suffix; ftm = FollowTheMoney entities (JSON lines),"
        " un = the UN Security Council consolidated list (XML), ofac-xml = OFAC's sdnList XML",
    )
    imp.add_argument(
        "--replace", action="store_true", help="make the dataset exactly the file's records"
    )
    imp.set_defaults(handler=commands.node_import)
    datasets = node_sub.add_parser("datasets", help="list the node's datasets")
    datasets.add_argument("--config", required=True, type=Path)
    datasets.add_argument("--json", action="store_true", help="machine-readable output")
    datasets.set_defaults(handler=commands.node_datasets)
    rotate = node_sub.add_parser(
        "rotate-key", help="move a dataset's PSI server key to a new epoch (old filters go dead)"
    )
    rotate.add_argument("--config", required=True, type=Path)
    rotate.add_argument("--dataset", required=True, help="dataset name")
    rotate.set_defaults(handler=commands.node_rotate_key)
    ledger = node_sub.add_parser("ledger", help="the node's own hash-chained query ledger")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True, metavar="ACTION")
    export = ledger_sub.add_parser("export", help="export the ledger for an auditor (JSON lines)")
    export.add_argument("--config", required=True, type=Path)
    export.add_argument("--out", type=Path, help="output file (default: standard output)")
    export.set_defaults(handler=audit_commands.ledger_export)
    key_commands.add_node_key_commands(node_sub)
    db_commands.add_node_db_commands(node_sub)
    status_commands.add_node_status_commands(node_sub)
    user_commands.add_user_commands(node_sub)
    agreement_commands.add_agreement_commands(node_sub)


def _match_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    match = sub.add_parser("match", help="run a federated match for a case")
    match.add_argument("--config", required=True, type=Path, help="your node's node.toml")
    match.add_argument("--case", required=True, help="case id (mandatory, logged)")
    match.add_argument("--purpose", required=True, help="purpose (mandatory, logged)")
    match.add_argument("--legal-basis", required=True, help="legal basis (mandatory, logged)")
    match.add_argument(
        "--file", required=True, type=Path, help="CSV, JSONL, FtM or a published list"
    )
    match.add_argument("--format", choices=list(PARSED_FORMATS), help="default: from the suffix")
    match.add_argument("--partners", default="", help="comma-separated agencies (default: all)")
    match.add_argument("--datasets", default="", help="comma-separated datasets (default: all)")
    match.add_argument(
        "--token-file",
        type=Path,
        help=f"your token from 'liaison node user add' (default: ${user_commands.TOKEN_ENV})",
    )
    match.add_argument(
        "--investigator",
        help="ignored: the node records the user the token belongs to",
    )
    match.add_argument(
        "--min-strength",
        choices=["exact", "strong", "fuzzy"],
        help="only keys and hits at least this strong (default: all)",
    )
    match.add_argument(
        "--count-only",
        action="store_true",
        help="learn only how many keys each partner dataset holds, never which",
    )
    match.add_argument(
        "--split",
        action="store_true",
        help="over the node's keys per query: send the rows as several queries of this case",
    )
    match.add_argument(
        "--explain", action="store_true", help="after the hits, say what each key kind means"
    )
    match.add_argument("--json", action="store_true", help="machine-readable output")
    match.set_defaults(handler=commands.match)


def _audit_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="review and verify the broker's audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    init = audit_sub.add_parser("init", help="write a ready auditor.toml")
    init.add_argument("--dir", required=True, type=Path, help="folder for auditor.toml")
    init.add_argument("--pki", required=True, type=Path, help="folder with ca.pem and NAME.pem")
    init.add_argument("--name", default="auditor", help="certificate name (default: auditor)")
    init.add_argument("--broker", required=True, help="broker host:port")
    init.add_argument("--broker-audit-key", required=True, type=Path, help="the broker's audit.pub")
    init.set_defaults(handler=audit_commands.audit_init)
    log = audit_sub.add_parser("log", help="list log entries")
    log.add_argument("--config", required=True, type=Path)
    log.add_argument("--since", help="first day, YYYY-MM-DD (UTC)")
    log.add_argument("--until", help="last day, YYYY-MM-DD (UTC)")
    log.add_argument("--agency", help="entries naming this agency")
    log.add_argument("--case", help="entries of this case id")
    log.add_argument(
        "--kind",
        action="append",
        choices=[kind.value for kind in EntryKind],
        metavar="KIND",
        help="entries of this kind (repeat): an entry kind of docs/audit.md; "
        "fishing_alert lists the budget and rate alerts",
    )
    formats = log.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true")
    formats.add_argument("--csv", action="store_true")
    log.set_defaults(handler=audit_commands.audit_log)
    verify = audit_sub.add_parser("verify", help="verify signatures, proofs, history, ledgers")
    verify.add_argument("--config", required=True, type=Path)
    verify.add_argument(
        "--ledger", action="append", default=[], type=Path, help="a node ledger export (repeat)"
    )
    verify.add_argument(
        "--peer-head",
        action="append",
        default=[],
        type=Path,
        help="a tree head another auditor verified ('liaison audit head'), to detect forks",
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=audit_commands.audit_verify)
    head = audit_sub.add_parser("head", help="print the last tree head this auditor verified")
    head.add_argument("--config", required=True, type=Path)
    head.set_defaults(handler=audit_commands.audit_head)
    report = audit_sub.add_parser("report", help="activity report of a period")
    report.add_argument("--config", required=True, type=Path)
    report.add_argument("--since", required=True, help="first day, YYYY-MM-DD (UTC)")
    report.add_argument("--until", required=True, help="last day, YYYY-MM-DD (UTC)")
    report.add_argument("--format", required=True, choices=["html", "csv", "json"])
    report.add_argument("--out", required=True, type=Path)
    report.add_argument(
        "--ledger", action="append", default=[], type=Path, help="node ledger exports (hit rates)"
    )
    report.set_defaults(handler=audit_commands.audit_report_command)


def _keys_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="the match-key specification")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    evaluate = keys_sub.add_parser(
        "evaluate",
        help="measure recall and false matches of the key spec on name pairs, "
        "next to a plaintext anchor's",
    )
    evaluate.add_argument("--pairs", required=True, type=Path, help="a file of labelled pairs")
    evaluate.add_argument(
        "--format",
        choices=["pairs", "yente", "nomenklatura", "variants", "cross-script", "tsv", "ofac-xml"],
        help="default: from the file name; ofac-xml = an OFAC list's aliases as queries",
    )
    evaluate.add_argument(
        "--key-spec", choices=["2", "3"], default="3", help="the key spec version (default: 3)"
    )
    evaluate.add_argument(
        "--population",
        type=int,
        default=20_000,
        help="synthetic people for the random-pair false-match rate (0: skip)",
    )
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate.set_defaults(handler=tool_commands.keys_evaluate)


def _demo_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data = sub.add_parser("demo-data", help="write seeded synthetic datasets and suspects")
    data.add_argument("--out", required=True, type=Path, help="output folder")
    data.add_argument("--seed", type=int, default=7)
    data.add_argument("--agencies", default="FR,NL,TR", help="comma-separated agency codes")
    data.add_argument("--persons", type=int, default=3000, help="persons per agency")
    data.set_defaults(handler=tool_commands.demo_data)
    demo = sub.add_parser("demo", help="run a local federation end to end and exit")
    demo.add_argument(
        "--workdir",
        type=Path,
        help="keep everything here (default: a temporary folder, removed once the demo passed)",
    )
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--persons", type=int, default=3000, help="persons per agency")
    demo.add_argument(
        "--console",
        action="store_true",
        help="also serve the requester's web console and keep running until Ctrl-C",
    )
    demo.set_defaults(handler=lambda a: tool_commands.demo(a, main))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    quiet_grpc_core()
    # Servers log their work as JSON (set up once their config is read, its
    # log_level); one-shot commands speak through their output.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code: int | None = args.handler(args)
    except LiaisonError as exc:
        print(f"liaison: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return EXIT_OK if code is None else code


def entry_point() -> None:
    """Console-script entry: exit with :func:`main`'s code."""
    sys.exit(main())


def usage_reference(width: int = 100) -> str:
    """Return the usage line of every command, as the README's CLI reference shows it."""
    lines: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        children = [
            action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
        ]
        if not children:
            formatter = argparse.HelpFormatter(parser.prog, width=width)
            formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
            lines.append(formatter.format_help().strip().removeprefix("usage: "))
            return
        for action in children:
            for child in action.choices.values():
                walk(child)

    walk(build_parser())
    return "\n".join(lines)
