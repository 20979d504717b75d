"""Seeded synthetic federations with exact ground truth, for the demo, tests and benchmarks.

:func:`generate_federation` builds, for a list of agencies, one dataset per
agency and a suspects list held by the first agency (the requester). Some
suspects are *planted*: the same person also appears in one or two partner
datasets, written differently (name order, case and accents; document numbers
with spaces; national or international phone formats; IBANs printed in
fours; e-mail case). :attr:`Federation.planted` says exactly which suspect
row should hit which partner record, and through which key kinds.

The ground truth follows key spec v1 (:mod:`crypto.keys`): text is NFKC,
case-folded, diacritics removed; ids keep letters and digits only; name
tokens are sorted; name + date of birth needs the same full YYYY-MM-DD; a
document needs the same number and issuing country (document country, else
nationality); phones compare as E.164 (a number without ``+`` is read as
national to the nationality); a national id needs the same nationality.
Every planted variation stays within those rules. Everything else is kept
apart on purpose: all identifiers handed out are tracked in a deliberately
coarse form (ASCII-folded, country ignored), and a collision means a redraw,
so no two unplanted records share any key, within or across agencies.

Same seed and arguments, same output: byte-identical files.
"""

from __future__ import annotations

import csv
import itertools
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from liaison.core.errors import InvalidInput
from liaison.core.records import KeyKind, Record
from liaison.node.rows import COLUMNS
from liaison.tools import demo_identifiers as ids
from liaison.tools.demo_people import Person, PersonFactory, e164, name_spellings

SCHEMA_COLUMNS = COLUMNS
"""The canonical CSV header, in order (the importer's schema)."""

_T = TypeVar("_T")

# The order in which planted suspects take their leading kind, so that even a
# small federation plants every kind at least once.
_LEAD_KINDS = (
    KeyKind.DOCUMENT,
    KeyKind.NAME_DOB,
    KeyKind.PHONE,
    KeyKind.EMAIL,
    KeyKind.IBAN,
    KeyKind.WALLET,
    KeyKind.NATIONAL_ID,
)
_PRECISIONS = ("day", "month", "year", "none")
_DATE_LENGTH = {"day": 10, "month": 7, "year": 4, "none": 0}


@dataclass(frozen=True, slots=True)
class Planted:
    """One expected hit: suspect row ``suspect_row`` hits ``agency``'s ``record_ref``.

    Attributes:
        suspect_ref: The suspect's ``ref``.
        suspect_row: Its 0-based index in :attr:`Federation.suspects` (the
            data row of the written suspects file, header not counted).
        agency: The partner agency holding the record.
        record_ref: The record's ``ref`` in that agency's dataset.
        kinds: Exactly the key kinds on which the two rows share a key under
            key spec v1 (``KeyKind`` members, which equal their string values).
    """

    suspect_ref: str
    suspect_row: int
    agency: str
    record_ref: str
    kinds: frozenset[KeyKind]


@dataclass(frozen=True, slots=True)
class Federation:
    """A generated federation: datasets, the requester's suspects, the ground truth.

    Attributes:
        seed: The seed it was generated from.
        agencies: Agency names; the first is the requester.
        datasets: Each agency's dataset rows, in file order (read-only mapping).
        suspects: The requester's suspects list, in file order.
        planted: Every expected hit of ``suspects`` against a partner dataset,
            sorted by suspect row then agency. Any other (suspect, record)
            pair shares no key; nor do any two records of different planted
            groups (a suspect and its planted records form one group).
    """

    seed: int
    agencies: tuple[str, ...]
    datasets: Mapping[str, tuple[Record, ...]]
    suspects: tuple[Record, ...]
    planted: tuple[Planted, ...]

    @property
    def requester(self) -> str:
        """The agency that holds the suspects list and matches it against the others."""
        return self.agencies[0]

    def planted_in(self, agency: str) -> tuple[Planted, ...]:
        """The expected hits in one partner's dataset."""
        return tuple(hit for hit in self.planted if hit.agency == agency)


