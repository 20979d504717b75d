"""Key specs v1 and v2: how an :class:`~crypto.identity.Identity` becomes match keys.

Every node must derive byte-identical keys from the same identity, or PSI finds
nothing; ``docs/keyspec.md`` is the normative text and
``tests/data/keyspec_v1_vectors.json`` the vectors another implementation must
reproduce. A key reads ``1|<kind>|<part>|<part>...``: the spec version, the
:class:`~crypto.identity.KeyKind` tag, then normalised parts, none of which can
contain ``|``.

Key spec v2 (:func:`derive_keys_v2`, ``docs/matching.md``) keeps every v1 key
byte for byte, with strength *exact*, and adds name variants (``2|name_*|``)
labelled *strong* or *fuzzy*, whose name forms come from :mod:`crypto.names`.

The ``normalise_*`` functions are public because the input parser
(:mod:`node.records`) validates with them: a value the parser accepts is a
value that yields a key, and ``None`` (or ``""``) means "yields no key".
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

import phonenumbers
import pycountry
from stdnum import iban as stdnum_iban

from liaison.core.records import KeyKind, KeyStrength, MatchKey, NameVariant, Record

KEY_SPEC_VERSION = "1"
"""Changes whenever any rule below changes the key of any input."""

KEY_SPEC_V2 = "2"
"""The version tag of the name variant keys of key spec v2."""

MAX_NAMES_V2 = 10
"""Names of one identity that give keys in v2: the full name, then aliases in order."""

VARIANT_STRENGTHS = {
    NameVariant.DATE: KeyStrength.STRONG,
    NameVariant.SWAP: KeyStrength.STRONG,
    NameVariant.MONTH: KeyStrength.STRONG,
    NameVariant.PHONETIC: KeyStrength.FUZZY,
    NameVariant.JOINED: KeyStrength.FUZZY,
    NameVariant.TYPO: KeyStrength.FUZZY,
}
"""The strength of each v2 name variant (every v1 kind is exact)."""

SEPARATOR = "|"

# Apostrophes are dropped rather than turned into separators, as ICAO Doc 9303
# does in the passport MRZ: O'Brien (straight or curly apostrophe) and OBrien
# give one token. The acute accent is a common typing stand-in and must go
# before NFKD turns it into a space plus a combining mark.
_APOSTROPHES = frozenset("'\u2018\u2019\u201b\u02bb\u02bc\u02be\u02bf`\u00b4")

# Letters that neither decompose under NFKD nor case-fold to ASCII. The
# Arabic tatweel (U+0640) is a typographic stretch and is dropped. ß is
# already "ss" after case folding and is listed for readers.
_LETTER_TABLE = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "æ": "ae",
        "œ": "oe",
        "\u0131": "i",  # Turkish dotless i
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "\u0640": "",
    }
)

# Spellings seen on travel documents and in case files that ISO 3166 (and so
# pycountry) does not list: "D" is Germany's ICAO 9303 code, "UK" is reserved
# for GB, Kosovo has the user-assigned XK and the ICAO code RKS.
_COUNTRY_ALIASES = {
    "d": "DE",
    "uk": "GB",
    "great britain": "GB",
    "russia": "RU",
    "turkey": "TR",
    "ivory coast": "CI",
    "cape verde": "CV",
    "palestine": "PS",
    "brunei": "BN",
    "vatican": "VA",
    "macedonia": "MK",
    "swaziland": "SZ",
    "burma": "MM",
    "east timor": "TL",
    "democratic republic of the congo": "CD",
    "xk": "XK",
    "xkx": "XK",
    "rks": "XK",
    "kosovo": "XK",
}

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")

_DATE_RE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_FULL_DATE_LENGTH = len("YYYY-MM-DD")

_ETHEREUM_RE = re.compile(r"0[xX][0-9a-fA-F]{40}")
_WALLET_RE = re.compile(r"[A-Za-z0-9]{14,128}")
# BIP-173 / BIP-350: data alphabet, checksum generator and the two valid
# checksum constants (bech32, bech32m).
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_CONSTANTS = (1, 0x2BC830A3)
_BECH32_CHECKSUM_LENGTH = 6


def derive_keys(identity: Record) -> tuple[MatchKey, ...]:
    """Derive the key spec v1 match keys of one identity.

    Values that cannot yield a key (partial date of birth, number without a
    resolvable country, invalid phone or IBAN...) are skipped, never reported:
    the input parser has already rejected what it considers an error.

    Args:
        identity: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value (deterministic).
    """
    return tuple(sorted(set(_all_keys(identity))))


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
    if version == KEY_SPEC_V2:
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


def derive_keys_v2(identity: Record) -> tuple[MatchKey, ...]:
    """Derive the key spec v2 match keys of one identity.

    Every key of :func:`derive_keys` (v1, byte-identical, exact), a v1
    ``name_dob`` key for each alias, and the name variants of the full name and
    of each alias (at most :data:`MAX_NAMES_V2` names in all), each with its
    strength. ``docs/matching.md`` gives the rules and the bound on the count.

    Args:
        identity: The record as parsed from an input file.

    Returns:
        The keys, deduplicated and sorted by kind then value (deterministic).
    """
    names = list(dict.fromkeys(name for name in (identity.full_name, *identity.aliases) if name))
    keys = set(_all_keys(identity))
    date = normalise_date_of_birth(identity.date_of_birth)
    for name in names[:MAX_NAMES_V2]:
        if date is not None and len(date) == _FULL_DATE_LENGTH:
            keys.update(_key(KeyKind.NAME_DOB, normalise_name(name), date))
        keys.update(_name_variant_keys(name, date))
    return tuple(sorted(keys))


def _name_variant_keys(name: str, date: str | None) -> Iterator[MatchKey]:
    # Imported here: crypto.names builds on this module's fold and tokens.
    from liaison.crypto import names

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


def _all_keys(identity: Record) -> Iterator[MatchKey]:
    nationality = normalise_country(identity.nationality)
    yield from _name_dob_keys(identity)
    yield from _document_keys(identity, nationality)
    if nationality is not None:
        for national_id in identity.national_ids:
            yield from _key(KeyKind.NATIONAL_ID, nationality, normalise_id(national_id))
    for phone in identity.phones:
        yield from _key(KeyKind.PHONE, normalise_phone(phone, nationality))
    for email in identity.emails:
        yield from _key(KeyKind.EMAIL, normalise_email(email))
    for number in identity.ibans:
        yield from _key(KeyKind.IBAN, normalise_iban(number))
    for wallet in identity.wallets:
        yield from _key(KeyKind.WALLET, normalise_wallet(wallet))


def _key(kind: KeyKind, *parts: str | None) -> Iterator[MatchKey]:
    """Yield one key, or nothing when a part is missing (``None`` or empty)."""
    present = [part for part in parts if part]
    if len(present) == len(parts):
        yield MatchKey(kind, SEPARATOR.join((KEY_SPEC_VERSION, kind.value, *present)))


def _name_dob_keys(identity: Record) -> Iterator[MatchKey]:
    date = normalise_date_of_birth(identity.date_of_birth)
    # v1 matches names on a full date only: a year alone would make
    # "common name + year" hits between different people far too likely.
    if date is not None and len(date) == _FULL_DATE_LENGTH:
        yield from _key(KeyKind.NAME_DOB, normalise_name(identity.full_name), date)


def _document_keys(identity: Record, nationality: str | None) -> Iterator[MatchKey]:
    for number, country in zip(
        identity.document_numbers,
        document_issuers(identity.document_numbers, identity.document_countries, nationality),
        strict=True,
    ):
        yield from _key(KeyKind.DOCUMENT, country, normalise_id(number))


def document_issuers(
    numbers: tuple[str, ...], countries: tuple[str, ...], nationality: str | None
) -> tuple[str | None, ...]:
    """Resolve the issuing country (alpha-2) of each document number.

    Countries pair with numbers by position when the counts match; a single
    country applies to every number; no country falls back to the nationality;
    any other count resolves nothing.

    Args:
        numbers: The document numbers, in file order.
        countries: The document countries as written, in file order.
        nationality: The identity's nationality, already normalised.

    Returns:
        One alpha-2 code or ``None`` per number, aligned with ``numbers``.
    """
    if len(countries) == len(numbers):
        return tuple(normalise_country(country) for country in countries)
    if len(countries) == 1:
        return (normalise_country(countries[0]),) * len(numbers)
    if not countries:
        return (nationality,) * len(numbers)
    return (None,) * len(numbers)


def fold(text: str) -> str:
    """Fold text for comparison: case, compatibility forms and diacritics removed.

    Steps (``docs/keyspec.md`` gives the reasons): drop apostrophes and
    format characters; compatibility caseless form
    ``NFKD(casefold(NFKD(casefold(NFD(x)))))`` (Unicode 14.0 section 3.13);
    drop nonspacing marks (Mn), format characters and apostrophes again; apply
    the letter table; map every decimal digit to ASCII; NFC.

    Args:
        text: Any text.

    Returns:
        The folded text, lower-case wherever the script has case.
    """
    text = _drop_ignorables(text)
    text = unicodedata.normalize("NFD", text).casefold()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = _drop_ignorables(unicodedata.normalize("NFKD", text), marks=True)
    text = "".join(_ascii_digit(char) for char in text.translate(_LETTER_TABLE))
    return unicodedata.normalize("NFC", text)


def _drop_ignorables(text: str, *, marks: bool = False) -> str:
    return "".join(
        char
        for char in text
        if char not in _APOSTROPHES
        and unicodedata.category(char) != "Cf"
        and not (marks and unicodedata.category(char) == "Mn")
    )


def _ascii_digit(char: str) -> str:
    digit = unicodedata.decimal(char, None)
    return str(digit) if digit is not None else char


def name_tokens(text: str) -> list[str]:
    """Split folded text into tokens of letters, digits and marks, in order.

    Args:
        text: Any text.

    Returns:
        The tokens; every other character (space, hyphen, comma...) separates.
    """
    tokens: list[str] = []
    current: list[str] = []
    for char in fold(text):
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


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


def normalise_id(text: str) -> str:
    """Normalise a document number or national id: letters and digits only.

    Args:
        text: The identifier as written (spaces, dots, hyphens allowed).

    Returns:
        The folded letters and digits, ASCII letters upper-case, or ``""``.
    """
    kept = "".join(char for char in fold(text) if unicodedata.category(char)[0] in "LN")
    # Only ASCII is upper-cased: str.upper() differs between languages' runtimes
    # for some scripts, ASCII never does.
    return kept.translate(_ASCII_UPPER)


def normalise_country(text: str) -> str | None:
    """Resolve a country written as ISO alpha-2, alpha-3 or English name.

    Matching is on folded text, so "france", "FRA" and "Côte d'Ivoire" /
    "cote divoire" all resolve.

    Args:
        text: The country as written.

    Returns:
        The ISO 3166-1 alpha-2 code, upper-case, or ``None`` if unknown.
    """
    return _country_index().get(" ".join(name_tokens(text)))


@functools.cache
def _country_index() -> dict[str, str]:
    index = dict(_COUNTRY_ALIASES)
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            spelling = getattr(country, attribute, None)
            if isinstance(spelling, str):
                index.setdefault(" ".join(name_tokens(spelling)), country.alpha_2)
    return index


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


def normalise_phone(text: str, region: str | None) -> str | None:
    """Normalise a phone number to E.164 with libphonenumber.

    Args:
        text: The number as written; without a leading ``+`` (or the region's
            international prefix) it is read as a national number of ``region``.
        region: The alpha-2 code of the identity's nationality, if known.

    Returns:
        ``+<country code><number>``, or ``None`` if unparseable or invalid.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(text: str) -> str | None:
    """Normalise an e-mail address: trimmed, NFC, lower-cased, nothing else.

    No provider-specific folding (Gmail dots, ``+tag``): those rules are not
    universal and would merge distinct mailboxes of other providers.

    Args:
        text: The address as written.

    Returns:
        The address, or ``None`` unless it has exactly one ``@``, a non-empty
        local part, a dot inside the domain, and no blank, control, format or
        ``|`` character.
    """
    address = unicodedata.normalize("NFC", text.strip()).lower()
    local, _, domain = address.partition("@")
    if address.count("@") != 1 or not local or "." not in domain:
        return None
    if domain.startswith(".") or domain.endswith("."):
        return None
    if any(char == SEPARATOR or _is_blank_or_control(char) for char in address):
        return None
    return address


