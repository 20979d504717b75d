"""``liaison node agreement`` and ``liaison broker purpose|participant``: who may ask what.

Agreements live in the node's database and the federation's purposes and
participants in ``broker.toml``; both are read by the running services, so
every change here applies to the next query without a restart.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeAlias

from rich.console import Console
from rich.table import Table

from liaison.broker.config import edit_broker_config, load_broker_config
from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import InvalidInput, NotFound
from liaison.node.agreements import Agreement, AgreementMode
from liaison.node.config import load_node_config
from liaison.node.sql_agreements import SqlAgreementStore

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_agreement_commands(node_sub: Subparsers) -> None:
    """Add ``liaison node agreement add|list|remove``."""
    agreement = node_sub.add_parser("agreement", help="what each partner may ask (deny by default)")
    actions = agreement.add_subparsers(dest="agreement_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add or replace the agreement with a partner")
    add.add_argument("partner", metavar="PARTNER", help="the partner's agency code")
    add.add_argument("--config", required=True, type=Path, help="the node's node.toml")
    add.add_argument("--datasets", required=True, help="comma-separated datasets, or '*' for all")
    add.add_argument("--purposes", required=True, help="comma-separated purposes, or '*' for all")
    add.add_argument(
        "--mode",
        choices=["hits", "count"],
        default="hits",
        help="hits: which keys match; count: only how many (default: hits)",
    )
    add.add_argument("--max-keys-per-query", type=int, default=1_000, help="default 1000")
    add.add_argument(
        "--max-keys-per-day",
        type=int,
        default=10_000,
        help="daily key budget of the partner, UTC days (default 10000)",
    )
    add.add_argument("--queries-per-minute", type=int, default=10, help="default 10")
    add.add_argument("--expires", help="YYYY-MM-DD (00:00 UTC) or an ISO 8601 time with zone")
    add.add_argument(
        "--hit-notices",
        action="store_true",
        help="exchange hit notices with the partner (off by default; docs/followups.md)",
    )
    add.set_defaults(handler=agreement_add)
    listing = actions.add_parser("list", help="list the agreements and today's spending")
    listing.add_argument("--config", required=True, type=Path)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=agreement_list)
    remove = actions.add_parser("remove", help="remove the agreement with a partner")
    remove.add_argument("partner", metavar="PARTNER")
    remove.add_argument("--config", required=True, type=Path)
    remove.set_defaults(handler=agreement_remove)


def add_broker_list_commands(broker_sub: Subparsers) -> None:
    """Add ``liaison broker purpose add|list|remove`` and ``participant add|list|remove``."""
    purpose = broker_sub.add_parser("purpose", help="the purposes the federation accepts")
    actions = purpose.add_subparsers(dest="purpose_command", required=True, metavar="ACTION")
    for name, handler, text in (
        ("add", purpose_add, "accept a purpose"),
        ("remove", purpose_remove, "stop accepting a purpose"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("purpose", metavar="PURPOSE")
        action.add_argument("--config", required=True, type=Path, help="broker.toml")
        action.set_defaults(handler=handler)
    listing = actions.add_parser("list", help="list the accepted purposes")
    listing.add_argument("--config", required=True, type=Path, help="broker.toml")
    listing.set_defaults(handler=purpose_list)
    participant = broker_sub.add_parser("participant", help="the agencies admitted")
    actions = participant.add_subparsers(
        dest="participant_command", required=True, metavar="ACTION"
    )
    add = actions.add_parser("add", help="admit an agency (or change its endpoint)")
    add.add_argument("agency", metavar="AGENCY")
    add.add_argument("--endpoint", required=True, help="its node's federation host:port")
    add.add_argument("--contact", default="", help="who to call about it")
    add.add_argument("--config", required=True, type=Path, help="broker.toml")
    add.set_defaults(handler=participant_add)
    remove = actions.add_parser("remove", help="remove an agency: refused at once")
    remove.add_argument("agency", metavar="AGENCY")
    remove.add_argument("--config", required=True, type=Path, help="broker.toml")
    remove.set_defaults(handler=participant_remove)
    listing = actions.add_parser("list", help="list the admitted agencies")
    listing.add_argument("--config", required=True, type=Path, help="broker.toml")
    listing.set_defaults(handler=participant_list)


# --- node agreements ----------------------------------------------------------


def _items(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _expiry(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), UTC)
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("--expires: expected YYYY-MM-DD or an ISO 8601 time") from None
    if when.utcoffset() is None:
        raise InvalidInput("--expires: a time needs a zone (Z or +01:00)")
    return when.astimezone(UTC)


def _store(config_path: Path) -> SqlAgreementStore:
    return SqlAgreementStore(load_node_config(config_path).database)


def agreement_add(args: argparse.Namespace) -> None:
    """Add or replace the agreement with one partner."""
    agreement = Agreement(
        partner=args.partner,
        datasets=_items(args.datasets),
        purposes=_items(args.purposes),
        mode=AgreementMode(args.mode),
        max_keys_per_query=args.max_keys_per_query,
        max_keys_per_day=args.max_keys_per_day,
        queries_per_minute=args.queries_per_minute,
        expires_at=_expiry(args.expires),
        hit_notices=args.hit_notices,
    )
    with _store(args.config) as store:
        replaced = store.get(agreement.partner) is not None
        store.put(agreement)
    print(f"{'replaced' if replaced else 'added'} the agreement with {agreement.partner}")


def agreement_json(agreement: Agreement, keys_today: int) -> dict[str, Any]:
    """Return the JSON form of an agreement and what its partner spent today."""
    return {
        "partner": agreement.partner,
        "datasets": list(agreement.datasets),
        "purposes": list(agreement.purposes),
        "mode": agreement.mode.value,
        "max_keys_per_query": agreement.max_keys_per_query,
        "max_keys_per_day": agreement.max_keys_per_day,
        "queries_per_minute": agreement.queries_per_minute,
        "expires_at": agreement.expires_at.isoformat() if agreement.expires_at else None,
        "keys_today": keys_today,
        "hit_notices": agreement.hit_notices,
    }


def agreement_list(args: argparse.Namespace) -> None:
    """List the agreements with what each partner spent today."""
    now = datetime.now(UTC)
    with _store(args.config) as store:
        rows = [agreement_json(a, store.usage(a.partner, now=now).keys_today) for a in store.list()]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title="Agreements")
    columns = ("partner", "datasets", "purposes", "mode", "keys/query", "keys/day", "today",
               "queries/min", "expires", "hit notices")  # fmt: skip
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["partner"], ", ".join(row["datasets"]), ", ".join(row["purposes"]), row["mode"],
            str(row["max_keys_per_query"]), str(row["max_keys_per_day"]), str(row["keys_today"]),
            str(row["queries_per_minute"]), row["expires_at"] or "never",
            "yes" if row["hit_notices"] else "no",
        )  # fmt: skip
    Console().print(table if rows else "no agreement: every partner is refused")


def agreement_remove(args: argparse.Namespace) -> None:
    """Remove the agreement with one partner."""
    with _store(args.config) as store:
        if not store.remove(args.partner):
            raise NotFound("no agreement with that partner")
    print(f"removed the agreement with {args.partner}: its queries are refused from now on")


# --- broker purposes and participants -------------------------------------------


def _check_purpose(purpose: str) -> str:
    purpose = purpose.strip()
    if not purpose or len(purpose) > 128 or not purpose.isprintable():
        raise InvalidInput("a purpose is 1-128 printable characters")
    return purpose


def purpose_add(args: argparse.Namespace) -> None:
    """Accept one more purpose."""
    purpose = _check_purpose(args.purpose)

    def change(document: dict[str, Any]) -> None:
        broker = document.setdefault("broker", {})
        purposes = list(broker.get("purposes", []))
        if purpose not in purposes:
            purposes.append(purpose)
        broker["purposes"] = purposes

    config = edit_broker_config(args.config, change)
    print(f"the federation accepts {len(config.purposes)} purpose(s)")


def purpose_remove(args: argparse.Namespace) -> None:
    """Stop accepting one purpose."""
    purpose = _check_purpose(args.purpose)

    def change(document: dict[str, Any]) -> None:
        broker = document.setdefault("broker", {})
        purposes = list(broker.get("purposes", []))
        if purpose not in purposes:
            raise NotFound("the federation does not accept that purpose")
        broker["purposes"] = [p for p in purposes if p != purpose]

    config = edit_broker_config(args.config, change)
    print(f"the federation accepts {len(config.purposes)} purpose(s)")


def purpose_list(args: argparse.Namespace) -> None:
    """List the accepted purposes, one a line."""
    purposes = load_broker_config(args.config).purposes
    for purpose in purposes:
        print(purpose)
    if not purposes:
        print("no purpose accepted: every query is refused", flush=True)


def participant_add(args: argparse.Namespace) -> None:
    """Admit an agency, or change its endpoint or contact."""
    if not NAME_PATTERN.match(args.agency):
        raise InvalidInput("not a valid agency code")
    entry = {"agency": args.agency, "endpoint": args.endpoint}
    if args.contact:
        entry["contact"] = args.contact

    def change(document: dict[str, Any]) -> None:
        kept = [p for p in document.get("participants", []) if p.get("agency") != args.agency]
        document["participants"] = [*kept, entry]

    config = edit_broker_config(args.config, change)
    print(f"admitted {args.agency}; {len(config.participants)} participant(s)")


def participant_remove(args: argparse.Namespace) -> None:
    """Remove an agency: the broker refuses it at its next re-read (within a second)."""

    def change(document: dict[str, Any]) -> None:
        participants = list(document.get("participants", []))
        kept = [p for p in participants if p.get("agency") != args.agency]
        if len(kept) == len(participants):
            raise NotFound("no such participant")
        document["participants"] = kept

    config = edit_broker_config(args.config, change)
    print(f"removed {args.agency}; {len(config.participants)} participant(s)")


def participant_list(args: argparse.Namespace) -> None:
    """List the admitted agencies."""
    table = Table(title="Participants")
    for column in ("agency", "endpoint", "contact"):
        table.add_column(column)
    for participant in load_broker_config(args.config).participants:
        table.add_row(participant.agency, participant.endpoint, participant.contact)
    Console().print(table)
