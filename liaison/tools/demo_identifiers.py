"""Synthetic identifiers for the demo data, and the other ways to write them.

Each ``make_*`` function draws from a seeded :class:`random.Random` and returns
one identifier in a canonical spelling; each ``*_spellings`` function returns
the ways people and systems also write that same identifier (spaces, case,
separators, national phone formats), all of which key spec v1 brings back to
one key. :mod:`liaison.demo_people` draws people with them and
:mod:`liaison.demo_data` writes those people into agencies' datasets.

Everything is invented, but built to pass the checks a careful importer runs:
phone numbers are valid for their region under ``phonenumbers``; IBANs carry
correct ISO 13616 mod-97 check digits (and the national check digits France,
Belgium and Spain define); national ids carry their national check digits;
wallet addresses carry real BIP-173 bech32 or base58check checksums over
random hashes. Nobody holds a key for those wallets, but a random phone
number or account number may exist in real life: never contact them.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import random
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType
from stdnum.es import ccc as es_ccc
from stdnum.es import dni as es_dni
from stdnum.fr import nir as fr_nir
from stdnum.tr import tckimlik as tr_tckimlik

from liaison.crypto.identifiers import BECH32_CHARSET, bech32_polymod

IBAN_COUNTRIES = ("FR", "NL", "DE", "BE", "TR", "ES")
"""Countries :func:`make_iban` knows the BBAN format of."""
NATIONAL_ID_COUNTRIES = frozenset({"FR", "BE", "NL", "TR", "ES", "MA"})
"""Countries :func:`make_national_id` has a scheme for."""

# Passport number shapes, "format-ish": 9 = digit, A = letter, X = letter or
# digit from the unambiguous set German passports use, anything else literal.
_PASSPORT_SHAPES = {
    "FR": "99AA99999",
    "NL": "AAXXXXXX9",
    "DE": "CXXXXXXXX",
    "BE": "AA999999",
    "TR": "U99999999",
    "ES": "AAA999999",
    "MA": "AA9999999",
    "DZ": "999999999",
    "TN": "A999999",
    "SY": "N999999999",
    "IQ": "A99999999",
    "EG": "A99999999",
}
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I or O: they read as 1 and 0
_ALNUM = "CFGHJKLMNPRTVWXYZ0123456789"

# Real Belgian bank codes (stdnum checks the bank against the NBB list).
_BE_BANKS = ("001", "063", "068", "096", "310", "363", "734", "735", "737", "751")
_NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ")

# Reserved for documentation by RFC 2606 / RFC 6761: no real mailbox.
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_DOB_FIRST = datetime.date(1950, 1, 1).toordinal()
_DOB_LAST = datetime.date(2005, 12, 31).toordinal()

_ASCII_DROP = str.maketrans("", "", "".join(chr(i) for i in range(128) if not chr(i).isalnum()))
# Letters that do not decompose under NFKD: needed for ASCII e-mail local parts.
_ASCII_TABLE = str.maketrans({"\u0131": "i", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"})


def strip_accents(text: str) -> str:
    """Remove combining marks after NFKD (é → e, ş → s; dotless i and ß are kept).

    Args:
        text: Any text.

    Returns:
        The text without nonspacing marks, recomposed (NFC).
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", kept)


def fold_ascii(text: str) -> str:
    """Fold text to lower-case ASCII letters and digits, everything else dropped.

    Args:
        text: Any text.

    Returns:
        The folded text (``"Öztürk Şahin"`` → ``"ozturksahin"``).
    """
    if text.isascii():
        return text.lower().translate(_ASCII_DROP)
    folded = strip_accents(unicodedata.normalize("NFKC", text).casefold().translate(_ASCII_TABLE))
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def make_date_of_birth(rng: random.Random) -> str:
    """Draw a full date of birth between 1950-01-01 and 2005-12-31 (ISO 8601)."""
    return datetime.date.fromordinal(rng.randint(_DOB_FIRST, _DOB_LAST)).isoformat()


def other_date_of_birth(rng: random.Random, date: str) -> str:
    """A different full date for the same person, as data entry errors make it.

    Day and month swapped, or a shift of a day, a month or a year; always
    within the 1950-2005 range of :func:`make_date_of_birth`.
    """
    day = datetime.date.fromisoformat(date)
    if day.day <= 12 and day.day != day.month and rng.random() < 0.5:
        return day.replace(month=day.day, day=day.month).isoformat()
    shift = rng.choice((1, 10, 31, 365, 366))
    later = day.toordinal() + shift
    earlier = day.toordinal() - shift
    # Either direction, as long as it stays in range: the range spans decades,
    # so at least one direction always does.
    moved = (
        later if later <= _DOB_LAST and (earlier < _DOB_FIRST or rng.random() < 0.5) else earlier
    )
    return datetime.date.fromordinal(moved).isoformat()


