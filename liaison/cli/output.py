"""How the CLI shows results: readable tables, and JSON with a documented schema.

The JSON of ``liaison match --json`` (schema version 1, see README):
``{"schema": 1, "query_id", "key_count", "count_only", "results": [{"agency",
"dataset", "status", "reason", "filter_version", "match_count", "contact",
"hits": [{"row", "ref", "keys", "strength", "contact", "reference"}]}]}``;
with ``count_only`` every ``hits`` is empty and ``match_count`` is all a
partner dataset said. ``contact`` is whom to call at the partner about that
dataset (its signed directory entry; null if it published none) and
``reference`` the query id to quote in the follow-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from liaison.core.answers import PartnerStatus
from liaison.core.records import Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.model import MatchResult
from liaison.node.store import DatasetInfo, KeyEpoch

MATCH_JSON_SCHEMA = 1


def match_json(result: MatchResult) -> dict[str, Any]:
    """Return the documented JSON form of a match result."""
    return {
        "schema": MATCH_JSON_SCHEMA,
        "query_id": result.query_id,
        "key_count": result.key_count,
        "count_only": result.count_only,
        "results": [
            {
                "agency": r.agency,
                "dataset": r.dataset,
                "status": r.status.value,
                "reason": r.reason,
                "filter_version": r.filter_version,
                "match_count": r.match_count,
                "contact": _contact_json(r.contact),
                "hits": [
                    {
                        "row": h.row,
                        "ref": h.ref,
                        "keys": list(h.keys),
                        "strength": h.strength.value,
                        "contact": _contact_json(r.contact),
                        "reference": result.query_id,
                    }
                    for h in r.hits
                ],
            }
            for r in result.results
        ],
    }


def _contact_json(contact: ContactPoint | None) -> dict[str, Any] | None:
    if contact is None:
        return None
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


def contact_line(contact: ContactPoint | None) -> str:
    """Whom to contact, on one line (or a dash when the partner published no contact)."""
    if contact is None:
        return "-"
    parts = [contact.unit, contact.phone, contact.email]
    if contact.hours:
        parts.append(f"{contact.hours} {contact.time_zone}".strip())
    return ", ".join(p for p in parts if p)


def print_match(
    result: MatchResult, records: Sequence[Record], console: Console | None = None
) -> None:
    """Print, per input row, which partner dataset matched and through which keys."""
    console = console or Console()
    if result.count_only:
        print_counts(result, records, console)
        return
    by_row: dict[int, list[tuple[str, str, str, tuple[str, ...], str]]] = defaultdict(list)
    for partner in result.results:
        for hit in partner.hits:
            by_row[hit.row].append(
                (
                    partner.agency,
                    partner.dataset,
                    hit.strength.value,
                    hit.keys,
                    partner.contact.unit if partner.contact else "-",
                )
            )
    console.print(f"query {result.query_id}: {len(records)} rows, {result.key_count} keys")
    hits = Table(title="Hits", show_lines=False)
    for column in ("row", "ref", "partner", "dataset", "strength", "matched on", "contact"):
        hits.add_column(column)
    for row in sorted(by_row):
        for agency, dataset, strength, keys, contact in sorted(by_row[row]):
            hits.add_row(
                str(row), records[row].ref, agency, dataset, strength, ", ".join(keys), contact
            )
    if by_row:
        console.print(hits)
        print_contacts(result, console)
        console.print(
            f"reference for follow-ups: {result.query_id} (liaison followup request "
            f"--query {result.query_id} --partner P --row N --message ...)",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"{len(by_row)} of {len(records)} rows matched at least one partner")
    statuses = Table(title="Partners")
    for column in ("partner", "dataset", "status", "version", "rows hit", "reason"):
        statuses.add_column(column)
    for partner in result.results:
        style = "" if partner.status is PartnerStatus.OK else "bold red"
        statuses.add_row(
            partner.agency,
            partner.dataset,
            partner.status.value,
            str(partner.filter_version) if partner.status is PartnerStatus.OK else "",
            str(len(partner.hits)),
            partner.reason,
            style=style,
        )
    console.print(statuses)


def print_contacts(result: MatchResult, console: Console) -> None:
    """Print whom to contact at each partner dataset that had a hit (signed directory)."""
    table = Table(title="Whom to contact (quote the query id)")
    for column in ("partner", "dataset", "contact", "languages", "reference"):
        table.add_column(column)
    for partner in result.results:
        if partner.hits:
            languages = ",".join(partner.contact.languages) if partner.contact else ""
            table.add_row(
                partner.agency,
                partner.dataset,
                contact_line(partner.contact),
                languages,
                result.query_id,
            )
    console.print(table)


def print_counts(result: MatchResult, records: Sequence[Record], console: Console) -> None:
    """Print a count-only match: per partner dataset, how many of the keys it holds."""
    console.print(
        f"query {result.query_id}: {len(records)} rows, {result.key_count} keys (count only)"
    )
    table = Table(title="Counts")
    for column in ("partner", "dataset", "status", "version", "matching keys", "reason"):
        table.add_column(column)
    for partner in result.results:
        ok = partner.status is PartnerStatus.OK
        table.add_row(
            partner.agency,
            partner.dataset,
            partner.status.value,
            str(partner.filter_version) if ok else "",
            str(partner.match_count) if ok else "",
            partner.reason,
            style="" if ok else "bold red",
        )
    console.print(table)


def dataset_json(info: DatasetInfo, epoch: KeyEpoch | None = None) -> dict[str, Any]:
    """Return the JSON form of a dataset summary (with its current key epoch, if given)."""
    document: dict[str, Any] = {
        "name": info.name,
        "records": info.records,
        "keys": info.keys,
        "version": info.version,
        "updated_at": info.updated_at.isoformat(),
    }
    if epoch is not None:
        document["key_epoch"] = epoch.epoch
        document["key_epoch_started_at"] = epoch.started_at.isoformat()
        document["key_epoch_reason"] = epoch.reason
    return document


def print_datasets(
    infos: Sequence[DatasetInfo],
    console: Console | None = None,
    *,
    epochs: Mapping[str, KeyEpoch] | None = None,
) -> None:
    """Print the node's datasets (and each one's current key epoch, if given)."""
    console = console or Console()
    table = Table(title="Datasets")
    columns = ["name", "records", "keys", "version", "updated"]
    if epochs is not None:
        columns += ["key epoch", "since"]
    for column in columns:
        table.add_column(column)
    for info in infos:
        cells = [
            info.name,
            str(info.records),
            str(info.keys),
            str(info.version),
            info.updated_at.isoformat(timespec="seconds"),
        ]
        if epochs is not None:
            epoch = epochs[info.name]
            cells += [f"{epoch.epoch} ({epoch.reason})", epoch.started_at.isoformat("T", "seconds")]
        table.add_row(*cells)
    console.print(table)