def _is_blank_or_control(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "CZ"


def normalise_iban(text: str) -> str | None:
    """Normalise an IBAN: compact upper-case form, checked with python-stdnum.

    Args:
        text: The IBAN as written (spaces, dots, hyphens allowed).

    Returns:
        The compact IBAN, or ``None`` if format, country or check digits fail.
    """
    text = unicodedata.normalize("NFKC", text)
    if not stdnum_iban.is_valid(text):
        return None
    compact = str(stdnum_iban.compact(text))
    return compact if compact.isascii() and compact.isalnum() else None


def normalise_wallet(text: str) -> str | None:
    """Normalise a crypto wallet address.

    ``0x`` plus 40 hex digits (Ethereum and EVM chains) is lower-cased, since
    EIP-55 mixed case is only a checksum; a valid bech32/bech32m string
    (BIP-173/BIP-350 checksum) is lower-cased, since its case carries nothing;
    anything else (base58 and the like) is kept exactly, since case matters.

    Args:
        text: The address as written (surrounding blanks ignored).

    Returns:
        The address, or ``None`` unless it is 14 to 128 ASCII letters/digits.
    """
    address = text.strip()
    if not _WALLET_RE.fullmatch(address):
        return None
    if _ETHEREUM_RE.fullmatch(address) or _is_bech32(address):
        return address.lower()
    return address


def _is_bech32(address: str) -> bool:
    # BIP-173: mixed case is invalid; the separator is the last "1".
    if address not in (address.lower(), address.upper()):
        return False
    hrp, _, data = address.lower().rpartition("1")
    if not hrp or len(data) < _BECH32_CHECKSUM_LENGTH:
        return False
    if any(char not in BECH32_CHARSET for char in data):
        return False
    values = [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]
    values += [BECH32_CHARSET.index(char) for char in data]
    return bech32_polymod(values) in _BECH32_CONSTANTS


def bech32_polymod(values: Sequence[int]) -> int:
    """Return the BIP-173 checksum polymod of 5-bit values (shared with the demo generator)."""
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GENERATOR):
            if (top >> bit) & 1:
                checksum ^= generator
    return checksum