def generate_federation(
    seed: int,
    agencies: Sequence[str],
    *,
    persons_per_agency: int = 3000,
    shared_suspects: int = 12,
    decoy_suspects: int = 6,
    name_collisions: int = 3,
) -> Federation:
    """Generate a federation of synthetic datasets with its exact ground truth.

    Args:
        seed: Fixes every draw; the same arguments give the same federation.
        agencies: Agency names, at least two, distinct; the first one is the
            requester, which holds :attr:`Federation.suspects`.
        persons_per_agency: Rows in every agency's dataset (planted records,
            name collisions and unrelated people together).
        shared_suspects: Planted suspects, each also held by one or two
            partners (never by the requester's own dataset).
        decoy_suspects: Suspects that match nobody.
        name_collisions: Records per agency that carry a suspect's name with
            another full date of birth, and so must not hit.

    Returns:
        The federation; see :class:`Federation` and :class:`Planted` for the
        ground truth.

    Raises:
        InvalidInput: Fewer than two agencies, duplicate or empty names,
            negative counts, or ``persons_per_agency`` smaller than
            ``shared_suspects + name_collisions``.
    """
    names = _check_arguments(
        agencies, persons_per_agency, shared_suspects, decoy_suspects, name_collisions
    )
    builder = _Builder(seed, names)
    for index in range(shared_suspects):
        builder.plant(_LEAD_KINDS[index % len(_LEAD_KINDS)])
    for _ in range(decoy_suspects):
        builder.decoy()
    builder.order_suspects()
    for agency in names:
        builder.fill(agency, persons_per_agency, name_collisions)
    return builder.federation()


class _Builder:
    """The state of one generation: people drawn so far, rows, expected hits.

    Rows carry temporary refs until shuffling has fixed their order in the
    files; :meth:`federation` then numbers them in file order.
    """

    def __init__(self, seed: int, agencies: tuple[str, ...]) -> None:
        self.seed = seed
        self.agencies = agencies
        self.factory = PersonFactory()
        self.rng = _rng(seed, "suspects")
        self.rows: dict[str, list[Record]] = {agency: [] for agency in agencies}
        self.suspects: list[tuple[Person, str, Record]] = []  # person, precision, row
        self.hits: list[tuple[str, str, str, frozenset[KeyKind]]] = []
        self.final_refs: dict[str, str] = {}
        self._counter = itertools.count()

    def temporary_ref(self) -> str:
        """A ref unique within this generation, replaced before the end."""
        return f"~{next(self._counter)}"

    def plant(self, lead: KeyKind) -> None:
        """Add a suspect held by one or two partners, sharing ``lead`` with the first."""
        rng = self.rng
        person = self.factory.person(rng, require=lead)
        precision = "day" if lead is KeyKind.NAME_DOB else _draw_precision(rng, 80)
        suspect = _render(rng, person, self.temporary_ref(), precision=precision)
        self.suspects.append((person, precision, suspect))
        carried = sorted(person.carried(precision))
        count = 2 if len(self.agencies) > 2 and rng.random() < 0.35 else 1
        for number, agency in enumerate(rng.sample(self.agencies[1:], count)):
            shared = {lead if number == 0 else rng.choice(carried)}
            shared |= {kind for kind in carried if rng.random() < 0.35}
            copy, copy_precision = _partner_copy(
                self.factory, rng, person, precision, frozenset(shared)
            )
            record = _render(
                rng, copy, self.temporary_ref(), precision=copy_precision, avoid=suspect
            )
            self.rows[agency].append(record)
            self.hits.append((suspect.ref, agency, record.ref, frozenset(shared)))

    def decoy(self) -> None:
        """Add a suspect nobody holds."""
        person = self.factory.person(self.rng)
        precision = _draw_precision(self.rng, 85)
        row = _render(self.rng, person, self.temporary_ref(), precision=precision)
        self.suspects.append((person, precision, row))

    def order_suspects(self) -> None:
        """Shuffle the suspects list, so planted ones are not first, and number it."""
        self.rng.shuffle(self.suspects)
        for number, (_, _, row) in enumerate(self.suspects):
            self.final_refs[row.ref] = f"suspect-{number + 1:04d}"

    def fill(self, agency: str, size: int, namesakes: int) -> None:
        """Complete one agency's dataset with namesakes of suspects and unrelated people."""
        rng = _rng(self.seed, f"agency/{agency}")
        rows = self.rows[agency]
        dated = [person for person, precision, _ in self.suspects if precision == "day"]
        for person in rng.sample(dated, min(namesakes, len(dated))):
            name = (person.given, person.surname)
            namesake = self.factory.person(rng, culture=person.culture, name=name)
            rows.append(_render(rng, namesake, self.temporary_ref()))
        while len(rows) < size:
            filler = self.factory.person(rng)
            precision = _draw_precision(rng, 85)
            shown = rng.random() >= 0.03  # a few rows do not record a nationality
            ref = self.temporary_ref()
            rows.append(_render(rng, filler, ref, precision=precision, show_nationality=shown))
        rng.shuffle(rows)
        for number, row in enumerate(rows):
            self.final_refs[row.ref] = f"{agency}-{number + 1:06d}"

    def federation(self) -> Federation:
        """The finished federation, every ref final."""
        final = self.final_refs
        suspects = tuple(replace(row, ref=final[row.ref]) for _, _, row in self.suspects)
        row_of = {row.ref: number for number, row in enumerate(suspects)}
        planted = sorted(
            (
                Planted(final[suspect], row_of[final[suspect]], agency, final[record], kinds)
                for suspect, agency, record, kinds in self.hits
            ),
            key=lambda hit: (hit.suspect_row, self.agencies.index(hit.agency)),
        )
        datasets = {
            agency: tuple(replace(row, ref=final[row.ref]) for row in rows)
            for agency, rows in self.rows.items()
        }
        return Federation(
            seed=self.seed,
            agencies=self.agencies,
            datasets=MappingProxyType(datasets),
            suspects=suspects,
            planted=tuple(planted),
        )


