"""``liaison keys evaluate``: recall and false matches of the key spec, next to a plaintext anchor.

Reads a file of labelled pairs (:mod:`liaison.tools.pair_sets`), derives the
keys of both sides of each pair (key spec v3 by default,
:func:`crypto.keys.derive_keys_v3`) and reports, for each strength, the share
of should-match pairs that share a key at least that strong (recall) and the
share of should-not-match pairs that do (false-match rate). A synthetic
population of distinct people (:mod:`liaison.tools.demo_people`) gives the
false-match rate between random people. Next to each figure stands the
plaintext anchor's on the same pairs (:mod:`liaison.tools.anchor`) and the
ratio of ours to it. ``docs/matching.md`` lists the formats and the figures.
"""

from __future__ import annotations

import collections
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liaison.core.errors import InvalidInput
from liaison.core.records import KeyRole, KeyStrength, MatchKey, Record
from liaison.crypto.keys import KEY_SPEC_V2, KEY_SPEC_V3, derive_keys_v2, derive_keys_v3, strongest
from liaison.tools import anchor
from liaison.tools.demo_people import PersonFactory
from liaison.tools.pair_sets import FORMATS, Pair, detect_format

STRENGTHS = (KeyStrength.EXACT, KeyStrength.STRONG, KeyStrength.FUZZY)
"""Strongest first: the rows of the report."""

DEFAULT_POPULATION = 20_000
JSON_SCHEMA_VERSION = 2

Derive = Callable[[Record, KeyRole], tuple[MatchKey, ...]]


def _derive_v2(record: Record, _role: KeyRole) -> tuple[MatchKey, ...]:
    return derive_keys_v2(record)


KEY_SPECS: dict[str, Derive] = {KEY_SPEC_V2: _derive_v2, KEY_SPEC_V3: derive_keys_v3}
"""The key specs ``evaluate`` can measure, by version (v2 has no roles)."""