def make_passport(rng: random.Random, country: str) -> str:
    """Draw a passport number shaped like ``country``'s (letters upper-case)."""
    symbols = {"9": "0123456789", "A": _LETTERS, "X": _ALNUM}
    shape = _PASSPORT_SHAPES[country]
    return "".join(rng.choice(symbols[char]) if char in symbols else char for char in shape)


def document_spellings(number: str) -> tuple[str, ...]:
    """Spellings of a document number: case, a space or a hyphen in the middle."""
    middle = len(number) // 2
    head, tail = number[:middle], number[middle:]
    forms = (number, number.lower(), f"{head} {tail}", f"{head} {tail}".lower(), f"{head}-{tail}")
    return tuple(dict.fromkeys(forms))


def make_national_id(rng: random.Random, country: str, date_of_birth: str) -> str | None:
    """Draw a national id with valid check digits, or None if the demo has no scheme.

    Args:
        rng: Source of randomness.
        country: Issuing country (the holder's nationality).
        date_of_birth: Full ISO date, encoded where the scheme does (FR, BE).

    Returns:
        The compact id: FR NIR, BE national number, NL BSN, TR T.C. Kimlik,
        ES DNI, MA CIN; ``None`` for any other country.
    """
    year, month, day = date_of_birth[2:4], date_of_birth[5:7], date_of_birth[8:10]
    digits = functools.partial(_digits, rng)
    if country == "FR":
        department = f"{rng.randint(1, 95):02d}".replace("20", "21")  # 20 is Corsica's 2A/2B
        body = f"{rng.choice('12')}{year}{month}{department}{digits(6)}"
        return body + str(fr_nir.calc_check_digits(body + "00"))
    if country == "BE":
        body = f"{year}{month}{day}{rng.randint(1, 997):03d}"
        # Since 2000 the check is computed with a leading 2.
        base = int(("2" if date_of_birth >= "2000" else "") + body)
        return f"{body}{97 - base % 97:02d}"
    if country == "NL":
        return _make_bsn(rng)
    if country == "TR":
        body = str(rng.randint(1, 9)) + digits(8)
        return body + str(tr_tckimlik.calc_check_digits(body))
    if country == "ES":
        body = digits(8)
        return body + str(es_dni.calc_check_digit(body))
    if country == "MA":
        return "".join(rng.choices(_LETTERS, k=rng.choice((1, 2)))) + digits(6)
    return None


def _make_bsn(rng: random.Random) -> str:
    # Elfproef: weights 9..2 on the first eight digits, -1 on the last, sum % 11 == 0.
    while True:
        body = str(rng.randint(1, 9)) + _digits(rng, 7)
        check = sum((9 - i) * int(d) for i, d in enumerate(body)) % 11
        if check < 10:
            return body + str(check)


def national_id_spellings(country: str, number: str) -> tuple[str, ...]:
    """Spellings of a national id: the separators each country prints."""
    forms = [number]
    if country == "FR":
        parts = (number[0], number[1:3], number[3:5], number[5:7], number[7:10], number[10:13])
        forms.append(" ".join((*parts, number[13:])))
    elif country == "BE":
        forms += [
            f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}",
            f"{number[:6]} {number[6:9]} {number[9:]}",
        ]
    elif country == "NL":
        forms.append(f"{number[:4]}.{number[4:6]}.{number[6:]}")
    elif country == "TR":
        forms.append(f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}")
    elif country == "ES":
        forms += [f"{number[:8]}-{number[8]}", number.lower()]
    elif country == "MA":
        forms += [number.lower(), f"{number.rstrip('0123456789')} {_digits_of(number)}"]
    return tuple(dict.fromkeys(forms))


def make_iban(rng: random.Random, country: str) -> str:
    """Draw a compact IBAN of ``country`` with correct check digits.

    Args:
        rng: Source of randomness.
        country: One of :data:`IBAN_COUNTRIES`.

    Returns:
        The IBAN, upper-case, without spaces.
    """
    digits = functools.partial(_digits, rng)
    if country == "FR":
        bank, branch, account = digits(5), digits(5), digits(11)
        # RIB key: the French national check over bank, branch and account.
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank}{branch}{account}{key:02d}"
    elif country == "NL":
        bban = rng.choice(_NL_BANKS) + digits(10)
    elif country == "DE":
        bban = str(rng.randint(1, 8)) + digits(17)  # bank codes (BLZ) start with 1 to 8
    elif country == "BE":
        body = rng.choice(_BE_BANKS) + digits(7)
        bban = f"{body}{int(body) % 97 or 97:02d}"
    elif country == "TR":
        bban = digits(5) + "0" + digits(16)
    elif country == "ES":
        bank_branch, account = digits(8), digits(10)
        bban = bank_branch + str(es_ccc.calc_check_digits(bank_branch + "00" + account)) + account
    else:
        raise ValueError(f"no IBAN format for country {country!r}")
    return iban_with_check_digits(country, bban)


