"""``liaison keys evaluate``: measured recall and false matches of key spec v2.

Reads a file of labelled name pairs, derives the v2 keys of both sides of each
pair (:func:`crypto.keys.derive_keys_v2`) and reports, for each strength, the
share of should-match pairs that share a key at least that strong (recall) and
the share of should-not-match pairs that do (false-match rate). A synthetic
population of distinct people (:mod:`liaison.demo_people`) gives the
false-match rate between random people. ``docs/matching.md`` lists the formats
and the measured figures.

Pair sets that carry names only give both sides the same date of birth
(:data:`NAMES_ONLY_DATE`), so that the name forms are what is measured.
"""

from __future__ import annotations

import collections
import csv
import itertools
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liaison.core.errors import InvalidInput
from liaison.core.records import KeyStrength, MatchKey, Record
from liaison.crypto.keys import derive_keys_v2, normalise_date_of_birth, strongest
from liaison.tools.demo_people import PersonFactory

NAMES_ONLY_DATE = "1975-06-15"
"""The date of birth both sides get when a pair set has no dates (a day > 12: no swap key)."""

STRENGTHS = (KeyStrength.EXACT, KeyStrength.STRONG, KeyStrength.FUZZY)
"""Strongest first: the rows of the report."""

DEFAULT_POPULATION = 20_000
JSON_SCHEMA_VERSION = 1

Pair = tuple[Record, Record]


@dataclass(frozen=True, slots=True)
class PairSet:
    """The pairs read from one file.

    Attributes:
        should_match: Pairs of one person (recall is measured on these).
        should_not_match: Pairs of different people (false-match rate).
        set_aside: Should-match pairs reported apart (yente: date of birth
            altered), not counted in ``should_match``.
        cross_negatives: Whether every left side against every other row's
            right side counts as a should-not-match pair (rows of distinct
            people, as in yente's list).
    """

    should_match: tuple[Pair, ...]
    should_not_match: tuple[Pair, ...] = ()
    set_aside: tuple[Pair, ...] = ()
    cross_negatives: bool = False


@dataclass(frozen=True, slots=True)
class Rates:
    """Pairs sharing a key at least as strong as each strength, out of ``pairs``.

    Attributes:
        pairs: How many pairs were compared.
        at_least: Strength to the number of pairs whose strongest shared key
            is that strength or stronger.
    """

    pairs: int
    at_least: dict[KeyStrength, int]

    def rate(self, strength: KeyStrength) -> float | None:
        """The share of pairs hit at ``strength`` or stronger (None if no pair)."""
        return self.at_least[strength] / self.pairs if self.pairs else None

    def to_json(self) -> dict[str, Any]:
        """``{"pairs": n, "<strength>": {"count": c, "rate": r}, ...}``."""
        result: dict[str, Any] = {"pairs": self.pairs}
        for strength in STRENGTHS:
            result[strength.value] = {
                "count": self.at_least[strength],
                "rate": self.rate(strength),
            }
        return result


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """What ``liaison keys evaluate`` prints.

    Attributes:
        source: The pairs file as given.
        fmt: The format it was read as.
        recall: Over the should-match pairs.
        false_match: Over the should-not-match pairs (``pairs`` 0 if none).
        set_aside: Over the pairs set aside (yente: date of birth altered).
        population: Over all pairs of a synthetic population (``pairs`` 0 if
            not measured).
        population_size: The number of synthetic people.
        max_keys: The most keys any one record of the file gave.
    """

    source: str
    fmt: str
    recall: Rates
    false_match: Rates
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
            "recall": self.recall.to_json(),
            "false_match": self.false_match.to_json(),
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
) -> EvaluationReport:
    """Measure key spec v2 on a file of name pairs.

    Args:
        pairs_path: The pairs file (for ``yente``, the untreated file; the
            treated one is the file of the same name with ``treated`` for
            ``untreated``).
        fmt: One of :data:`FORMATS`; ``None`` guesses from the file name.
        population: Synthetic people for the random-pair false-match rate;
            0 skips it.
        seed: Seed of the synthetic population.

    Returns:
        The report.

    Raises:
        InvalidInput: Unknown format, unreadable or malformed file.
    """
    fmt = fmt or detect_format(pairs_path)
    reader = FORMATS.get(fmt)
    if reader is None:
        raise InvalidInput(f"unknown pairs format {fmt!r}; use one of {', '.join(FORMATS)}")
    pairs = reader(pairs_path)
    keys = _KeyCache()
    false_match = _rates(pairs.should_not_match, keys)
    notes: list[str] = []
    if pairs.cross_negatives:
        false_match = _cross_rates(pairs.should_match + pairs.set_aside, keys)
        notes.append("false matches: every row against every other row (distinct people)")
    return EvaluationReport(
        source=str(pairs_path),
        fmt=fmt,
        recall=_rates(pairs.should_match, keys),
        false_match=false_match,
        set_aside=_rates(pairs.set_aside, keys),
        population=population_rates(population, seed) if population else _empty_rates(),
        population_size=population,
        max_keys=keys.max_keys,
        notes=tuple(notes),
    )


