"""The bench's inputs: queries of an exact key count, and a 1% change of a dataset."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.crypto.keys import derive_keys_v2
from liaison.tools.demo_data import Federation

REQUESTER = "FR"


def justification() -> Justification:
    """The bench investigator's case."""
    return Justification("BENCH-1", "counter-terrorism", "bench", "investigator@fr")


def _single_identifiers(record: Record) -> Iterator[Record]:
    """One row per identifier of ``record`` (no name: a name gives a dozen keys)."""
    documents = zip(record.document_numbers, record.document_countries, strict=False)
    for number, country in documents:
        yield Record(ref="", document_numbers=(number,), document_countries=(country,))
    for name in ("national_ids", "phones", "emails", "ibans", "wallets"):
        for value in getattr(record, name):
            fields: dict[str, Any] = {name: (value,)}
            yield Record(ref="", **fields)


def pick_rows(data: Federation, keys: int, *, seed: int) -> tuple[Record, ...]:
    """Rows of exactly ``keys`` distinct match keys: half from partners (hits), half not.

    ``seed`` moves where the rows are taken from, so that queries differ.
    """
    partners = [a for a in data.datasets if a != REQUESTER]
    sources: list[Sequence[Record]] = [data.datasets[a] for a in partners]
    misses = data.datasets[REQUESTER]
    rows: list[Record] = []
    seen: set[str] = set()
    position = (seed * 7919) % max(1, min(len(s) for s in sources))
    for _ in range(10 * sum(len(s) for s in sources) + len(misses)):
        if len(seen) == keys:
            return tuple(rows)
        pool = sources[position % len(sources)] if len(seen) < keys // 2 else misses
        record = pool[position % len(pool)]
        for row in _single_identifiers(record):
            derived = {k.value for k in derive_keys_v2(row)} - seen
            if derived and len(seen) + len(derived) <= keys:
                seen |= derived
                rows.append(dataclasses.replace(row, ref=f"q-{len(rows)}"))
        position += 1
    raise ValueError(f"the data holds fewer than {keys} distinct identifier keys")


def incremental_change(records: Sequence[Record], spare: Sequence[Record]) -> list[Record]:
    """``records`` with 1% changed: 0.5% updated, 0.25% deleted, 0.25% inserted from ``spare``."""
    size = len(records)
    updated, deleted = max(1, size // 200), max(1, size // 400)
    changed = [
        dataclasses.replace(r, phones=(*r.phones, f"+3168{i:07d}")) if i < updated else r
        for i, r in enumerate(records[: size - deleted])
    ]
    inserted = [dataclasses.replace(r, ref=f"new-{i}") for i, r in enumerate(spare[:deleted])]
    return changed + inserted
