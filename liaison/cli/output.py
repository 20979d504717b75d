"""How the CLI shows results: readable tables, and JSON with a documented schema.

The JSON of ``liaison match --json`` (schema version 1, see README):
``{"schema": 1, "query_id", "query_ids", "key_count", "count_only", "results":
[{"agency", "dataset", "status", "reason", "filter_version", "match_count",
"contact", "hits": [{"row", "line", "ref", "keys", "strength", "contact",
"reference"}]}]}``; ``query_ids`` lists every query a split match was sent as,
``line`` is the hit's line in the query file; with ``count_only`` every
``hits`` is empty and ``match_count`` is all a partner dataset said.
``contact`` is whom to call at the partner about that dataset (its signed
directory entry; null if it published none) and ``reference`` the query id
to quote in the follow-up.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from liaison.cli import explain
from liaison.core.answers import PartnerStatus
from liaison.core.records import Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.model import MatchResult, PartnerResult
from liaison.node.store import DatasetInfo, KeyEpoch

MATCH_JSON_SCHEMA = 1


def match_json(result: MatchResult, lines: Sequence[int] | None = None) -> dict[str, Any]:
    """Return the documented JSON form of a match result (with file lines, if known)."""
    return {
        "schema": MATCH_JSON_SCHEMA,
        "query_id": result.query_id,
        "query_ids": list(result.query_ids),
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
                        "line": lines[h.row] if lines is not None else None,
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


WIDTH = 80
"""Columns the hit lines fit in."""

_HIT_HEADER = ("line", "ref", "name", "strength", "matched on")
#: Columns that shrink when a line would pass WIDTH: (least width, weight).
#: The widest for its weight gives way first, so what matched keeps the most
#: room, then the name, then the ref.
_SHRINKING = {1: (6, 0.5), 2: (10, 1.0), 4: (16, 2.5)}


def hit_lines(
    result: MatchResult, records: Sequence[Record], lines: Sequence[int] | None = None
) -> list[str]:
    """Per partner dataset with hits, a heading then one line per hit of at most :data:`WIDTH`.

    Each line names the file line (or the row number when lines are not
    known), the ref and name from the query file, the strength and the labels
    of what matched (:mod:`liaison.cli.explain`); every column is as wide as
    its longest cell, the name and ref cut short (with "…") when the line
    would pass the width.
    """
    header = _HIT_HEADER if lines is not None else ("row", *_HIT_HEADER[1:])
    tables: list[tuple[PartnerResult, list[tuple[str, ...]]]] = []
    for partner in result.results:
        table: list[tuple[str, ...]] = [
            (
                str(lines[hit.row] if lines is not None else hit.row + 1),
                records[hit.row].ref,
                records[hit.row].full_name,
                hit.strength.value,
                explain.labels(hit.keys),
            )
            for hit in sorted(partner.hits, key=lambda hit: hit.row)
        ]
        if table:
            tables.append((partner, table))
    # One set of widths for every table, so the columns line up down the page.
    widths = _fit([header, *(row for _, table in tables for row in table)])
    out: list[str] = []
    for partner, hits in tables:
        rows = "row" if len(hits) == 1 else "rows"
        contact = f"; contact: {partner.contact.unit}" if partner.contact else ""
        out.append(
            f"{partner.agency}/{partner.dataset} (version {partner.filter_version}):"
            f" {len(hits)} {rows} hit{contact}"
        )
        out.extend(_line(cells, widths) for cells in [header, *hits])
    return out


def _fit(rows: Sequence[tuple[str, ...]]) -> list[int]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    while sum(widths) + len(widths) - 1 > WIDTH:
        shrinkable = [c for c, (least, _) in _SHRINKING.items() if widths[c] > least]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda c: widths[c] / _SHRINKING[c][1])
        widths[widest] -= 1
    return widths


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    fitted = [
        cell if len(cell) <= width else cell[: width - 1] + "…"
        for cell, width in zip(cells, widths, strict=True)
    ]
    first = fitted[0].rjust(widths[0])
    rest = [cell.ljust(width) for cell, width in zip(fitted[1:], widths[1:], strict=True)]
    return " ".join([first, *rest]).rstrip()


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
    result: MatchResult,
    records: Sequence[Record],
    console: Console | None = None,
    *,
    lines: Sequence[int] | None = None,
    explain_kinds: bool = False,
) -> None:
    """Print, per hit, the file line, ref, name, partner dataset and what matched."""
    console = console or Console()
    if result.count_only:
        print_counts(result, records, console)
        return
    say = _plain(console)
    say(f"query {result.query_id}: {len(records)} rows, {result.key_count} keys")
    if len(result.query_ids) > 1:
        say(f"sent as {len(result.query_ids)} queries under this case:")
        for number, query_id in enumerate(result.query_ids, start=1):
            say(f"  part {number}: {query_id}")
    rows_hit = {hit.row for partner in result.results for hit in partner.hits}
    if rows_hit:
        for text in hit_lines(result, records, lines):
            say(text)
        print_contacts(result, console)
        say(f"reference for follow-ups: {result.query_id}")
        say("  (liaison followup request --query REFERENCE --partner P --row R ...;")
        say("  R: the hit's row, 0-based, as 'row' in --json)")
    say(f"{len(rows_hit)} of {len(records)} rows matched at least one partner")
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
    if explain_kinds:
        for text in explain.legend(WIDTH):
            say(text)


def _plain(console: Console) -> Callable[[str], None]:
    """Print text as it is: no markup, no highlighting, no wrapping (names may hold '[')."""

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True, emoji=False)

    return say


def print_contacts(result: MatchResult, console: Console) -> None:
    """Print whom to contact at each partner dataset that had a hit (signed directory).

    One entry per partner dataset, wrapped at :data:`WIDTH` columns.
    """
    say = _plain(console)
    for partner in result.results:
        if partner.hits:
            languages = f" ({','.join(partner.contact.languages)})" if partner.contact else ""
            text = (
                f"contact at {partner.agency}/{partner.dataset}: "
                f"{contact_line(partner.contact)}{languages}"
            )
            for line in textwrap.wrap(text, WIDTH, subsequent_indent="  "):
                say(line)


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
