"""Text folding shared by every key: case, compatibility forms, diacritics, tokens.

Key spec v1's names, identifiers and countries and key spec v2's name forms
(:mod:`liaison.crypto.names`) compare text through :func:`fold` and
:func:`name_tokens`; ``docs/keyspec.md`` gives the reasons for every step.
"""

from __future__ import annotations

from liaison.crypto import unicode14

SEPARATOR = "|"
"""Joins the parts of a key; no normalised part may contain it."""

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
    text = unicode14.casefold(unicode14.normalize("NFD", text))
    text = unicode14.casefold(unicode14.normalize("NFKD", text))
    text = _drop_ignorables(unicode14.normalize("NFKD", text), marks=True)
    text = "".join(_ascii_digit(char) for char in text.translate(_LETTER_TABLE))
    return unicode14.normalize("NFC", text)


def _drop_ignorables(text: str, *, marks: bool = False) -> str:
    return "".join(
        char
        for char in text
        if char not in _APOSTROPHES
        and unicode14.category(char) != "Cf"
        and not (marks and unicode14.category(char) == "Mn")
    )


def _ascii_digit(char: str) -> str:
    digit = unicode14.decimal(char)
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
        if unicode14.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens
