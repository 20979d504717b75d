"""Key specs v1, v2 and v3: how a :class:`~liaison.core.records.Record` becomes match keys.

Every node must derive byte-identical keys from the same record, or PSI finds
nothing; ``docs/keyspec.md`` is the normative text and
``tests/data/keyspec_v1_vectors.json`` the vectors another implementation must
reproduce. A key reads ``1|<kind>|<part>|<part>...``: the spec version, the
:class:`~liaison.core.records.KeyKind` tag, then normalised parts, none of which can
contain ``|``.

Key spec v2 (:func:`derive_keys_v2`, ``docs/matching.md``) keeps every v1 key
byte for byte, with strength *exact*, and adds name variants (``2|name_*|``)
labelled *strong* or *fuzzy*, whose name forms come from :mod:`liaison.crypto.names`.
Key spec v3 (:func:`derive_keys_v3`) keeps v2's keys but the phonetic codes
of names of several parts and adds romanisation families and partial names
(``3|name_*|``, forms from :mod:`liaison.crypto.names_v3`); its partial-name
keys depend on the side, :class:`~liaison.core.records.KeyRole`.

This module drives the spec and holds the name and date-of-birth rules; the
other identifiers are normalised in :mod:`liaison.crypto.identifiers`, and
the text folding all of them share is :mod:`liaison.crypto.normalise`. The
``normalise_*`` functions are public because the input parsers validate with
them: a value a parser accepts is a value that yields a key, and ``None``
(or ``""``) means "yields no key".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from liaison.core.records import KeyKind, KeyRole, KeyStrength, MatchKey, NameVariant, Record
from liaison.crypto import names, names_v3
from liaison.crypto.identifiers import (
    document_issuers,
    normalise_country,
    normalise_email,
    normalise_iban,
    normalise_id,
    normalise_phone,
    normalise_wallet,
)
from liaison.crypto.normalise import SEPARATOR, name_tokens

KEY_SPEC_VERSION = "1"
"""Changes whenever any rule below changes the key of any input."""

KEY_SPEC_V2 = "2"
"""The version tag of the name variant keys of key spec v2."""

KEY_SPEC_V3 = "3"
"""The version tag of the name family keys of key spec v3 (``docs/matching.md``)."""

MAX_NAMES_V2 = 10
"""Names of one record that give keys in v2: the full name, then aliases in order."""

VARIANT_STRENGTHS = {
    NameVariant.DATE: KeyStrength.STRONG,
    NameVariant.SWAP: KeyStrength.STRONG,
    NameVariant.MONTH: KeyStrength.STRONG,
    NameVariant.PHONETIC: KeyStrength.FUZZY,
    NameVariant.JOINED: KeyStrength.FUZZY,
    NameVariant.TYPO: KeyStrength.FUZZY,
    NameVariant.FAMILY_DATE: KeyStrength.STRONG,
    NameVariant.FAMILY: KeyStrength.FUZZY,
    NameVariant.PART_OF: KeyStrength.FUZZY,
    NameVariant.CONTAINS: KeyStrength.FUZZY,
}
"""The strength of each v2 and v3 name variant (every v1 kind is exact)."""

V3_VARIANTS = frozenset(
    {NameVariant.FAMILY_DATE, NameVariant.FAMILY, NameVariant.PART_OF, NameVariant.CONTAINS}
)
"""The name variants key spec v3 adds; the others are v2's."""

MAX_KEYS_PER_NAME_V3 = 1 + 4 + (1 + names.MAX_TYPO_VARIANTS) + 3 + names_v3.MAX_SUBSET_KEYS
"""Keys one name gives in v3 at most (64): v1's, v2's but phonetic, 3 family keys, sub-forms."""

_DATE_RE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_FULL_DATE_LENGTH = len("YYYY-MM-DD")


def derive_keys(record: Record) -> tuple[MatchKey, ...]:
    """Derive the key spec v1 match keys of one record.

    Values that cannot yield a key (partial date of birth, number without a
    resolvable country, invalid phone or IBAN...) are skipped, never reported:
    the input parser has already rejected what it considers an error.

    Args:
        record: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value (deterministic).
    """
    return tuple(sorted(set(_all_keys(record))))