def _check_arguments(
    agencies: Sequence[str],
    persons_per_agency: int,
    shared_suspects: int,
    decoy_suspects: int,
    name_collisions: int,
) -> tuple[str, ...]:
    names = tuple(agencies)
    if isinstance(agencies, str) or len(names) < 2:
        raise InvalidInput("agencies: need at least two agency names")
    if len(set(names)) != len(names) or not all(names):
        raise InvalidInput("agencies: names must be distinct and non-empty")
    if min(persons_per_agency, shared_suspects, decoy_suspects, name_collisions) < 0:
        raise InvalidInput("counts must not be negative")
    if persons_per_agency < shared_suspects + name_collisions:
        raise InvalidInput("persons_per_agency: smaller than shared_suspects + name_collisions")
    return names


def _rng(seed: int, namespace: str) -> random.Random:
    # A string seed is hashed with SHA-512: stable across runs and platforms,
    # and independent streams per namespace.
    return random.Random(f"liaison-demo/{seed}/{namespace}")


def _draw_precision(rng: random.Random, full_percent: int) -> str:
    rest = 100 - full_percent
    return rng.choices(_PRECISIONS, (full_percent, rest * 0.4, rest * 0.5, rest * 0.1))[0]


def _partner_copy(
    factory: PersonFactory,
    rng: random.Random,
    person: Person,
    precision: str,
    shared: frozenset[KeyKind],
) -> tuple[Person, str]:
    """What a partner holds about a planted suspect: exactly ``shared`` in common.

    Shared kinds keep a non-empty subset of the suspect's values; every other
    kind gets fresh values or none, and the date of birth is made to differ
    (or left partial) unless name + date of birth is shared.
    """

    def keep(
        kind: KeyKind, values: tuple[_T, ...], fresh: Callable[[], _T], chance: float
    ) -> tuple[_T, ...]:
        if kind in shared:
            return tuple(rng.sample(values, rng.randint(1, len(values))))
        return (fresh(),) if rng.random() < chance else ()

    nationality = person.nationality
    copy = replace(
        person,
        documents=keep(
            KeyKind.DOCUMENT, person.documents, lambda: factory.document(rng, nationality), 0.5
        ),
        national_ids=person.national_ids if KeyKind.NATIONAL_ID in shared else (),
        phones=keep(KeyKind.PHONE, person.phones, lambda: factory.phone(rng, nationality), 0.5),
        emails=keep(
            KeyKind.EMAIL,
            person.emails,
            lambda: factory.email(rng, person.given, person.surname),
            0.4,
        ),
        ibans=keep(KeyKind.IBAN, person.ibans, lambda: factory.iban(rng, nationality), 0.3),
        wallets=keep(KeyKind.WALLET, person.wallets, lambda: factory.wallet(rng), 0.1),
    )
    if KeyKind.NAME_DOB in shared:
        return copy, "day"
    if precision != "day":
        # The suspect row yields no name key, so the partner may know the full date.
        return copy, rng.choice(("day", "month", "year"))
    if rng.random() < 0.4:
        return copy, rng.choice(("month", "year", "none"))
    # A data entry error: another full date, never used with this name.
    date = factory.another_date_of_birth(rng, person)
    return replace(copy, date_of_birth=date), "day"


