"""Name forms of key spec v2: transliteration, particles, parts, phonetic codes.

PSI compares equal strings only, so spelling tolerance lives here: each name
becomes a few *forms* that two spellings of one name are likely to share and
two different names are not. ``docs/matching.md`` is the normative text; every
rule below is named there, and ``tests/data/keyspec_v2_vectors.json`` pins the
output. The libraries are part of the spec, at the versions in
:data:`LIBRARIES`: anyascii for transliteration, jellyfish for Metaphone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import jellyfish
from anyascii import anyascii

from liaison.crypto import unicode14
from liaison.crypto.normalise import fold, name_tokens

LIBRARIES = {"anyascii": "0.3.3", "jellyfish": "1.3.0"}
"""The transliteration and phonetic libraries, pinned: part of key spec v2."""

MAX_TYPO_VARIANTS = 40
"""At most this many one-deletion variants (``name_typo`` keys) per name."""

MIN_TYPO_PART_LENGTH = 3
"""Parts shorter than this give no deletion variants (``al`` → ``a`` says nothing)."""

# Arabic articles written joined to the next part by a hyphen, including the
# sun-letter assimilations (ar-Rahman, as-Sayyid, ud-Din).
_HYPHENATED_ARTICLE = re.compile(r"(?<![a-z0-9])(?:al|el|ul|ur|ud|ad|ar|as|at|an|az|ash)-")

PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "bint", "binti", "bn"}
    | {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das"}
    | {"ter", "ten", "la", "le"}
)
"""Articles and particles dropped from names (after ``bin`` is joined, see below)."""

HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir"}
    | {"sheikh", "shaikh", "sheik", "shaykh", "cheikh", "haji", "hajji", "hadji"}
    | {"mullah", "maulana", "maulvi", "mawlawi"}
)
"""Titles dropped from names."""

PATRONYMIC_MARKERS = frozenset({"bin", "ibn", "bint", "binti", "bn"})
"""Joined to the next part (``bin salman`` → ``binsalman``): order around them matters.

