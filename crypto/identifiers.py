"""Key parts of identifiers other than names: documents, countries, phones, IBANs, wallets.

Each ``normalise_*`` function turns a value as written into the part of a key
spec v1 key (``docs/keyspec.md``), or returns ``None`` (or ``""``) when the
value yields no key. The input parsers (:mod:`liaison.node.records`,
:mod:`liaison.node.ftm`) validate with the same functions, so a value they
accept is a value that yields a key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import phonenumbers
import pycountry
from stdnum import iban as stdnum_iban

from liaison.crypto import countries, unicode14
from liaison.crypto.normalise import SEPARATOR, fold, name_tokens

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

_ETHEREUM_RE = re.compile(r"0[xX][0-9a-fA-F]{40}")
_WALLET_RE = re.compile(r"[A-Za-z0-9]{14,128}")
# BIP-173 / BIP-350: data alphabet, checksum generator and the two valid
# checksum constants (bech32, bech32m).
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_CONSTANTS = (1, 0x2BC830A3)
_BECH32_CHECKSUM_LENGTH = 6


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
        nationality: The record's nationality, already normalised.

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


def normalise_id(text: str) -> str:
    """Normalise a document number or national id: letters and digits only.

    Args:
        text: The identifier as written (spaces, dots, hyphens allowed).

    Returns:
        The folded letters and digits, ASCII letters upper-case, or ``""``.
    """
    kept = "".join(char for char in fold(text) if unicode14.category(char)[0] in "LN")
    # Only ASCII is upper-cased: str.upper() differs between languages' runtimes
    # for some scripts, ASCII never does.
    return kept.translate(_ASCII_UPPER)


def normalise_country(text: str) -> str | None:
    """Resolve a country written as ISO alpha-2, alpha-3, English name or demonym.

    Matching is on folded text, so "france", "FRA" and "Côte d'Ivoire" /
    "cote divoire" all resolve; so do "State of Palestine", "Kosovo" and
    "Iraqi" (:mod:`liaison.crypto.countries`).

    Args:
        text: The country as written.

    Returns:
        The ISO 3166-1 alpha-2 code, upper-case, or ``None`` if unknown.
    """
    return _country_index().get(" ".join(name_tokens(text)))


@functools.cache
def _country_index() -> dict[str, str]:
    index = dict(_COUNTRY_ALIASES)
    names: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            spelling = getattr(country, attribute, None)
            if isinstance(spelling, str):
                index.setdefault(" ".join(name_tokens(spelling)), country.alpha_2)
                names.append((spelling, country.alpha_2))
    # Lower priority: never changes what pycountry or the aliases resolve.
    extra = [*countries.derived_spellings(names), *countries.EXTRA_NAMES.items()]
    for spelling, code in [*extra, *countries.DEMONYMS.items()]:
        index.setdefault(" ".join(name_tokens(spelling)), code)
    return index


def normalise_phone(text: str, region: str | None) -> str | None:
    """Normalise a phone number to E.164 with libphonenumber.

    Args:
        text: The number as written; without a leading ``+`` (or the region's
            international prefix) it is read as a national number of ``region``.
        region: The alpha-2 code of the record's nationality, if known.

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
    address = unicode14.lower(unicode14.normalize("NFC", text.strip()))
    local, _, domain = address.partition("@")
    if address.count("@") != 1 or not local or "." not in domain:
        return None
    if domain.startswith(".") or domain.endswith("."):
        return None
    if any(char == SEPARATOR or _is_blank_or_control(char) for char in address):
        return None
    return address


def _is_blank_or_control(char: str) -> bool:
    return char.isspace() or unicode14.category(char)[0] in "CZ"


def normalise_iban(text: str) -> str | None:
    """Normalise an IBAN: compact upper-case form, checked with python-stdnum.

    Args:
        text: The IBAN as written (spaces, dots, hyphens allowed).

    Returns:
        The compact IBAN, or ``None`` if format, country or check digits fail.
    """
    text = unicode14.normalize("NFKC", text)
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
