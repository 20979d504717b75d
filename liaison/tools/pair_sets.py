"""The labelled pair sets ``liaison keys evaluate`` reads, one reader per format.

Public name-matching sets (yente, nomenklatura, rigour, watchman, google,
COLING 2018), our own CSV of pairs, and a published OFAC ``sdnList`` list
whose alias spellings become queries against its listed names
(:func:`read_ofac_aliases`). ``docs/matching.md`` describes each format.

Pair sets that carry names only give both sides the same date of birth
(:data:`NAMES_ONLY_DATE`), so that the name forms are what is measured.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.crypto.keys import normalise_date_of_birth
from liaison.node.lists.ofac import OfacEntry, parse_ofac
from liaison.node.lists.ofac_records import ofac_date

NAMES_ONLY_DATE = "1975-06-15"
"""The date of birth both sides get when a pair set has no dates (a day > 12: no swap key)."""

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
            people, as in yente's list; rows whose right sides have the
            same ``ref`` are one person and are not compared).
        decoys: Pairs of a listed name with another listed person's date of
            birth, against the listed person: no hit may be exact or strong.
    """

    should_match: tuple[Pair, ...]
    should_not_match: tuple[Pair, ...] = ()
    set_aside: tuple[Pair, ...] = ()
    cross_negatives: bool = False
    decoys: tuple[Pair, ...] = ()


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


def read_ofac_aliases(path: Path) -> PairSet:
    """A published OFAC list: each individual's alias spellings as queries against its name.

    For every individual with a date of birth (the first one OFAC gives),
    each alias (every ``<aka>``, strong or weak) is a query with that date,
    paired with the listed name (without aliases) and that date. Decoys: the
    listed name with the date of the next listed person whose date differs,
    against the listed person. False matches: every alias query against
    every other listed person (``cross_negatives``).

    Raises:
        InvalidInput: The file cannot be read or is not an ``sdnList``.
    """
    try:
        with path.open("rb") as stream:
            entries = parse_ofac(stream, str(path))
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read the file ({error.strerror})") from None
    people = [(entry, date) for entry in entries for date in [_first_date(entry)] if date]
    pairs: list[Pair] = []
    decoys: list[Pair] = []
    for index, (entry, date) in enumerate(people):
        listed = _person(entry.uid, _ofac_name(entry.first_name, entry.last_name), date)
        for number, aka in enumerate(entry.akas, start=1):
            alias = _ofac_name(aka.first_name, aka.last_name)
            pairs.append((_person(f"{entry.uid}/{number}", alias, date), listed))
        others = people[index + 1 :] + people[:index]
        other_date = next((other for _, other in others if other != date), None)
        if other_date is not None:
            decoys.append((_person(f"{entry.uid}/decoy", listed.full_name, other_date), listed))
    return PairSet(tuple(pairs), cross_negatives=True, decoys=tuple(decoys))


def _first_date(entry: OfacEntry) -> str:
    if not entry.is_person:
        return ""
    return next((date for date in map(ofac_date, entry.dates_of_birth) if date), "")


def _ofac_name(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split())


FORMATS: dict[str, Callable[[Path], PairSet]] = {
    "pairs": read_pairs,
    "nomenklatura": read_nomenklatura,
    "yente": read_yente,
    "variants": read_variants,
    "cross-script": read_cross_script,
    "tsv": read_tsv,
    "ofac-xml": read_ofac_aliases,
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
    ("ofac", "ofac-xml"),
)
