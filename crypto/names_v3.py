"""Name forms of key spec v3: titles dropped, compounds joined, romanisation families, sub-forms.

Key spec v2 (:mod:`liaison.crypto.names`) keys a name by its parts as
spelled; a list's alias that spells two parts differently (Khalid/Khaled,
Hassan/Hasan), drops a middle name or adds a surname shares none of them. v3
adds two forms, both over the *family code* of each part, which maps the
usual romanisations of one written letter to one symbol and drops vowels:

- the **family**: every part's code, sorted;
- the **sub-forms**: the codes with parts left out (bounded), so that a
  name with parts missing or added still shares a key with the full one;
  :func:`liaison.crypto.keys.derive_keys_v3` tags them by side
  (:class:`~liaison.core.records.KeyRole`).

``docs/matching.md`` is the normative text and names the reason for every
table below; ``tests/data/keyspec_v3_vectors.json`` pins the output.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from liaison.crypto.names import HONORIFICS, PARTICLES, PATRONYMIC_MARKERS, is_syllabic, to_latin
from liaison.crypto.normalise import name_tokens

TITLES = frozenset(
    {"admiral", "ambassador", "baron", "baroness", "brigadier", "captain", "capt", "colonel"}
    | {"col", "commander", "commodore", "count", "countess", "dame", "doctor", "duke"}
    | {"emperor", "excellency", "general", "gen", "herr", "frau", "honorable", "honourable"}
    | {"hon", "lady", "lord", "lieutenant", "lt", "madam", "madame", "major", "maj"}
    | {"marshal", "mister", "mme", "monsieur", "mx", "president", "praesident", "prasident"}
    | {"private", "pvt", "professor", "queen", "reverend", "rev", "senor", "senora", "sergeant"}
    | {"sgt", "engineer", "eng", "judge", "minister", "imam", "ayatollah", "hojatoleslam"}
    | {"mufti", "qari", "hajj", "hadj", "alhaj", "alhajji", "sayyidna", "ustad", "ustadh"}
    | {"his", "her", "excellence", "eminence", "highness", "majesty", "royal"}
)
"""Titles, ranks and honorifics dropped in v3 (on top of v2's), after rigour's
``PERSON_NAME_PREFIXES`` (single words) plus military ranks and religious titles."""

COMPOUND_HEADS = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abdoul", "abed"}
    | {"abu", "abou", "abo", "bou"}
)
"""Parts joined to the part after them: ``Abdul Rahman`` is one part, as ``Abdurrahman`` is."""

MAX_SUBSET_PARTS = 5
"""Sub-forms are taken among at most this many parts."""

MAX_SUBSET_KEYS = 15
"""Sub-forms of one name at most: 10 pairs and 5 four-part forms of 5 parts."""

MIN_CODE_LENGTH = 2
"""A part whose code is shorter than this is kept as written (``li``, ``bwi``, an initial)."""

MIN_SINGLE_FAMILY = 4
"""A one-part name gets a family form only if its code has this many symbols."""

# The Arabic article inside a joined compound: abd-ul-, abd-el-, abd-ur-r...
# (assimilated to the next consonant), removed so that every spelling of the
# compound keeps only its head and its noun.
_COMPOUND_ARTICLE = re.compile(r"^(ab[ae]?d)[aeiou]{1,2}(?:l|([rsdtzn])(?=\2))")

# Romanisation families, longest first: each spelling maps to one symbol.
_DIGRAPHS = (
    ("tch", "j"),
    ("dzh", "j"),
    ("tsh", "j"),
    ("sch", "s"),
    ("kh", "h"),
    ("gh", "x"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("zh", "j"),
    ("ch", "j"),
    ("dj", "j"),
    ("tj", "j"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
    ("hs", "s"),
    ("x", "s"),
)
_LETTERS = str.maketrans({"p": "b", "t": "d", "q": "k", "g": "k", "c": "k"})
_VOWELS = frozenset("aeiouyw")
_DIGRAPH_RE = re.compile("|".join(spelling for spelling, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)


@dataclass(frozen=True, slots=True)
class FamilyForms:
    """The v3 forms of one name.

    Attributes:
        codes: One family code per part, in written order.
        family: The codes sorted and joined by one space ("" when too weak).
        subsets: The name with parts left out (:func:`part_subsets`).
    """

    codes: tuple[str, ...]
    family: str
    subsets: tuple[str, ...]


ORGANISATION_WORDS = frozenset(
    {"company", "co", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc"}
    | {"llp", "lp", "plc", "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab"}
    | {"oy", "ooo", "oao", "zao", "pao", "jsc", "bank", "banco", "banque", "trust", "group"}
    | {"foundation", "fund", "holding", "holdings", "industries", "international", "solutions"}
    | {"institute", "academy", "society", "association", "management", "services", "trading"}
    | {"enterprise", "enterprises", "partners", "capital", "securities", "systems", "ministry"}
)
"""Words that mark an organisation's name: such names get no partial forms (a
subsidiary's name contains its parent's)."""


def family_forms(name: str) -> FamilyForms | None:
    """Compute the v3 forms of one name.

    Args:
        name: A name as written, in any script.

    Returns:
        The forms, or ``None`` when the name has no usable part or is in a
        syllabic script (whose romanisations v3 does not merge).
    """
    if is_syllabic(name):
        return None
    codes = tuple(code for code in map(family_code, parts_v3(name)) if code)
    if not codes:
        return None
    ordered = sorted(codes)
    strong_enough = len(codes) > 1 or len(codes[0]) >= MIN_SINGLE_FAMILY
    return FamilyForms(
        codes=codes,
        family=" ".join(ordered) if strong_enough else "",
        subsets=() if is_organisation(name) else part_subsets(codes),
    )


def is_organisation(name: str) -> bool:
    """Whether a name has a word of :data:`ORGANISATION_WORDS` (after transliteration)."""
    return not ORGANISATION_WORDS.isdisjoint(name_tokens(to_latin(name)))


def parts_v3(name: str) -> tuple[str, ...]:
    """The parts of a name under v3: v2's parts less titles, compounds joined.

    Args:
        name: A name as written.

    Returns:
        The parts in written order (ASCII lower case), possibly empty.
    """
    before, comma, after = name.partition(",")
    if comma and "," not in after:
        name = f"{after} {before}"  # "LAST, First Middle" as written in lists
    text = to_latin(name)
    text = re.sub(r"(?<![a-z0-9])(?:al|el|ul|ur|ud|ad|ar|as|at|an|az|ash)-", " ", text)
    dropped = PARTICLES | HONORIFICS | TITLES
    tokens = name_tokens(text)
    parts: list[str] = []
    pending = ""
    for token in tokens:
        if token in dropped and token not in PATRONYMIC_MARKERS:
            continue
        if token in COMPOUND_HEADS or token in PATRONYMIC_MARKERS:
            pending += token
            continue
        parts.append(pending + token)
        pending = ""
    if pending:
        parts.append(pending)
    return tuple(parts)


def family_code(part: str) -> str:
    """The romanisation family of one part: consonant classes, vowels dropped.

    An Arabic compound loses its inner article (``abdurrahman`` →
    ``abdrahman``); a final ``h`` after a vowel goes (``Salameh``/``Salama``);
    the digraphs and letters of :data:`_DIGRAPHS` and ``_LETTERS`` become one
    symbol each (``kh``/``h``, ``ch``/``j``/``dj``, ``t``/``d``, ``q``/``k``/
    ``g``...); a vowel (``a e i o u y w``) is dropped, but an initial one
    becomes ``a``; doubled symbols collapse.

    Args:
        part: A v3 part (ASCII lower case).

    Returns:
        For example ``hld`` for ``khaled``, ``khalid`` and ``khalid``.
    """
    text = _COMPOUND_ARTICLE.sub(r"\1", part)
    text = re.sub(r"(?<=[aeiou])h$", "", text)
    text = re.sub(r"^ou(?=[aeiou])", "w", text)
    text = re.sub(r"c(?=[eiy])", "s", text)
    text = _DIGRAPH_RE.sub(lambda match: _DIGRAPH_MAP[match.group()], text).translate(_LETTERS)
    head, rest = "", text
    if text[:1] in _VOWELS - {"w"}:
        head, rest = "a", text[1:]
    elif text[:1] == "w":
        head, rest = "w", text[1:]
    symbols = head + "".join(char for char in rest if char not in _VOWELS)
    code = "".join(char for char, _ in itertools.groupby(symbols))
    if len(code) < MIN_CODE_LENGTH:
        return part  # too short to say anything: "bwi" and "bae" are not one name
    if text[-1:] in _VOWELS - {"w"}:
        code += "a"  # Olga is not Oleg; Jamila, Jameela and Jamileh are one
    return code if code.isalnum() else ""


def part_subsets(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The name with parts left out: every 2 parts, and every ``m - 1``, sorted each.

    Among at most :data:`MAX_SUBSET_PARTS` parts (the first 3 and the last 2
    of a longer name); none for fewer than 3 parts.

    Args:
        codes: The family codes in written order.

    Returns:
        Distinct sub-forms (codes sorted, one space apart), sorted.
    """
    kept = codes if len(codes) <= MAX_SUBSET_PARTS else codes[:3] + codes[-2:]
    if len(kept) < 3:
        return ()
    sizes = {2, len(kept) - 1}
    forms = {
        " ".join(sorted(subset))
        for size in sizes
        for subset in itertools.combinations(kept, size)
        if len(set(subset)) > 1
    }
    return tuple(sorted(forms))