def key_strength(tag: KeyKind | NameVariant) -> KeyStrength:
    """The strength a hit on a key with this tag is reported with.

    Args:
        tag: A v1 kind or a v2 name variant (:func:`key_tag` reads it).

    Returns:
        Exact for v1's kinds, strong or fuzzy for v2's name variants.
    """
    return VARIANT_STRENGTHS[tag] if isinstance(tag, NameVariant) else KeyStrength.EXACT


def key_tag(key: MatchKey) -> KeyKind | NameVariant:
    """The tag inside a key's value: its v1 kind, or its v2 name variant.

    Args:
        key: A key from :func:`derive_keys` or :func:`derive_keys_v2`.

    Returns:
        The :class:`NameVariant` for a v2 key, else the key's kind.
    """
    version, _, rest = key.value.partition(SEPARATOR)
    if version in (KEY_SPEC_V2, KEY_SPEC_V3):
        return NameVariant(rest.partition(SEPARATOR)[0])
    return key.kind


def strongest(keys: Iterable[MatchKey]) -> KeyStrength | None:
    """The strength of a hit on these keys: that of the strongest one.

    Args:
        keys: The keys two records share.

    Returns:
        The highest strength, or ``None`` when there is no key.
    """
    return max((key.strength for key in keys), default=None)


def derive_keys_v2(record: Record) -> tuple[MatchKey, ...]:
    """Derive the key spec v2 match keys of one record.

    Every key of :func:`derive_keys` (v1, byte-identical, exact), a v1
    ``name_dob`` key for each alias, and the name variants of the full name and
    of each alias (at most :data:`MAX_NAMES_V2` names in all), each with its
    strength. ``docs/matching.md`` gives the rules and the bound on the count.

    Args:
        record: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value (deterministic).
    """
    keys = set(_all_keys(record))
    date = normalise_date_of_birth(record.date_of_birth)
    for name in record_names(record):
        if date is not None and len(date) == _FULL_DATE_LENGTH:
            keys.update(_key(KeyKind.NAME_DOB, normalise_name(name), date))
        keys.update(_name_variant_keys(name, date))
    return tuple(sorted(keys))


def record_names(record: Record) -> list[str]:
    """The names of a record that give name keys: full name, then aliases, at most 10.

    Args:
        record: A record.

    Returns:
        Distinct non-empty names in order, at most :data:`MAX_NAMES_V2`.
    """
    names = dict.fromkeys(name for name in (record.full_name, *record.aliases) if name)
    return list(names)[:MAX_NAMES_V2]


def derive_keys_v3(record: Record, role: KeyRole = KeyRole.LISTED) -> tuple[MatchKey, ...]:
    """Derive the key spec v3 match keys of one record.

    Every key of :func:`derive_keys_v2` (v1 and v2 byte-identical), and for
    each name of :func:`record_names` with a date of birth the family forms
    of :mod:`liaison.crypto.names_v3`: ``name_family_date`` (strong, full
    date), ``name_family`` and one ``name_pair`` per pair of parts (fuzzy,
    year). ``docs/matching.md`` gives the rules and the bound on the count.

    Args:
        record: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value (deterministic).
    """
    keys = {key for key in derive_keys_v2(record) if _kept_in_v3(key)}
    date = normalise_date_of_birth(record.date_of_birth)
    if date is None:
        return tuple(sorted(keys))
    for name in record_names(record):
        forms = names_v3.family_forms(name)
        if forms is None:
            continue
        if forms.family and len(date) == _FULL_DATE_LENGTH:
            keys.add(_key_v3(NameVariant.FAMILY_DATE, forms.family, date))
        if forms.family:
            keys.add(_key_v3(NameVariant.FAMILY, forms.family, date[:4]))
        keys.update(_partial_keys(forms, date[:4], role))
    return tuple(sorted(keys))


def _kept_in_v3(key: MatchKey) -> bool:
    """v2's keys but the phonetic codes of names of several parts (family codes replace them)."""
    if key_tag(key) is not NameVariant.PHONETIC:
        return True
    return " " not in key.value.split(SEPARATOR)[2]


def _partial_keys(forms: names_v3.FamilyForms, year: str, role: KeyRole) -> Iterator[MatchKey]:
    """The whole name under one tag and its sub-forms under the other, by role."""
    whole, parts = (
        (NameVariant.CONTAINS, NameVariant.PART_OF)
        if role is KeyRole.LISTED
        else (NameVariant.PART_OF, NameVariant.CONTAINS)
    )
    if len(forms.codes) > 1 and forms.family:
        yield _key_v3(whole, forms.family, year)
    for subset in forms.subsets:
        yield _key_v3(parts, subset, year)


