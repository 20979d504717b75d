"""How the CLI shows results: readable tables, and JSON with a documented schema.

The JSON of ``liaison match --json`` (schema version 1, see README):
``{"schema": 1, "query_id", "key_count", "count_only", "results": [{"agency",
"dataset", "status", "reason", "filter_version", "match_count", "hits": [{"row",
"ref", "keys"}]}]}``; with ``count_only`` every ``hits`` is empty and
``match_count`` is all a partner dataset said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from liaison.core.answers import PartnerStatus
from liaison.core.records import Record
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
                "hits": [
                    {"row": h.row, "ref": h.ref, "keys": list(h.keys), "strength": h.strength.value}
                    for h in r.hits
                ],
            }
            for r in result.results
        ],
    }


def print_match(
    result: MatchResult, records: Sequence[Record], console: Console | None = None
) -> None:
    """Print, per input row, which partner dataset matched and through which keys."""
    console = console or Console()
    if result.count_only:
        print_counts(result, records, console)
        return
    by_row: dict[int, list[tuple[str, str, str, tuple[str, ...]]]] = defaultdict(list)
    for partner in result.results:
        for hit in partner.hits:
            by_row[hit.row].append((partner.agency, partner.dataset, hit.strength.value, hit.keys))
    console.print(f"query {result.query_id}: {len(records)} rows, {result.key_count} keys")
    hits = Table(title="Hits", show_lines=False)
    for column in ("row", "ref", "partner", "dataset", "strength", "matched on"):
        hits.add_column(column)
    for row in sorted(by_row):
        for agency, dataset, strength, keys in sorted(by_row[row]):
            hits.add_row(str(row), records[row].ref, agency, dataset, strength, ", ".join(keys))
    if by_row:
        console.print(hits)
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