def iban_with_check_digits(country: str, bban: str) -> str:
    """Prefix a BBAN with its country and ISO 13616 mod-97 check digits."""
    # ISO 13616: move "CC00" to the end, letters become 10..35, 98 - n mod 97.
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def iban_spellings(iban: str) -> tuple[str, ...]:
    """Spellings of an IBAN: compact, printed in fours, lower-case."""
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return (iban, grouped, grouped.lower(), iban.lower())


def make_phone(rng: random.Random, region: str) -> PhoneNumber:
    """Draw a mobile number that ``phonenumbers`` accepts as valid for ``region``.

    Args:
        rng: Source of randomness.
        region: ISO alpha-2 region with mobile metadata.

    Returns:
        The number (check with ``phonenumbers.is_valid_number``).
    """
    prefixes, tail = _mobile_prefixes(region)
    country_code = phonenumbers.country_code_for_region(region)
    while True:
        national = int(rng.choice(prefixes) + _digits(rng, tail))
        number = PhoneNumber(country_code=country_code, national_number=national)
        if phonenumbers.is_valid_number_for_region(number, region):
            return number


@functools.cache
def _mobile_prefixes(region: str) -> tuple[tuple[str, ...], int]:
    # Vary the library's example mobile number: keep its length and the last
    # six digits free, try every ending (up to three digits) of the prefix
    # before them, keep the prefixes that validate.
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None:
        raise ValueError(f"no mobile example number for region {region!r}")
    national = str(example.national_number)
    tail = min(6, len(national) - 2)
    varied = min(3, len(national) - tail)
    stem = national[: len(national) - tail - varied]
    prefixes = []
    for ending in range(10**varied):
        prefix = f"{stem}{ending:0{varied}d}"
        number = PhoneNumber(
            country_code=example.country_code, national_number=int(prefix + national[-tail:])
        )
        if not prefix.startswith("0") and _is_mobile(number, region):
            prefixes.append(prefix)
    return tuple(prefixes), tail


def _is_mobile(number: PhoneNumber, region: str) -> bool:
    mobile = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return (
        phonenumbers.is_valid_number_for_region(number, region)
        and phonenumbers.number_type(number) in mobile
    )


def phone_spellings(number: PhoneNumber, nationality: str) -> tuple[str, ...]:
    """Spellings of a phone number that still parse to it for this holder.

    Key spec v1 reads a number without ``+`` as national to the holder's
    nationality, so national forms are offered only when the number belongs
    to that country, and ``00`` forms only when that country dials out
    with ``00``.

    Args:
        number: A valid number.
        nationality: The holder's nationality as written on the record ("" if none).

    Returns:
        E.164 first, then the other forms.
    """
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    forms = [e164, phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)]
    if nationality:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(nationality)
        if metadata is not None and metadata.international_prefix == "00":
            forms.append("00" + e164[1:])
        if phonenumbers.region_code_for_number(number) == nationality:
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            forms += [national, "".join(national.split())]
    return tuple(dict.fromkeys(forms))


def make_email(rng: random.Random, given: str, surname: str) -> str:
    """Draw a lower-case address under a reserved domain (RFC 2606, RFC 6761)."""
    first, last = fold_ascii(given), fold_ascii(surname)
    local = rng.choice(
        (f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}", f"{last}.{first}")
    )
    if rng.random() < 0.5:
        local += str(rng.randint(1, 99))
    return f"{local}@{rng.choice(_EMAIL_DOMAINS)}"


def email_spellings(email: str) -> tuple[str, ...]:
    """Spellings of an ASCII address: case only (lower-casing gives it back)."""
    local, _, domain = email.partition("@")
    capitalised = ".".join(part.capitalize() for part in local.split("."))
    forms = (email, f"{capitalised}@{domain.capitalize()}", email.upper())
    return tuple(dict.fromkeys(forms))


def make_wallet(rng: random.Random) -> str:
    """Draw a bitcoin address over a random 20-byte hash, with a real checksum.

    Mostly native SegWit (P2WPKH, BIP-173 bech32 ``bc1q…``, 42 characters),
    sometimes legacy base58check P2PKH (``1…``) or P2SH (``3…``).
    """
    payload = rng.randbytes(20)
    if rng.random() < 0.8:
        return _bech32_address("bc", 0, payload)
    version = rng.choice((b"\x00", b"\x05"))
    return _base58check(version + payload)


def _bech32_address(hrp: str, witness_version: int, program: bytes) -> str:
    # BIP-173: 8-bit program regrouped into 5-bit words, then 6 checksum words
    # from the BCH polymod over the expanded human-readable part and data.
    bits = "".join(f"{byte:08b}" for byte in program)
    bits += "0" * (-len(bits) % 5)
    data = [witness_version] + [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[word] for word in data + checksum)


def _base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    value = int.from_bytes(data, "big")
    encoded = ""
    while value:
        value, remainder = divmod(value, 58)
        encoded = _BASE58[remainder] + encoded
    # Each leading zero byte is written as a "1".
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + encoded


def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def _digits_of(text: str) -> str:
    return "".join(char for char in text if char.isdigit())
