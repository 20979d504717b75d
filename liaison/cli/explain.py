"""What a hit matched on, in words people read: one label per key kind.

A hit names the *tags* of the keys two records share (``document``,
``name_date``, ``lei``...: :mod:`liaison.crypto.keys`,
:mod:`liaison.crypto.entity_keys`). ``liaison match`` shows their labels
("passport", "name + date of birth (transliterated)"), and ``--explain``
prints :data:`KINDS`: each label, its strength and what it means.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeyKindText:
    """How one key tag reads: a short label, its strength, a sentence."""

    label: str
    strength: str
    meaning: str


KINDS: dict[str, KeyKindText] = {
    "document": KeyKindText(
        "passport", "exact", "a travel or identity document number with its issuing country"
    ),
    "national_id": KeyKindText("national id", "exact", "a national id number with its country"),
    "lei": KeyKindText("LEI", "exact", "a Legal Entity Identifier (ISO 17442)"),
    "registration": KeyKindText(
        "registration number", "exact", "an organisation's registration number in its country"
    ),
    "imo": KeyKindText("IMO number", "exact", "a ship's IMO number"),
    "transaction": KeyKindText(
        "transaction", "exact", "a transaction reference: a blockchain txid or a payment's UETR"
    ),
    "iban": KeyKindText("IBAN", "exact", "a bank account number (IBAN)"),
    "wallet": KeyKindText("wallet", "exact", "a crypto wallet address"),
    "phone": KeyKindText("phone", "exact", "a phone number (E.164)"),
    "email": KeyKindText("e-mail", "exact", "an e-mail address"),
    "name_dob": KeyKindText(
        "name + date of birth", "exact", "the same name (any word order) and date of birth"
    ),
    "name_date": KeyKindText(
        "name + date of birth (transliterated)",
        "strong",
        "the name transliterated to Latin, without particles or titles, and the date of birth",
    ),
    "name_swap": KeyKindText(
        "name + date of birth (day/month swapped)",
        "strong",
        "the transliterated name and the date of birth with day and month swapped",
    ),
    "name_month": KeyKindText(
        "name + month of birth", "strong", "the transliterated name and the month of birth"
    ),
    "document_number": KeyKindText(
        "document number (no country)",
        "strong",
        "a document number, whatever country issued it (lists often give none)",
    ),
    "organisation": KeyKindText(
        "organisation name + country",
        "strong",
        "an organisation's name, without legal forms (Ltd, LLC...), in its country",
    ),
    "name_phonetic": KeyKindText(
        "name sounds alike + year of birth", "fuzzy", "a name that sounds the same, same year"
    ),
    "name_joined": KeyKindText(
        "name joined/split + year of birth",
        "fuzzy",
        "a name written joined or split otherwise (Abdul Rahman / Abdurrahman), same year",
    ),
    "name_typo": KeyKindText(
        "name with a typo + year of birth", "fuzzy", "a name one letter apart, same year of birth"
    ),
}
"""Every key tag a hit can name, in the order labels are listed (most telling first)."""

_ORDER = {tag: position for position, tag in enumerate(KINDS)}


def label(tag: str) -> str:
    """The label of a key tag; an unknown tag (a newer key spec) reads as itself."""
    known = KINDS.get(tag)
    return known.label if known is not None else tag.replace("_", " ")


def labels(tags: Iterable[str]) -> str:
    """The labels of a hit's tags, most telling first, comma separated."""
    ordered = sorted(set(tags), key=lambda tag: (_ORDER.get(tag, len(_ORDER)), tag))
    return ", ".join(dict.fromkeys(label(tag) for tag in ordered))


def legend(width: int = 80) -> list[str]:
    """The lines ``--explain`` prints: each kind's label, strength and meaning."""
    column = max(len(text.label) for text in KINDS.values())
    lines = ["Key kinds (a hit is as strong as the strongest kind it matched on):"]
    for text in KINDS.values():
        lines.extend(
            _wrapped(f"  {text.label:<{column}}  {text.strength:<6}  ", text.meaning, width)
        )
    return lines


def _wrapped(head: str, text: str, width: int) -> list[str]:
    """``head`` then ``text``, continued under itself on the next lines past ``width``."""
    pieces = textwrap.wrap(text, max(width - len(head), 20)) or [""]
    return [head + pieces[0]] + [" " * len(head) + piece for piece in pieces[1:]]