def _key_v3(variant: NameVariant, name_form: str, date_form: str) -> MatchKey:
    value = SEPARATOR.join((KEY_SPEC_V3, variant.value, name_form, date_form))
    return MatchKey(KeyKind.NAME_DOB, value, VARIANT_STRENGTHS[variant])


def _name_variant_keys(name: str, date: str | None) -> Iterator[MatchKey]:
    forms = names.name_forms(name)
    if forms is None or date is None:
        return
    year = date[:4]
    if len(date) == _FULL_DATE_LENGTH:
        yield _key_v2(NameVariant.DATE, forms.skeleton, date)
        month, day = int(date[5:7]), int(date[8:10])
        # Only a day of 12 or less can have been swapped with the month.
        if day <= 12 and day != month:
            yield _key_v2(
                NameVariant.SWAP,
                forms.skeleton,
                f"{year}-{min(month, day):02d}-{max(month, day):02d}",
            )
    if len(date) >= len("YYYY-MM"):
        yield _key_v2(NameVariant.MONTH, forms.skeleton, date[:7])
    yield _key_v2(NameVariant.JOINED, forms.joined, year)
    if forms.phonetic:
        yield _key_v2(NameVariant.PHONETIC, forms.phonetic, year)
    for variant in forms.typos:
        yield _key_v2(NameVariant.TYPO, variant, year)


def _key_v2(variant: NameVariant, name_form: str, date_form: str) -> MatchKey:
    value = SEPARATOR.join((KEY_SPEC_V2, variant.value, name_form, date_form))
    return MatchKey(KeyKind.NAME_DOB, value, VARIANT_STRENGTHS[variant])


def _all_keys(record: Record) -> Iterator[MatchKey]:
    nationality = normalise_country(record.nationality)
    yield from _name_dob_keys(record)
    yield from _document_keys(record, nationality)
    if nationality is not None:
        for national_id in record.national_ids:
            yield from _key(KeyKind.NATIONAL_ID, nationality, normalise_id(national_id))
    for phone in record.phones:
        yield from _key(KeyKind.PHONE, normalise_phone(phone, nationality))
    for email in record.emails:
        yield from _key(KeyKind.EMAIL, normalise_email(email))
    for number in record.ibans:
        yield from _key(KeyKind.IBAN, normalise_iban(number))
    for wallet in record.wallets:
        yield from _key(KeyKind.WALLET, normalise_wallet(wallet))


def _key(kind: KeyKind, *parts: str | None) -> Iterator[MatchKey]:
    """Yield one key, or nothing when a part is missing (``None`` or empty)."""
    present = [part for part in parts if part]
    if len(present) == len(parts):
        yield MatchKey(kind, SEPARATOR.join((KEY_SPEC_VERSION, kind.value, *present)))


def _name_dob_keys(record: Record) -> Iterator[MatchKey]:
    date = normalise_date_of_birth(record.date_of_birth)
    # v1 matches names on a full date only: a year alone would make
    # "common name + year" hits between different people far too likely.
    if date is not None and len(date) == _FULL_DATE_LENGTH:
        yield from _key(KeyKind.NAME_DOB, normalise_name(record.full_name), date)


def _document_keys(record: Record, nationality: str | None) -> Iterator[MatchKey]:
    for number, country in zip(
        record.document_numbers,
        document_issuers(record.document_numbers, record.document_countries, nationality),
        strict=True,
    ):
        yield from _key(KeyKind.DOCUMENT, country, normalise_id(number))


def normalise_name(text: str) -> str:
    """Normalise a full name: folded tokens sorted by code point, one space apart.

    Sorting makes "ALI, Ahmed" and "Ahmed Ali" one key. There is no
    transliteration in v1: Latin and Arabic spellings of a name differ.

    Args:
        text: A full name as written.

    Returns:
        The normalised name, or ``""`` when it has no letter or digit.
    """
    return " ".join(sorted(name_tokens(text)))


def normalise_date_of_birth(text: str) -> str | None:
    """Check a date of birth written YYYY, YYYY-MM or YYYY-MM-DD.

    Args:
        text: The date as written (surrounding blanks ignored).

    Returns:
        The date unchanged if it is a real calendar date (or month, or year),
        else ``None``. Only the full form yields a name key.
    """
    text = text.strip()
    if not _DATE_RE.fullmatch(text):
        return None
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None
    return text
