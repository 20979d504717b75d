"""The ``liaison watch`` and ``liaison inbox`` commands: standing watches and notices.

Each command calls the local face of the investigator's node with the
user's token (``--token-file`` or ``$LIAISON_TOKEN``). ``watch add`` reads
its file with the very parser of ``liaison match`` (:func:`node.input_files.parse_file`),
so a bad file is refused the same way, naming each line and why. ``--json``
output follows the schema of ``docs/watches.md``.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import grpc

from liaison.cli.commands import split_list
from liaison.cli.user_commands import TOKEN_ENV, read_token
from liaison.core.errors import InvalidInput, Unreachable
from liaison.core.query import Justification
from liaison.node.config import NodeConfig, load_node_config
from liaison.node.input_files import parse_file
from liaison.node.notices import Notice
from liaison.node.watch_codec import (
    WatchRequest,
    WatchView,
    notice_from_proto,
    watch_from_proto,
    watch_hit_from_proto,
    watch_request_to_proto,
)
from liaison.node.watches import WatchHit
from liaison.v1 import node_pb2, node_pb2_grpc
from liaison.wire.bearer import with_bearer
from liaison.wire.credentials import channel_options
from liaison.wire.diagnosis import peer_error

Reply = TypeVar("Reply")


def add_watch_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``watch add|list|show|remove`` and ``inbox`` to the command tree."""
    watch = sub.add_parser("watch", help="standing watches: a case re-matched as partners update")
    watch_sub = watch.add_subparsers(dest="watch_command", required=True, metavar="ACTION")
    add = watch_sub.add_parser("add", help="register a watch (runs the match now, then on change)")
    _common(add)
    add.add_argument("--case", required=True, help="case id (mandatory, logged)")
    add.add_argument("--purpose", required=True, help="purpose (mandatory, logged)")
    add.add_argument("--legal-basis", required=True, help="legal basis (mandatory, logged)")
    add.add_argument("--file", required=True, type=Path, help="CSV or JSONL, as 'liaison match'")
    add.add_argument("--format", choices=["csv", "jsonl", "ftm"], help="default: from the suffix")
    add.add_argument("--partners", default="", help="comma-separated agencies (default: all)")
    add.add_argument(
        "--until", help="end: YYYY-MM-DD (the end of that UTC day) or an ISO time with zone"
    )
    add.set_defaults(handler=watch_add)
    listing = watch_sub.add_parser("list", help="your watches (an operator's: every watch)")
    _common(listing)
    listing.set_defaults(handler=watch_list)
    for name, handler, text in (
        ("show", watch_show, "one watch and the hits it reported"),
        ("remove", watch_remove, "end a watch (its owner or an operator)"),
    ):
        parser = watch_sub.add_parser(name, help=text)
        parser.add_argument("watch_id", metavar="ID", help="the watch id")
        _common(parser)
        parser.set_defaults(handler=handler)
    inbox = sub.add_parser("inbox", help="your notices (watch hits, ...); listing marks them read")
    _common(inbox)
    inbox.add_argument("--unread", action="store_true", help="only notices not read yet")
    inbox.set_defaults(handler=inbox_list)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, type=Path, help="your node's node.toml")
    parser.add_argument("--token-file", type=Path, help=f"your token (default: ${TOKEN_ENV})")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def parse_until(text: str) -> datetime:
    """Return the end of a watch: a day means the end of that UTC day.

    Raises:
        InvalidInput: neither a date nor an ISO time with a zone.
    """
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput("--until: expected YYYY-MM-DD or an ISO 8601 time") from None
    if when.utcoffset() is None:
        raise InvalidInput("--until: a time needs its zone (for example 2026-12-31T18:00Z)")
    return when.astimezone(UTC)


def watch_add(args: argparse.Namespace) -> None:
    """Register a watch from a query file and print its first run's hits."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    records = parse_file(args.file, args.format)
    request = WatchRequest(
        justification=Justification(args.case, args.purpose, args.legal_basis, ""),
        records=tuple(records),
        partners=split_list(args.partners),
        until=parse_until(args.until) if args.until else None,
    )
    reply = _call(config, token, lambda s: s.AddWatch, watch_request_to_proto(request))
    _print_watch(reply, as_json=args.json, heading="registered")


def watch_list(args: argparse.Namespace) -> None:
    """List the caller's watches."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    reply = _call(config, token, lambda s: s.ListWatches, node_pb2.ListWatchesRequest())
    watches = [watch_from_proto(w) for w in reply.watches]
    if args.json:
        print(json.dumps([watch_json(w) for w in watches], indent=2))
        return
    if not watches:
        print("no watches")
    for w in watches:
        print(
            f"{w.watch_id}  {w.state:<7}  case {w.case_id}  partners {_partners(w.partners)}  "
            f"runs {w.runs}  hits {w.hits}  until {_day(w.until)}  owner {w.owner}"
        )


def watch_show(args: argparse.Namespace) -> None:
    """Show one watch and its hits."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    request = node_pb2.WatchIdRequest(watch_id=args.watch_id)
    reply = _call(config, token, lambda s: s.ShowWatch, request)
    _print_watch(reply, as_json=args.json, heading="watch")


def watch_remove(args: argparse.Namespace) -> None:
    """End a watch."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    request = node_pb2.WatchIdRequest(watch_id=args.watch_id)
    reply = _call(config, token, lambda s: s.RemoveWatch, request)
    _print_watch(reply, as_json=args.json, heading="removed")


def inbox_list(args: argparse.Namespace) -> None:
    """List the caller's notices, newest first (they are marked read)."""
    config = load_node_config(args.config)
    token = read_token(args.token_file, os.environ)
    request = node_pb2.ListNoticesRequest(unread_only=args.unread)
    reply = _call(config, token, lambda s: s.ListNotices, request)
    notices = [notice_from_proto(n) for n in reply.notices]
    if args.json:
        print(json.dumps([notice_json(n) for n in notices], indent=2))
        return
    if not notices:
        print("no notices")
    for n in notices:
        flag = "new " if n.read_at is None else "    "
        print(f"{flag}{_time(n.created_at)}  {n.kind}  case {n.case_id}  {n.text}")


def watch_json(w: WatchView) -> dict[str, Any]:
    """A watch as the JSON object of docs/watches.md."""
    return {
        "watch_id": w.watch_id,
        "owner": w.owner,
        "case": w.case_id,
        "purpose": w.purpose,
        "legal_basis": w.legal_basis,
        "partners": list(w.partners),
        "state": w.state,
        "created": _time(w.created_at),
        "until": _time(w.until),
        "rows": w.rows,
        "keys": w.key_count,
        "runs": w.runs,
        "hits": w.hits,
        "last_run": _time(w.last_run_at),
        "last_query_id": w.last_query_id,
        "last_outcome": w.last_outcome,
        "ended": _time(w.ended_at),
        "ended_by": w.ended_by,
    }


def hit_json(h: WatchHit) -> dict[str, Any]:
    """A reported hit as a JSON object."""
    return {
        "partner": h.agency,
        "dataset": h.dataset,
        "row": h.row,
        "ref": h.ref,
        "keys": list(h.keys),
        "strength": h.strength.value,
        "query_id": h.query_id,
        "found": _time(h.found_at),
    }


def notice_json(n: Notice) -> dict[str, Any]:
    """A notice as a JSON object."""
    return {
        "id": n.notice_id,
        "kind": n.kind,
        "case": n.case_id,
        "reference": n.reference,
        "text": n.text,
        "created": _time(n.created_at),
        "read": _time(n.read_at),
    }


def _print_watch(reply: node_pb2.WatchReply, *, as_json: bool, heading: str) -> None:
    watch = watch_from_proto(reply.watch)
    hits = [watch_hit_from_proto(h) for h in reply.hits]
    if as_json:
        print(json.dumps(watch_json(watch) | {"hit_list": [hit_json(h) for h in hits]}, indent=2))
        return
    print(
        f"{heading} watch {watch.watch_id} ({watch.state}): case {watch.case_id}, "
        f"{watch.rows} rows, {watch.key_count} keys, partners {_partners(watch.partners)}, "
        f"until {_day(watch.until)}"
    )
    print(f"runs {watch.runs}, hits reported {watch.hits}; last: {watch.last_outcome or '-'}")
    for h in hits:
        print(f"  row {h.row} ({h.ref}): {h.agency}/{h.dataset} {h.strength}, query {h.query_id}")


def _call(
    config: NodeConfig,
    token: str,
    method: Callable[[node_pb2_grpc.NodeLocalStub], Callable[..., Reply]],
    request: object,
) -> Reply:
    with grpc.insecure_channel(config.local_listen, options=channel_options()) as channel:
        stub = node_pb2_grpc.NodeLocalStub(with_bearer(channel, token))
        try:
            return method(stub)(request, timeout=config.query_timeout_s + 10)
        except grpc.RpcError as exc:
            error = peer_error(exc, "the local node", config.local_listen)
            if isinstance(error, Unreachable):
                raise Unreachable(f"{error} (start it with 'liaison node serve')") from None
            raise error from None


def _partners(partners: Sequence[str]) -> str:
    return ",".join(partners) if partners else "all"


def _time(when: datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _day(when: datetime | None) -> str:
    return "no end" if when is None else _time(when) or ""