``bn`` is how anyascii writes Arabic بن.
"""

# Scripts whose letters are syllables or words: their romanisations of two
# different characters are one letter apart (习近平 / 习近朋), so names with
# them get neither phonetic nor deletion variants. Hangul Jamo, CJK radicals
# to CJK Unified Ideographs (with kana, bopomofo, Hangul compatibility jamo),
# Hangul Jamo Extended-A, Hangul syllables and Extended-B, CJK compatibility
# ideographs, half-width kana and Hangul, and the supplementary ideographs.
_SYLLABIC_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF65, 0xFFDC),
    (0x20000, 0x3FFFF),
)

MIN_SINGLE_PART_CODE = 3
"""A name of one part gets a phonetic form only if its code has this many consonants."""

_NOT_CONSONANTS = frozenset("aeiouwy")
_PHONETIC_DROPPED = str.maketrans("", "", "AEIOU")


@dataclass(frozen=True, slots=True)
class NameForms:
    """The forms of one name that key spec v2 turns into keys.

    Attributes:
        parts: The normalised parts in written order (ASCII, lower case).
        skeleton: The parts sorted and joined by one space.
        joined: The parts concatenated in written order, no separator.
        phonetic: One code per part, sorted and joined by one space.
        typos: One-deletion variants of the skeleton (empty when not allowed),
            the skeleton itself first.
    """

    parts: tuple[str, ...]
    skeleton: str
    joined: str
    phonetic: str
    typos: tuple[str, ...]


def name_forms(name: str) -> NameForms | None:
    """Compute every form of one name.

    Args:
        name: A name as written, in any script.

    Returns:
        The forms, or ``None`` when the name has no letter or digit.
    """
    parts = name_parts(name)
    if not parts:
        return None
    fuzzy = not is_syllabic(name)
    # "Snow" and "Snoe" in one year say too little; "Mohammed" and "Muhammad" enough.
    codes = sorted(phonetic_code(part) for part in parts)
    informative = len(codes) > 1 or len(codes[0].partition(":")[2]) >= MIN_SINGLE_PART_CODE
    return NameForms(
        parts=parts,
        skeleton=" ".join(sorted(parts)),
        joined="".join(parts),
        phonetic=" ".join(codes) if fuzzy and informative else "",
        typos=typo_variants(parts) if fuzzy and len(parts) > 1 else (),
    )


def to_latin(text: str) -> str:
    """Transliterate to ASCII with anyascii, then fold as key spec v1 does.

    Args:
        text: Any text.

    Returns:
        Lower-case ASCII; apostrophes (and anyascii's ````` for Arabic ʿayn)
        are gone, other punctuation is kept for the tokeniser.
    """
    return fold(anyascii(unicode14.normalize("NFC", text)))


def name_parts(name: str) -> tuple[str, ...]:
    """Split a name into normalised parts, in written order.

    Transliterate (:func:`to_latin`); drop hyphenated Arabic articles
    (``al-``, ``ud-``...); split into tokens as key spec v1 does; join each
    patronymic marker to the part after it; drop particles and honorifics,
    unless nothing would be left.

    Args:
        name: A name as written.

    Returns:
        The parts, possibly empty when the name has no letter or digit.
    """
    text = _HYPHENATED_ARTICLE.sub(" ", to_latin(name))
    tokens = list(_join_patronymics(name_tokens(text)))
    kept = tuple(token for token in tokens if token not in PARTICLES | HONORIFICS)
    return kept or tuple(tokens)


def _join_patronymics(tokens: list[str]) -> Iterator[str]:
    dropped = PARTICLES | HONORIFICS
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in PATRONYMIC_MARKERS and following is not None and following not in dropped:
            yield "bin" + following
            index += 2
        else:
            yield token
            index += 1


def is_syllabic(name: str) -> bool:
    """Whether the name has a Han, kana, bopomofo or Hangul character.

    Args:
        name: A name as written.

    Returns:
        True if any character falls in the syllabic ranges of the spec.
    """
    return any(low <= ord(char) <= high for char in name for low, high in _SYLLABIC_RANGES)


def phonetic_code(part: str) -> str:
    """The phonetic code of one part: first consonant, ``:``, reduced Metaphone.

    The Metaphone code (jellyfish) loses its vowels (Metaphone keeps only an
    initial one) so that abjad transliterations (``ly``) and vowelled
    spellings (``ali``) agree; the first consonant as written (not ``w`` or
    ``y``) keeps ``Vita`` and ``Fuad`` apart, which Metaphone alone merges.

    Args:
        part: A normalised part (ASCII lower case).

    Returns:
        For example ``m:MHMT`` for ``mohammed``, ``muhammad`` and ``mhmd``.
    """
    consonants = [char for char in part if char not in _NOT_CONSONANTS]
    first = consonants[0] if consonants else part[0]
    metaphone = str(jellyfish.metaphone(part))
    code = metaphone.translate(_PHONETIC_DROPPED) or metaphone or part
    return f"{first}:{code}"


def typo_variants(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The skeleton, then skeletons with one part missing one letter.

    Two names whose parts agree but for one edit (a letter inserted, deleted,
    replaced, or two neighbours swapped) in one part share one of these.
    Parts are taken in sorted order, each part's deletions by position; at
    most :data:`MAX_TYPO_VARIANTS` variants after the skeleton.

    Args:
        parts: The normalised parts of a name.

    Returns:
        Distinct variants, the unchanged skeleton first.
    """
    ordered = sorted(parts)
    variants = {" ".join(ordered): None}
    for index, part in enumerate(ordered):
        if len(part) < MIN_TYPO_PART_LENGTH:
            continue
        for position in range(len(part)):
            shorter = part[:position] + part[position + 1 :]
            candidate = [*ordered[:index], shorter, *ordered[index + 1 :]]
            variants.setdefault(" ".join(sorted(candidate)), None)
            if len(variants) > MAX_TYPO_VARIANTS:
                return tuple(variants)
    return tuple(variants)
