"""Bulk queries: rows over the per-query key budget as several queries, one result.

A node sends at most ``max_keys_per_query`` distinct keys in one query. A
longer file is refused with the remedy (:func:`over_budget`), or, when the
investigator asked for it (``liaison match --split``), cut into parts of
consecutive rows, each within the budget (:func:`plan_parts`), sent as
ordinary queries under the same case (each signed, audited, counted against
the partners' budgets), whose answers are then combined into one result
(:func:`combine`).
"""

from __future__ import annotations

from collections.abc import Sequence

from liaison.core.answers import PartnerStatus
from liaison.core.errors import QuotaExceeded
from liaison.node.model import MatchResult, PartnerResult

SPLIT_FLAG = "--split"
"""The ``liaison match`` flag that sends a long file as several queries."""


def rows_that_fit(keys_of_rows: Sequence[set[str]], max_keys: int) -> tuple[int, int]:
    """How many leading rows fit in one query, and how many keys they give."""
    union: set[str] = set()
    for count, keys in enumerate(keys_of_rows):
        if len(union | keys) > max_keys:
            return count, len(union)
        union |= keys
    return len(keys_of_rows), len(union)


def over_budget(keys_of_rows: Sequence[set[str]], key_count: int, max_keys: int) -> QuotaExceeded:
    """The refusal of a file over the budget, with the exact remedy.

    The message names the flag, how many queries it would send, and how
    many leading rows fit in one query.
    """
    fitting, fitting_keys = rows_that_fit(keys_of_rows, max_keys)
    parts = len(plan_parts(keys_of_rows, max_keys))
    return QuotaExceeded(
        f"{key_count} match keys; this node sends at most {max_keys} per query. "
        f"Run again with {SPLIT_FLAG} to send the {len(keys_of_rows)} rows as {parts} queries "
        f"under this case, or send at most the first {fitting} rows ({fitting_keys} keys) "
        "in one query"
    )


def plan_parts(keys_of_rows: Sequence[set[str]], max_keys: int) -> list[list[int]]:
    """Cut the rows, in file order, into parts of at most ``max_keys`` distinct keys.

    Raises:
        QuotaExceeded: one row alone gives more than ``max_keys`` keys.
    """
    parts: list[list[int]] = []
    current: list[int] = []
    union: set[str] = set()
    for row, keys in enumerate(keys_of_rows):
        if len(keys) > max_keys:
            raise QuotaExceeded(
                f"row {row + 1} alone gives {len(keys)} match keys; "
                f"this node sends at most {max_keys} per query"
            )
        if current and len(union | keys) > max_keys:
            parts.append(current)
            current, union = [], set()
        current.append(row)
        union |= keys
    if current:
        parts.append(current)
    return parts


def combine(results: Sequence[MatchResult]) -> MatchResult:
    """One result from the parts' results (hits already numbered by the whole file's rows).

    Per partner dataset: ``ok`` only if every part was answered ``ok``,
    otherwise the first other status, with the reason of each part that
    failed (``part 2 of 3: timeout``); hits of the parts answered are kept;
    counts add up; the version is the newest answered.
    """
    total = len(results)
    order: list[tuple[str, str]] = []
    per_dataset: dict[tuple[str, str], list[tuple[int, PartnerResult]]] = {}
    for number, result in enumerate(results, start=1):
        for partner in result.results:
            key = (partner.agency, partner.dataset)
            if key not in per_dataset:
                order.append(key)
                per_dataset[key] = []
            per_dataset[key].append((number, partner))
    return MatchResult(
        query_id=results[0].query_id,
        key_count=sum(result.key_count for result in results),
        results=tuple(_combined(per_dataset[key], total) for key in order),
        count_only=results[0].count_only,
        query_ids=tuple(result.query_id for result in results),
    )


def _combined(parts: list[tuple[int, PartnerResult]], total: int) -> PartnerResult:
    first = parts[0][1]
    failed = [(n, p) for n, p in parts if p.status is not PartnerStatus.OK]
    missing = total - len(parts)
    reasons = [f"part {n} of {total}: {p.status.value} {p.reason}".strip() for n, p in failed]
    if missing:
        reasons.append(f"absent from {missing} of {total} parts")
    answered = [p for _, p in parts if p.status is PartnerStatus.OK]
    status = failed[0][1].status if failed else PartnerStatus.OK
    if not failed and missing:
        status = PartnerStatus.UNAVAILABLE
    return PartnerResult(
        agency=first.agency,
        dataset=first.dataset,
        status=status,
        reason="; ".join(reasons),
        filter_version=max((p.filter_version for p in answered), default=0),
        hits=tuple(sorted((h for p in answered for h in p.hits), key=lambda hit: hit.row)),
        match_count=sum(p.match_count for p in answered),
    )