def _spell(
    rng: random.Random,
    canonical: str,
    spellings: Callable[[], Sequence[str]],
    avoid: Sequence[str] | None,
) -> str:
    # Unrelated rows mostly use the canonical spelling (and so skip building
    # the others, the slow part); a planted copy takes a spelling the suspect
    # row did not use, wherever there is one.
    if avoid is None:
        return canonical if rng.random() < 0.6 else rng.choice(spellings())
    forms = spellings()
    return rng.choice([form for form in forms if form not in avoid] or list(forms))


def _render(
    rng: random.Random,
    person: Person,
    ref: str,
    *,
    precision: str = "day",
    show_nationality: bool = True,
    avoid: Record | None = None,
) -> Record:
    """Write a person down as one row, choosing a spelling for every value."""
    seen = avoid or Record(ref="")
    nationality = person.nationality if show_nationality else ""

    def spell(used: Sequence[str], canonical: str, spellings: Callable[[], Sequence[str]]) -> str:
        return _spell(rng, canonical, spellings, used if avoid is not None else None)

    def each(
        used: Sequence[str], values: Iterable[str], spellings: Callable[[str], Sequence[str]]
    ) -> tuple[str, ...]:
        return tuple(spell(used, value, partial(spellings, value)) for value in values)

    countries = tuple(country for _, country in person.documents)
    # Issuers fall back to the nationality only when no country is written.
    explicit = not nationality or any(c != nationality for c in countries) or rng.random() < 0.5
    return Record(
        ref=ref,
        full_name=spell(
            (seen.full_name,),
            f"{person.given} {person.surname}",
            partial(name_spellings, person.given, person.surname),
        ),
        date_of_birth=person.date_of_birth[: _DATE_LENGTH[precision]],
        nationality=nationality,
        document_numbers=each(
            seen.document_numbers,
            (number for number, _ in person.documents),
            ids.document_spellings,
        ),
        document_countries=countries if explicit else (),
        # A national id means nothing without its issuing country (the
        # nationality), and the importer refuses one written without it.
        national_ids=each(
            seen.national_ids,
            person.national_ids if nationality else (),
            partial(ids.national_id_spellings, person.nationality),
        ),
        phones=tuple(
            spell(seen.phones, e164(phone), partial(ids.phone_spellings, phone, nationality))
            for phone in person.phones
        ),
        emails=each(seen.emails, person.emails, ids.email_spellings),
        ibans=each(seen.ibans, person.ibans, ids.iban_spellings),
        wallets=person.wallets,
    )


def write_csv(path: Path, records: Iterable[Record]) -> None:
    """Write records as canonical CSV: :data:`SCHEMA_COLUMNS`, ``;`` between values.

    Args:
        path: The file to create or overwrite (UTF-8, ``\\n`` line ends).
        records: The rows, written in order.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SCHEMA_COLUMNS)
        for record in records:
            writer.writerow(
                value if isinstance(value, str) else ";".join(value) for value in _columns(record)
            )


def write_jsonl(path: Path, records: Iterable[Record]) -> None:
    """Write records as JSON Lines: one object per row, keyed by :data:`SCHEMA_COLUMNS`.

    Multi-valued columns are JSON lists (possibly empty); the others strings.

    Args:
        path: The file to create or overwrite (UTF-8, ``\\n`` line ends).
        records: The rows, written in order.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        for record in records:
            row = {
                column: value if isinstance(value, str) else list(value)
                for column, value in zip(SCHEMA_COLUMNS, _columns(record), strict=True)
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _columns(record: Record) -> tuple[str | tuple[str, ...], ...]:
    # In SCHEMA_COLUMNS order.
    return (
        record.ref,
        record.full_name,
        record.date_of_birth,
        record.nationality,
        record.document_numbers,
        record.document_countries,
        record.national_ids,
        record.phones,
        record.emails,
        record.ibans,
        record.wallets,
    )