@dataclass(frozen=True, slots=True)
class Rates:
    """Pairs sharing a key at least as strong as each strength, out of ``pairs``.

    Attributes:
        pairs: How many pairs were compared.
        at_least: Strength to the number of pairs whose strongest shared key
            is that strength or stronger.
        anchor: How many of the pairs the plaintext anchor matches (``None``
            when not measured).
    """

    pairs: int
    at_least: dict[KeyStrength, int]
    anchor: int | None = None

    def rate(self, strength: KeyStrength) -> float | None:
        """The share of pairs hit at ``strength`` or stronger (None if no pair)."""
        return self.at_least[strength] / self.pairs if self.pairs else None

    def anchor_rate(self) -> float | None:
        """The share of pairs the anchor matches (None if no pair or not measured)."""
        return self.anchor / self.pairs if self.pairs and self.anchor is not None else None

    def ratio(self, strength: KeyStrength) -> float | None:
        """Our rate at ``strength`` over the anchor's (None when the anchor found none)."""
        ours, theirs = self.rate(strength), self.anchor_rate()
        return ours / theirs if ours is not None and theirs else None

    def to_json(self) -> dict[str, Any]:
        """``{"pairs", "anchor": {"count", "rate"}, "<strength>": {"count", "rate", "ratio"}}``."""
        result: dict[str, Any] = {
            "pairs": self.pairs,
            "anchor": {"count": self.anchor, "rate": self.anchor_rate()},
        }
        for strength in STRENGTHS:
            result[strength.value] = {
                "count": self.at_least[strength],
                "rate": self.rate(strength),
                "ratio": self.ratio(strength),
            }
        return result


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """What ``liaison keys evaluate`` prints.

    Attributes:
        source: The pairs file as given.
        fmt: The format it was read as.
        key_spec: The key spec version measured.
        recall: Over the should-match pairs.
        false_match: Over the should-not-match pairs (``pairs`` 0 if none).
        decoys: Over the decoy pairs (a listed name with another person's date).
        set_aside: Over the pairs set aside (yente: date of birth altered).
        population: Over all pairs of a synthetic population (``pairs`` 0 if
            not measured).
        population_size: The number of synthetic people.
        max_keys: The most keys any one record of the file gave.
    """

    source: str
    fmt: str
    key_spec: str
    recall: Rates
    false_match: Rates
    decoys: Rates
    set_aside: Rates
    population: Rates
    population_size: int
    max_keys: int
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (``docs/matching.md`` gives the schema)."""
        return {
            "schema": JSON_SCHEMA_VERSION,
            "source": self.source,
            "format": self.fmt,
            "key_spec": self.key_spec,
            "recall": self.recall.to_json(),
            "false_match": self.false_match.to_json(),
            "decoys": self.decoys.to_json(),
            "set_aside": self.set_aside.to_json(),
            "population": {"people": self.population_size, **self.population.to_json()},
            "max_keys_per_identity": self.max_keys,
            "notes": list(self.notes),
        }


def evaluate(
    pairs_path: Path,
    fmt: str | None = None,
    *,
    population: int = DEFAULT_POPULATION,
    seed: int = 1,
    key_spec: str = KEY_SPEC_V3,
) -> EvaluationReport:
    """Measure a key spec, and the plaintext anchor, on a file of name pairs.

    Args:
        pairs_path: The pairs file (for ``yente``, the untreated file; the
            treated one is the file of the same name with ``treated`` for
            ``untreated``).
        fmt: One of :data:`~liaison.tools.pair_sets.FORMATS`; ``None`` guesses
            from the file name.
        population: Synthetic people for the random-pair false-match rate;
            0 skips it.
        seed: Seed of the synthetic population.
        key_spec: The key spec version to measure (:data:`KEY_SPECS`).

    Returns:
        The report.

    Raises:
        InvalidInput: Unknown format or key spec, unreadable or malformed
            file, or rapidfuzz missing.
    """
    anchor.require_rapidfuzz()
    derive = KEY_SPECS.get(key_spec)
    if derive is None:
        raise InvalidInput(f"unknown key spec {key_spec!r}; use one of {', '.join(KEY_SPECS)}")
    fmt = fmt or detect_format(pairs_path)
    reader = FORMATS.get(fmt)
    if reader is None:
        raise InvalidInput(f"unknown pairs format {fmt!r}; use one of {', '.join(FORMATS)}")
    pairs = reader(pairs_path)
    keys = _KeyCache(derive)
    false_match = _rates(pairs.should_not_match, keys)
    notes: list[str] = []
    if pairs.cross_negatives:
        false_match = _cross_rates(pairs.should_match + pairs.set_aside, keys)
        notes.append("false matches: every row against every other person's row")
    return EvaluationReport(
        source=str(pairs_path),
        fmt=fmt,
        key_spec=key_spec,
        recall=_rates(pairs.should_match, keys),
        false_match=false_match,
        decoys=_rates(pairs.decoys, keys),
        set_aside=_rates(pairs.set_aside, keys),
        population=population_rates(population, seed, derive) if population else _empty_rates(),
        population_size=population,
        max_keys=keys.max_keys,
        notes=tuple(notes),
    )


class _KeyCache:
    """Derives each record's keys once per role, by value."""

    def __init__(self, derive: Derive) -> None:
        self._derive = derive
        self._cache: dict[tuple[Record, KeyRole], frozenset[MatchKey]] = {}
        self.max_keys = 0

    def __call__(self, record: Record, role: KeyRole) -> frozenset[MatchKey]:
        keys = self._cache.get((record, role))
        if keys is None:
            keys = frozenset(self._derive(record, role))
            self._cache[(record, role)] = keys
            self.max_keys = max(self.max_keys, len(keys))
        return keys

    def shared(self, left: Record, right: Record) -> frozenset[MatchKey]:
        """The keys a query of either record shares with the other as listed."""
        return (self(left, KeyRole.QUERY) & self(right, KeyRole.LISTED)) | (
            self(right, KeyRole.QUERY) & self(left, KeyRole.LISTED)
        )


def pair_strength(
    left: Record, right: Record, derive: Derive = derive_keys_v3
) -> KeyStrength | None:
    """The strength of the hit between two records, or None if no key is shared.

    A query of either record against the other as listed (key spec v3's
    partial-name keys depend on the side, :class:`~liaison.core.records.KeyRole`).

    Args:
        left: One record.
        right: The other.
        derive: The key spec (v3 unless told).

    Returns:
        The strongest strength among their shared keys.
    """
    return strongest(_KeyCache(derive).shared(left, right))


def _rates(pairs: Sequence[Pair], keys: _KeyCache) -> Rates:
    best = [strongest(keys.shared(left, right)) for left, right in pairs]
    return _count(best, anchor.anchor_count(pairs))


def _count(best: Iterable[KeyStrength | None], anchored: int | None = None) -> Rates:
    found = list(best)
    at_least = {
        strength: sum(1 for hit in found if hit is not None and hit >= strength)
        for strength in STRENGTHS
    }
    return Rates(len(found), at_least, anchored)


def _empty_rates() -> Rates:
    return Rates(0, dict.fromkeys(STRENGTHS, 0))


def _index(records: Iterable[Record], keys: Callable[[Record], frozenset[MatchKey]]) -> _Index:
    index: _Index = collections.defaultdict(list)
    for number, record in enumerate(records):
        for key in keys(record):
            index[key].append(number)
    return index


