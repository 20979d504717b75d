"""The canonical person/object record and the match keys derived from it.

These types are shared by every layer: the importer and the match CLI parse
files into :class:`Record`, the key spec (:mod:`crypto.keys`) turns an
identity into :class:`MatchKey` values, and the store keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    """The kinds of match key of key spec v1 (the tag inside every key).

    Key spec v2's name variants are keys of kind ``NAME_DOB`` too (a name with
    a date of birth); their :class:`NameVariant` tag is in the key's value.
    """

    DOCUMENT = "document"
    NAME_DOB = "name_dob"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    WALLET = "wallet"
    NATIONAL_ID = "national_id"
    # Identifier keys of entities and transactions (docs/keyspec.md,
    # "Identifier keys"): new kinds, so they may share v1's key format.
    DOCUMENT_NUMBER = "document_number"
    ORGANISATION = "organisation"
    REGISTRATION = "registration"
    LEI = "lei"
    IMO = "imo"
    TRANSACTION = "transaction"


class EntityType(StrEnum):
    """What a record describes: the ``type`` column of the input format."""

    PERSON = "person"
    ORGANISATION = "organisation"
    VESSEL = "vessel"


class NameVariant(StrEnum):
    """The name variant keys of key specs v2 and v3 (the tag inside ``2|<tag>|...``, ``3|...``)."""

    DATE = "name_date"
    SWAP = "name_swap"
    MONTH = "name_month"
    PHONETIC = "name_phonetic"
    JOINED = "name_joined"
    TYPO = "name_typo"
    FAMILY_DATE = "name_family_date"
    FAMILY = "name_family"
    PART_OF = "name_part_of"
    CONTAINS = "name_contains"


class KeyRole(StrEnum):
    """Which side of a match keys are derived for (key spec v3's only asymmetry).

    A listed record and a query derive the same keys but for the partial-name
    forms: ``name_part_of`` holds a query's whole name and a listed record's
    names with parts left out, ``name_contains`` the other way round. A
    short name then meets a longer one that contains it, in either
    direction, while two long names that share all but one part (brothers,
    say) share no such key.
    """

    LISTED = "listed"
    QUERY = "query"


_STRENGTH_RANK = {"fuzzy": 0, "strong": 1, "exact": 2}


class KeyStrength(StrEnum):
    """How much a shared key says about two records being one person.

    Ordered by that: ``FUZZY < STRONG < EXACT``, so ``max()`` of the strengths
    of the keys two records share is the strength of their hit. (The order is
    not the alphabetical one that plain strings would give.)
    """

    FUZZY = "fuzzy"
    STRONG = "strong"
    EXACT = "exact"

    @property
    def rank(self) -> int:
        """0 for fuzzy, 1 for strong, 2 for exact."""
        return _STRENGTH_RANK[self.value]

    def __lt__(self, other: str) -> bool:
        if isinstance(other, KeyStrength):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other: str) -> bool:
        if isinstance(other, KeyStrength):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other: str) -> bool:
        if isinstance(other, KeyStrength):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other: str) -> bool:
        if isinstance(other, KeyStrength):
            return self.rank >= other.rank
        return NotImplemented


#: Column prefixes of a record's non-identifier fields: releasable on an
#: officer's approval, or source fields that are never released.
RELEASE_PREFIX = "release."
SOURCE_PREFIX = "source."


@dataclass(frozen=True, slots=True)
class RecordField:
    """A non-identifier field of a record, named with its column (``source.informant``)."""

    name: str
    value: str

    @property
    def source(self) -> bool:
        """A source field (informant, origin, classification notes): never released."""
        return self.name.startswith(SOURCE_PREFIX)


@dataclass(frozen=True, slots=True)
class Record:
    """One row of the canonical schema, as written in the input file.

    Values are kept as given (stripped of surrounding blanks); normalisation is
    the key spec's job. Each tuple holds the ``;``-separated values of one
    column, in file order. ``aliases`` are other names of the same person;
    key spec v1 ignores them, v2 derives name keys from each.

    The fields after ``aliases`` came with entities (``docs/input-format.md``):
    ``entity_type`` says whether the row is a person, an organisation or a
    vessel; ``country`` is an organisation's country (of registration) or a
    vessel's flag; ``other_dates_of_birth`` are the dates after the first
    (lists give several); the identifier columns hold registration numbers,
    LEIs, IMO numbers and transaction references (bitcoin transaction ids,
    payment UETRs).
    """

    ref: str
    full_name: str = ""
    date_of_birth: str = ""
    nationality: str = ""
    document_numbers: tuple[str, ...] = ()
    document_countries: tuple[str, ...] = ()
    national_ids: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    wallets: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    entity_type: EntityType = EntityType.PERSON
    country: str = ""
    other_dates_of_birth: tuple[str, ...] = ()
    registration_numbers: tuple[str, ...] = ()
    leis: tuple[str, ...] = ()
    imo_numbers: tuple[str, ...] = ()
    transactions: tuple[str, ...] = ()

    @property
    def dates_of_birth(self) -> tuple[str, ...]:
        """Every date of birth given: ``date_of_birth`` then the others."""
        first = (self.date_of_birth,) if self.date_of_birth else ()
        return (*first, *self.other_dates_of_birth)

    #: ``release.*`` and ``source.*`` columns, in file order (docs/input-format.md).
    details: tuple[RecordField, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class MatchKey:
    """A match key: the exact string PSI compares, and the kind it belongs to.

    ``value`` embeds the key-spec version and the kind tag, so keys of
    different kinds or versions can never be equal by accident. ``strength``
    labels a hit on this key; every key spec v1 key is exact.
    """

    kind: KeyKind
    value: str
    strength: KeyStrength = KeyStrength.EXACT
