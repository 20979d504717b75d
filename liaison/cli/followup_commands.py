"""``liaison directory`` and ``liaison followup``: step two, from a hit to an exchange.

Every command talks to the user's own node over its local face, with the
user's token (``--token-file`` or ``LIAISON_TOKEN``): investigators ask and
read their sent box (``request``, ``status``, ``show``), officers work the
inbox (``inbox``, ``show``, ``answer``, ``notices``). ``--json`` prints the
documented objects of ``docs/followups.md`` ("CLI output").
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import grpc
from google.protobuf.message import Message
from rich.console import Console
from rich.table import Table

from liaison.cli.commands import split_list
from liaison.cli.user_commands import read_token
from liaison.core.errors import PartnerUnavailable, Unreachable
from liaison.node.config import load_node_config
from liaison.node.followup_model import HANDLING_CODES, parse_deadline
from liaison.v1 import node_pb2, node_pb2_grpc
from liaison.wire.bearer import with_bearer
from liaison.wire.credentials import channel_options
from liaison.wire.status import error_from_rpc

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Reply = TypeVar("Reply", bound=Message)


def _common(parser: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    parser.add_argument("--config", required=True, type=Path, help="your node's node.toml")
    parser.add_argument("--token-file", type=Path, help="your token (default: $LIAISON_TOKEN)")
    if json_output:
        parser.add_argument("--json", action="store_true", help="machine-readable output")


def add_directory_commands(sub: Subparsers) -> None:
    """Add ``directory list``."""
    directory = sub.add_parser("directory", help="the federation's signed contact points")
    actions = directory.add_subparsers(dest="directory_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="verified contact points per agency")
    _common(listing)
    listing.add_argument("--agency", default="", help="only this agency")
    listing.set_defaults(handler=directory_list)


def add_followup_commands(sub: Subparsers) -> None:
    """Add ``followup request|status|inbox|show|answer|notices``."""
    followup = sub.add_parser("followup", help="ask about a hit; answer as the data owner")
    actions = followup.add_subparsers(dest="followup_command", required=True, metavar="ACTION")
    request = actions.add_parser("request", help="ask a partner about one hit row (investigator)")
    _common(request)
    request.add_argument("--query", required=True, help="the query id of the match")
    request.add_argument("--partner", required=True, help="the partner that had the hit")
    request.add_argument("--dataset", default="", help="needed if the row hit several datasets")
    request.add_argument("--row", required=True, type=int, help="the hit's row (0-based)")
    request.add_argument("--message", required=True, help="what you ask, for the officer")
    request.add_argument("--deadline", default="48h", help="time to answer: 30m, 48h, 3d")
    request.set_defaults(handler=followup_request)
    for name, box, text in (
        ("status", "sent", "your follow-ups and their replies (investigator)"),
        ("inbox", "inbox", "follow-ups to answer (officer)"),
    ):
        listing = actions.add_parser(name, help=text)
        _common(listing)
        listing.set_defaults(handler=lambda a, box=box: followup_list(a, box))
    show = actions.add_parser("show", help="one follow-up: records (officer) or reply")
    show.add_argument("id", metavar="ID")
    _common(show)
    show.set_defaults(handler=followup_show)
    answer = actions.add_parser("answer", help="approve chosen fields, or refuse (officer)")
    answer.add_argument("id", metavar="ID")
    _common(answer)
    decision = answer.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true", help="release --fields")
    decision.add_argument("--refuse", action="store_true", help="release nothing (--reason)")
    answer.add_argument("--fields", default="", help="comma-separated columns to release")
    answer.add_argument("--handling", choices=sorted(HANDLING_CODES), help="handling code")
    answer.add_argument("--note", default="", help="for the requester")
    answer.add_argument("--reason", default="", help="why it is refused")
    answer.set_defaults(handler=followup_answer)
    notices = actions.add_parser("notices", help="hit notices from requesters (officer)")
    _common(notices)
    notices.set_defaults(handler=followup_notices)


def _call(
    args: argparse.Namespace, method: Callable[[node_pb2_grpc.NodeLocalStub], Reply]
) -> Reply:
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            return method(stub)
        except grpc.RpcError as exc:
            error = error_from_rpc(exc)
            if isinstance(error, Unreachable):
                raise PartnerUnavailable(
                    f"the local node at {config.local_listen} did not answer "
                    f"(is 'liaison node serve' running?): {error}"
                ) from None
            raise error from None


def _time(ms: int) -> str:
    if not ms:
        return ""
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")


def contact_json(contact: node_pb2.ContactPoint) -> dict[str, Any]:
    """Return the JSON form of a contact point."""
    return {
        "category": contact.category,
        "unit": contact.unit,
        "role": contact.role,
        "phone": contact.phone,
        "email": contact.email,
        "languages": list(contact.languages),
        "hours": contact.hours,
        "time_zone": contact.time_zone,
    }


def contact_text(contact: node_pb2.ContactPoint) -> str:
    """Return a contact point on one line."""
    parts = [contact.unit, contact.role, contact.phone, contact.email]
    if contact.hours:
        parts.append(f"{contact.hours} {contact.time_zone}".strip())
    return ", ".join(p for p in parts if p)


def directory_list(args: argparse.Namespace) -> None:
    """List the verified directory entries."""
    reply = _call(
        args,
        lambda s: s.ListDirectory(node_pb2.ListDirectoryRequest(agency=args.agency), timeout=30),
    )
    if args.json:
        entries = [
            {
                "agency": e.agency,
                "verified": e.verified,
                "problem": e.problem,
                "published_at": _time(e.published_at_ms),
                "key_fingerprint": e.key_fingerprint,
                "contacts": [contact_json(c) for c in e.contacts],
            }
            for e in reply.entries
        ]
        print(json.dumps(entries, indent=2))
        return
    table = Table(title="Directory (signed by each agency)")
    for column in ("agency", "category", "contact", "languages", "verified"):
        table.add_column(column)
    for e in reply.entries:
        if not e.verified:
            table.add_row(e.agency, "", e.problem, "", "no", style="bold red")
        for c in e.contacts:
            table.add_row(e.agency, c.category, contact_text(c), ",".join(c.languages), "yes")
    Console().print(table)


def view_json(view: node_pb2.FollowupView) -> dict[str, Any]:
    """Return the documented JSON form of a follow-up."""

    def records(items: Any) -> list[dict[str, Any]]:
        return [
            {
                "dataset": r.dataset,
                "ref": r.ref,
                "fields": [
                    {"name": f.name, "value": f.value, "source": f.source} for f in r.fields
                ],
            }
            for r in items
        ]

    return {
        "id": view.id,
        "direction": view.direction,
        "query_id": view.query_id,
        "partner": view.partner,
        "dataset": view.dataset,
        "row": view.row,
        "row_ref": view.row_ref,
        "state": view.state,
        "overdue": view.overdue,
        "investigator": view.investigator,
        "message": view.message,
        "created_at": _time(view.created_ms),
        "deadline": _time(view.deadline_ms),
        "answered_at": _time(view.answered_ms) or None,
        "officer": view.officer,
        "handling": view.handling,
        "note": view.note,
        "reason": view.reason,
        "asked": records([view.asked])[0],
        "records": records(view.records),
        "released": records(view.released),
    }


def _print_view(view: node_pb2.FollowupView) -> None:
    console = Console()
    overdue = " [bold red]OVERDUE[/]" if view.overdue else ""
    console.print(
        f"follow-up {view.id} ({view.direction}): {view.state}{overdue}\n"
        f"  query {view.query_id}, partner {view.partner}, dataset {view.dataset}, "
        f"row {view.row} ({view.row_ref})\n"
        f"  asked by {view.investigator} at {_time(view.created_ms)}, "
        f"deadline {_time(view.deadline_ms)}\n"
        f"  message: {view.message}",
        markup=True,
        highlight=False,
    )
    if view.answered_ms:
        handling = f" {view.handling} ({HANDLING_CODES.get(view.handling, '')})"
        console.print(
            f"  answered by {view.officer} at {_time(view.answered_ms)}"
            + (handling if view.handling else "")
            + (f"\n  note: {view.note}" if view.note else "")
            + (f"\n  reason: {view.reason}" if view.reason else ""),
            highlight=False,
        )
    elif view.reason:
        console.print(f"  reason: {view.reason}", highlight=False)
    # The officer compares what was asked about with its own records.
    asked = ("Asked about (the requester's identifiers)", [view.asked] if view.records else [])
    matched = ("Matched records", view.records)
    for title, items in (asked, matched, ("Released", view.released)):
        if not items:
            continue
        table = Table(title=title)
        for column in ("record", "field", "value", ""):
            table.add_column(column)
        for record in items:
            for f in record.fields:
                mark = "SOURCE: never released" if f.source else ""
                table.add_row(record.ref, f.name, f.value, mark, style="dim" if f.source else "")
        console.print(table)


def followup_request(args: argparse.Namespace) -> None:
    """Ask a partner about one hit row."""
    deadline = parse_deadline(args.deadline)
    request = node_pb2.RequestFollowupRequest(
        query_id=args.query,
        partner=args.partner,
        dataset=args.dataset,
        row=args.row,
        message=args.message,
        deadline_s=int(deadline.total_seconds()),
    )
    view = _call(args, lambda s: s.RequestFollowup(request, timeout=60))
    if args.json:
        print(json.dumps(view_json(view), indent=2))
    else:
        _print_view(view)


def followup_list(args: argparse.Namespace, box: str) -> None:
    """List the sent box (status) or the inbox."""
    reply = _call(
        args, lambda s: s.ListFollowups(node_pb2.ListFollowupsRequest(box=box), timeout=60)
    )
    if args.json:
        print(json.dumps([view_json(v) for v in reply.followups], indent=2))
        return
    table = Table(title="Follow-ups received" if box == "inbox" else "Follow-ups sent")
    table.add_column("id", no_wrap=True, min_width=32)
    for column in ("partner", "row", "state", "deadline", "handling"):
        table.add_column(column)
    for v in reply.followups:
        state = v.state + (" OVERDUE" if v.overdue else "")
        table.add_row(
            v.id, v.partner, str(v.row), state, _time(v.deadline_ms)[:16], v.handling,
            style="bold red" if v.overdue else "",
        )  # fmt: skip
    Console().print(table)


def followup_show(args: argparse.Namespace) -> None:
    """Show one follow-up."""
    view = _call(
        args, lambda s: s.ShowFollowup(node_pb2.ShowFollowupRequest(id=args.id), timeout=60)
    )
    if args.json:
        print(json.dumps(view_json(view), indent=2))
    else:
        _print_view(view)


def followup_answer(args: argparse.Namespace) -> None:
    """Approve or refuse a received follow-up."""
    request = node_pb2.AnswerFollowupRequest(
        id=args.id,
        approve=args.approve,
        fields=split_list(args.fields),
        handling=args.handling or "",
        note=args.note,
        reason=args.reason,
    )
    view = _call(args, lambda s: s.AnswerFollowup(request, timeout=60))
    if args.json:
        print(json.dumps(view_json(view), indent=2))
    else:
        print(f"follow-up {view.id}: {view.state}; the reply went to {view.partner}")


def followup_notices(args: argparse.Namespace) -> None:
    """List the hit notices received."""
    reply = _call(args, lambda s: s.ListHitNotices(node_pb2.ListHitNoticesRequest(), timeout=60))
    rows: list[dict[str, Any]] = [
        {
            "id": n.id,
            "requester": n.requester,
            "query_id": n.query_id,
            "dataset": n.dataset,
            "refs": list(n.refs),
            "received_at": _time(n.received_ms),
        }
        for n in reply.notices
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="Hit notices")
    for column in ("received", "requester", "query", "dataset", "your records"):
        table.add_column(column)
    for row in rows:
        cells = [row["received_at"], row["requester"], row["query_id"], row["dataset"]]
        table.add_row(*[str(c) for c in cells], ", ".join(row["refs"]))  # fmt: skip
    Console().print(table)