def _cross_rates(pairs: Sequence[Pair], keys: _KeyCache) -> Rates:
    """Every left side against the right side of every other person's row, both ways."""
    rights = [right for _, right in pairs]
    listed = _index(rights, lambda record: keys(record, KeyRole.LISTED))
    queried = _index(rights, lambda record: keys(record, KeyRole.QUERY))
    person = [right.ref for right in rights]
    best: dict[tuple[int, int], KeyStrength] = {}
    for row, (left, _) in enumerate(pairs):
        for role, index in ((KeyRole.QUERY, listed), (KeyRole.LISTED, queried)):
            for key in keys(left, role):
                for other in index.get(key, ()):
                    if person[other] != person[row]:
                        _keep_strongest(best, (row, other), key.strength)
    sizes = collections.Counter(person)
    total = sum(len(pairs) - sizes[ref] for ref in person)
    counted = _count(best.values())
    return Rates(total, counted.at_least, anchor.anchor_cross_count(pairs))


def _keep_strongest(
    best: dict[tuple[int, int], KeyStrength], pair: tuple[int, int], strength: KeyStrength
) -> None:
    if best.get(pair, strength) <= strength:
        best[pair] = strength


_Index = dict[MatchKey, list[int]]


def population_rates(size: int, seed: int, derive: Derive = derive_keys_v3) -> Rates:
    """False matches between all pairs of ``size`` distinct synthetic people.

    People come from :class:`liaison.tools.demo_people.PersonFactory`, which
    never gives two people the same name and full date of birth; each becomes
    a record with name, date of birth and nationality (their other
    identifiers are unique by construction and cannot collide).

    Args:
        size: The number of people.
        seed: The random seed.
        derive: The key spec (v3 unless told).

    Returns:
        Over ``size * (size - 1) / 2`` pairs, with the anchor's count.
    """
    rng = random.Random(seed)
    factory = PersonFactory()
    records: list[Record] = []
    for number in range(size):
        person = factory.person(rng)
        records.append(
            Record(
                ref=str(number),
                full_name=f"{person.given} {person.surname}",
                date_of_birth=person.date_of_birth,
                nationality=person.nationality,
            )
        )
    listed = _index(records, lambda record: frozenset(derive(record, KeyRole.LISTED)))
    best: dict[tuple[int, int], KeyStrength] = {}
    for number, record in enumerate(records):
        for key in derive(record, KeyRole.QUERY):
            for other in listed.get(key, ()):
                if other != number:
                    _keep_strongest(best, (min(number, other), max(number, other)), key.strength)
    counted = _count(best.values())
    return Rates(size * (size - 1) // 2, counted.at_least, anchor.anchor_population_count(records))


def render_table(report: EvaluationReport) -> str:
    """The report as a plain-text table: one row per strength, then the anchor's row.

    Args:
        report: The report.

    Returns:
        Lines ending with a newline.
    """
    header = ("at least", "recall", "false match", "decoys", "set aside", "population")
    columns = (
        report.recall,
        report.false_match,
        report.decoys,
        report.set_aside,
        report.population,
    )
    rows: list[tuple[str, ...]] = [header]
    for strength in STRENGTHS:
        rows.append((strength.value, *(_cell(rates, strength) for rates in columns)))
    rows.append(("anchor", *(_anchor_cell(rates) for rates in columns)))
    rows.append(("any/anchor", *(_ratio_cell(rates) for rates in columns)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [f"{report.source} ({report.fmt}, key spec v{report.key_spec})"]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    counts = (
        f"pairs: {report.recall.pairs} should match, {report.false_match.pairs} should not, "
        f"{report.decoys.pairs} decoys, {report.set_aside.pairs} set aside; "
        f"population {report.population_size} people; "
        f"at most {report.max_keys} keys per record"
    )
    anchor_note = (
        f"anchor: rapidfuzz token_set_ratio >= {anchor.ANCHOR_THRESHOLD:g} on folded names "
        "and the same date of birth"
    )
    lines += [counts, anchor_note, *report.notes]
    return "\n".join(lines) + "\n"


def _format_rate(rate: float, count: int) -> str:
    return f"{rate:.4f} ({count})" if rate >= 1e-4 or rate == 0 else f"{rate:.2e} ({count})"


def _cell(rates: Rates, strength: KeyStrength) -> str:
    rate = rates.rate(strength)
    return "-" if rate is None else _format_rate(rate, rates.at_least[strength])


def _anchor_cell(rates: Rates) -> str:
    rate = rates.anchor_rate()
    return "-" if rate is None or rates.anchor is None else _format_rate(rate, rates.anchor)


def _ratio_cell(rates: Rates) -> str:
    ratio = rates.ratio(KeyStrength.FUZZY)
    return "-" if ratio is None else f"{ratio:.3f}"


def render_json(report: EvaluationReport) -> str:
    """The report as indented JSON text."""
    return json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n"