def detect_format(path: Path) -> str:
    """Guess the pair format from a file name (the public sets' names).

    Args:
        path: The pairs file.

    Returns:
        The format name.

    Raises:
        InvalidInput: The name matches no known set.
    """
    name = path.name.lower()
    for marker, fmt in _NAME_MARKERS:
        if marker in name:
            return fmt
    raise InvalidInput(f"{path}: cannot tell the pairs format from the name; name it")


class _KeyCache:
    """Derives each record's v2 keys once, by value."""

    def __init__(self) -> None:
        self._cache: dict[Record, frozenset[MatchKey]] = {}
        self.max_keys = 0

    def __call__(self, record: Record) -> frozenset[MatchKey]:
        keys = self._cache.get(record)
        if keys is None:
            keys = frozenset(derive_keys_v2(record))
            self._cache[record] = keys
            self.max_keys = max(self.max_keys, len(keys))
        return keys


def pair_strength(left: Record, right: Record) -> KeyStrength | None:
    """The strength of the hit between two records, or None if no key is shared.

    Args:
        left: One record.
        right: The other.

    Returns:
        The strongest strength among their shared keys.
    """
    return strongest(set(derive_keys_v2(left)) & set(derive_keys_v2(right)))


def _rates(pairs: Iterable[Pair], keys: Callable[[Record], frozenset[MatchKey]]) -> Rates:
    best = [strongest(keys(left) & keys(right)) for left, right in pairs]
    return _count(best)


def _count(best: Sequence[KeyStrength | None]) -> Rates:
    at_least = {
        strength: sum(1 for found in best if found is not None and found >= strength)
        for strength in STRENGTHS
    }
    return Rates(len(best), at_least)


def _empty_rates() -> Rates:
    return Rates(0, dict.fromkeys(STRENGTHS, 0))


def _cross_rates(pairs: Sequence[Pair], keys: Callable[[Record], frozenset[MatchKey]]) -> Rates:
    """Every left side against the right side of every other row."""
    index: dict[MatchKey, list[int]] = collections.defaultdict(list)
    for row, (_, right) in enumerate(pairs):
        for key in keys(right):
            index[key].append(row)
    best: dict[tuple[int, int], KeyStrength] = {}
    for row, (left, _) in enumerate(pairs):
        for key in keys(left):
            for other in index.get(key, ()):
                if other != row and best.get((row, other), KeyStrength.FUZZY) <= key.strength:
                    best[(row, other)] = key.strength
    total = len(pairs) * (len(pairs) - 1)
    counted = _count(list(best.values()))
    return Rates(total, counted.at_least)


