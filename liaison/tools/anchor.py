"""The plaintext anchor ``liaison keys evaluate`` compares the key spec with.

A simple matcher that sees both names in the clear: two records match when
their folded names (key spec v1's folding and tokens, no transliteration)
score at least :data:`ANCHOR_THRESHOLD` under rapidfuzz's
``token_set_ratio`` **and** their dates of birth are the same string.
Private matching aims at finding at least what this finds, with no more
false matches; ``docs/matching.md`` gives the measured ratios.

rapidfuzz is an evaluation dependency (``pip install liaison[eval]``), not a
runtime one: without it the CLI still runs and ``keys evaluate`` says what
to install.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Sequence
from functools import cache

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.crypto.normalise import name_tokens

try:
    from rapidfuzz import fuzz
except ImportError:  # the eval extra is not installed: evaluate() says so
    fuzz = None  # type: ignore[assignment]

ANCHOR_THRESHOLD = 85.0
"""The least ``token_set_ratio`` (0-100) the anchor calls a match."""

RAPIDFUZZ_VERSION = "3.14.6"
"""The version the figures in ``docs/matching.md`` were measured with."""

Pair = tuple[Record, Record]


def require_rapidfuzz() -> None:
    """Check that the anchor can run.

    Raises:
        InvalidInput: rapidfuzz is not installed (the message names the extra).
    """
    if fuzz is None:
        raise InvalidInput("the plaintext anchor needs rapidfuzz: pip install 'liaison[eval]'")


@cache
def folded(name: str) -> str:
    """A name as the anchor compares it: v1's folded tokens, in written order."""
    return " ".join(name_tokens(name))


def anchor_match(left: Record, right: Record) -> bool:
    """Whether the plaintext anchor matches two records.

    Args:
        left: One record.
        right: The other.

    Returns:
        Same non-empty date of birth and ``token_set_ratio`` of the folded
        full names at least :data:`ANCHOR_THRESHOLD`.
    """
    date = left.date_of_birth.strip()
    if not date or date != right.date_of_birth.strip():
        return False
    return _score(folded(left.full_name), folded(right.full_name)) >= ANCHOR_THRESHOLD


def _score(left: str, right: str) -> float:
    require_rapidfuzz()
    assert fuzz is not None  # for mypy: require_rapidfuzz() raised otherwise
    return float(fuzz.token_set_ratio(left, right))


def anchor_count(pairs: Iterable[Pair]) -> int:
    """How many of ``pairs`` the anchor matches."""
    return sum(1 for left, right in pairs if anchor_match(left, right))


def anchor_cross_count(pairs: Sequence[Pair]) -> int:
    """Anchor matches of every left side against the right side of every other person's row.

    Rows whose right sides share a ``ref`` are one person and are not
    compared. Only records with the same date can match, so rows are
    grouped by date first.

    Args:
        pairs: The rows.

    Returns:
        The number of (row, other row) combinations the anchor matches.
    """
    by_date: dict[str, list[int]] = collections.defaultdict(list)
    for row, (_, right) in enumerate(pairs):
        by_date[right.date_of_birth.strip()].append(row)
    found = 0
    for row, (left, _) in enumerate(pairs):
        for other in by_date.get(left.date_of_birth.strip(), ()):
            right = pairs[other][1]
            if right.ref != pairs[row][1].ref and anchor_match(left, right):
                found += 1
    return found


def anchor_population_count(records: Sequence[Record]) -> int:
    """Anchor matches among all pairs of ``records`` (distinct people).

    Args:
        records: The population.

    Returns:
        The number of unordered pairs the anchor matches.
    """
    by_date: dict[str, list[Record]] = collections.defaultdict(list)
    for record in records:
        by_date[record.date_of_birth.strip()].append(record)
    return sum(
        1
        for group in by_date.values()
        for left, right in itertools.combinations(group, 2)
        if anchor_match(left, right)
    )