def population_rates(size: int, seed: int) -> Rates:
    """False matches between all pairs of ``size`` distinct synthetic people.

    People come from :class:`liaison.demo_people.PersonFactory`, which never
    gives two people the same name and full date of birth; each becomes an
    record with name, date of birth and nationality (their other
    identifiers are unique by construction and cannot collide).

    Args:
        size: The number of people.
        seed: The random seed.

    Returns:
        Over ``size * (size - 1) / 2`` pairs.
    """
    rng = random.Random(seed)
    factory = PersonFactory()
    index: dict[MatchKey, list[int]] = collections.defaultdict(list)
    for number in range(size):
        person = factory.person(rng)
        record = Record(
            ref=str(number),
            full_name=f"{person.given} {person.surname}",
            date_of_birth=person.date_of_birth,
            nationality=person.nationality,
        )
        for key in derive_keys_v2(record):
            index[key].append(number)
    best: dict[tuple[int, int], KeyStrength] = {}
    for key, people in index.items():
        for pair in itertools.combinations(people, 2):
            if best.get(pair, KeyStrength.FUZZY) <= key.strength:
                best[pair] = key.strength
    counted = _count(list(best.values()))
    return Rates(size * (size - 1) // 2, counted.at_least)


def render_table(report: EvaluationReport) -> str:
    """The report as a plain-text table, one row per strength.

    Args:
        report: The report.

    Returns:
        Lines ending with a newline.
    """
    header = ("at least", "recall", "false match", "set aside", "population")
    columns = (report.recall, report.false_match, report.set_aside, report.population)
    rows: list[tuple[str, ...]] = [header]
    for strength in STRENGTHS:
        rows.append((strength.value, *(_cell(rates, strength) for rates in columns)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [f"{report.source} ({report.fmt})"]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    counts = (
        f"pairs: {report.recall.pairs} should match, {report.false_match.pairs} should not, "
        f"{report.set_aside.pairs} set aside; population {report.population_size} people; "
        f"at most {report.max_keys} keys per record"
    )
    lines += [counts, *report.notes]
    return "\n".join(lines) + "\n"


def _cell(rates: Rates, strength: KeyStrength) -> str:
    rate = rates.rate(strength)
    if rate is None:
        return "-"
    return (
        f"{rate:.4f} ({rates.at_least[strength]})"
        if rate >= 1e-4
        else f"{rate:.2e} ({rates.at_least[strength]})"
    )


def render_json(report: EvaluationReport) -> str:
    """The report as indented JSON text."""
    return json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n"


# --- readers, one per format --------------------------------------------------


def _person(ref: str, name: str, date: str = NAMES_ONLY_DATE) -> Record:
    return Record(ref=ref, full_name=name.strip(), date_of_birth=date)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not valid UTF-8") from None


def _csv_rows(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(_read_text(path).splitlines())
    missing = [column for column in required if column not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInput(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        if None in row or any(row.get(column) is None for column in required):
            raise InvalidInput(f"{path}: line {reader.line_num}: wrong number of cells")
        rows.append((reader.line_num, row))
    return rows


def _is_true(value: str, path: Path, line: int) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise InvalidInput(f"{path}: line {line}: is_match must be true or false")
    return text in ("true", "1")


def read_pairs(path: Path) -> PairSet:
    """Our own format: CSV ``name1,name2,is_match`` (+ ``date_of_birth1/2``)."""
    good: list[Pair] = []
    bad: list[Pair] = []
    for line, row in _csv_rows(path, ("name1", "name2", "is_match")):
        dates = (row.get("date_of_birth1") or "", row.get("date_of_birth2") or "")
        if not any(dates):
            dates = (NAMES_ONLY_DATE, NAMES_ONLY_DATE)
        pair = (
            _person(f"{line}a", row["name1"], dates[0]),
            _person(f"{line}b", row["name2"], dates[1]),
        )
        (good if _is_true(row["is_match"], path, line) else bad).append(pair)
    return PairSet(tuple(good), tuple(bad))


def read_nomenklatura(path: Path) -> PairSet:
    """nomenklatura's ``contrib/name_bench/cases.csv``: every schema, same date both sides."""
    good: list[Pair] = []
    bad: list[Pair] = []
    for line, row in _csv_rows(path, ("name1", "name2", "is_match")):
        pair = (_person(f"{line}a", row["name1"]), _person(f"{line}b", row["name2"]))
        (good if _is_true(row["is_match"], path, line) else bad).append(pair)
    return PairSet(tuple(good), tuple(bad))


def read_yente(path: Path) -> PairSet:
    """yente's untreated/treated files, row-aligned: row N of one is row N of the other.

    A pair whose dates of birth differ (or are invalid on one side) is set
    aside; a pair with no date on either side gets :data:`NAMES_ONLY_DATE`.
    """
    other = path.with_name(path.name.replace("untreated", "treated"))
    if other == path:
        raise InvalidInput(f"{path}: expected the 'untreated' file, the 'treated' one beside it")
    left = _csv_rows(path, ("full_name", "date_of_birth"))
    right = _csv_rows(other, ("full_name", "date_of_birth"))
    if len(left) != len(right):
        raise InvalidInput(f"{other}: {len(right)} rows but {path} has {len(left)}")
    same: list[Pair] = []
    altered: list[Pair] = []
    for (line, one), (_, two) in zip(left, right, strict=True):
        dates = one["date_of_birth"].strip(), two["date_of_birth"].strip()
        if not any(dates):
            dates = (NAMES_ONLY_DATE, NAMES_ONLY_DATE)
        pair = (
            _person(f"{line}u", one["full_name"], dates[0]),
            _person(f"{line}t", two["full_name"], dates[1]),
        )
        unaltered = dates[0] == dates[1] and normalise_date_of_birth(dates[0]) is not None
        (same if unaltered else altered).append(pair)
    return PairSet(tuple(same), set_aside=tuple(altered), cross_negatives=True)


def read_variants(path: Path) -> PairSet:
    """One name a line, all of one person (rigour's spellings): every two lines should match."""
    names = [line.strip() for line in _read_text(path).splitlines() if line.strip()]
    people = [_person(str(number), name) for number, name in enumerate(names, start=1)]
    return PairSet(tuple(itertools.combinations(people, 2)))


def read_cross_script(path: Path) -> PairSet:
    """watchman's cross-script pairs: ``query,expected,...`` lines, ``#`` comments."""
    pairs: list[Pair] = []
    for line, text in enumerate(_read_text(path).splitlines(), start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([text]))
        if len(cells) < 2:
            raise InvalidInput(f"{path}: line {line}: expected at least two cells")
        pairs.append((_person(f"{line}a", cells[0]), _person(f"{line}b", cells[1])))
    return PairSet(tuple(pairs))


def read_tsv(path: Path) -> PairSet:
    """Tab-separated transliteration pairs (google's ar2en; COLING 2018's en2xx).

    The first two cells are the two spellings; spaces between the letters of
    the second (COLING's tokenised form) are removed when it is not Latin.
    """
    pairs: list[Pair] = []
    for line, text in enumerate(_read_text(path).splitlines(), start=1):
        if not text.strip():
            continue
        cells = text.split("\t")
        if len(cells) < 2:
            raise InvalidInput(f"{path}: line {line}: expected two tab-separated cells")
        second = cells[1] if cells[1].isascii() else cells[1].replace(" ", "")
        pairs.append((_person(f"{line}a", cells[0]), _person(f"{line}b", second)))
    return PairSet(tuple(pairs))


FORMATS: dict[str, Callable[[Path], PairSet]] = {
    "pairs": read_pairs,
    "nomenklatura": read_nomenklatura,
    "yente": read_yente,
    "variants": read_variants,
    "cross-script": read_cross_script,
    "tsv": read_tsv,
}
"""The pair formats ``evaluate`` reads, by name."""

_NAME_MARKERS = (
    ("yente", "yente"),
    ("nomenklatura", "nomenklatura"),
    ("putin", "variants"),
    ("cross_script", "cross-script"),
    ("transliteration", "tsv"),
    ("coling", "tsv"),
    ("pairs", "pairs"),
)
