"""Unicode 14.0.0 whatever the interpreter: key spec v2's text rules on Python 3.11 to 3.13.

Key derivation folds text with :mod:`unicodedata` (``docs/keyspec.md``, "Text
folding"), pinned to Unicode 14.0.0, Python 3.11's. Python 3.12 ships 15.0.0
and 3.13 15.1.0; two nodes on different interpreters must still derive the
same keys from the same name. Between 14.0.0 and 15.1.0 no character that
14.0.0 assigned changed its category, decomposition, combining class or
decimal value (checked with ``unicodedata2`` 15.1.0 over every code point:
see ``tests/unit/crypto/test_unicode14.py``); the versions differ only by
the characters they added, :data:`LATER_RANGES`. So this module treats those
as 14.0.0 does, as unassigned: category ``Cn``, no decimal value, left alone
by normalisation and case folding. On Unicode 14.0.0 itself every function
is the plain one.

An unassigned character is a starter that neither decomposes nor composes,
so normalising the text between such characters piece by piece gives
exactly what Unicode 14.0.0 gives for the whole.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable

#: The Unicode version key spec v2 folds text by.
UNICODE_VERSION = "14.0.0"
#: The newest Unicode database this module knows the additions of.
NEWEST_KNOWN = "15.1.0"

#: Code points assigned in Unicode 15.0.0 or 15.1.0 (inclusive ranges), unassigned in 14.0.0.
LATER_RANGES: tuple[tuple[int, int], ...] = (
    (0x0CF3, 0x0CF3),
    (0x0ECE, 0x0ECE),
    (0x2FFC, 0x2FFF),
    (0x31EF, 0x31EF),
    (0x10EFD, 0x10EFF),
    (0x1123F, 0x11241),
    (0x11B00, 0x11B09),
    (0x11F00, 0x11F10),
    (0x11F12, 0x11F3A),
    (0x11F3E, 0x11F59),
    (0x1342F, 0x1342F),
    (0x13439, 0x13455),
    (0x1B132, 0x1B132),
    (0x1B155, 0x1B155),
    (0x1D2C0, 0x1D2D3),
    (0x1DF25, 0x1DF2A),
    (0x1E030, 0x1E06D),
    (0x1E08F, 0x1E08F),
    (0x1E4D0, 0x1E4F9),
    (0x1F6DC, 0x1F6DC),
    (0x1F774, 0x1F776),
    (0x1F77B, 0x1F77F),
    (0x1F7D9, 0x1F7D9),
    (0x1FA75, 0x1FA77),
    (0x1FA87, 0x1FA88),
    (0x1FAAD, 0x1FAAF),
    (0x1FABB, 0x1FABD),
    (0x1FABF, 0x1FABF),
    (0x1FACE, 0x1FACF),
    (0x1FADA, 0x1FADB),
    (0x1FAE8, 0x1FAE8),
    (0x1FAF7, 0x1FAF8),
    (0x2B739, 0x2B739),
    (0x2EBF0, 0x2EE5D),
    (0x31350, 0x323AF),
)
_STARTS = tuple(start for start, _ in LATER_RANGES)
_PINNED = unicodedata.unidata_version == UNICODE_VERSION


def is_later(char: str) -> bool:
    """Return whether ``char`` was assigned after Unicode 14.0.0."""
    code = ord(char)
    index = bisect.bisect_right(_STARTS, code) - 1
    return index >= 0 and code <= LATER_RANGES[index][1]


def category(char: str) -> str:
    """Return the general category of ``char`` in Unicode 14.0.0."""
    if not _PINNED and is_later(char):
        return "Cn"
    return unicodedata.category(char)


def decimal(char: str) -> int | None:
    """Return the decimal digit value of ``char`` in Unicode 14.0.0, or None."""
    if not _PINNED and is_later(char):
        return None
    return unicodedata.decimal(char, None)


def normalize(form: str, text: str) -> str:
    """Return ``text`` in normalisation ``form`` ("NFC", "NFD", "NFKC", "NFKD") of 14.0.0."""
    return _by_pieces(text, lambda piece: unicodedata.normalize(form, piece))  # type: ignore[arg-type]


def casefold(text: str) -> str:
    """Return the full case folding of ``text`` in Unicode 14.0.0."""
    return _by_pieces(text, str.casefold)


def lower(text: str) -> str:
    """Return ``text`` lower-cased as Unicode 14.0.0 does."""
    return _by_pieces(text, str.lower)


def _by_pieces(text: str, apply: Callable[[str], str]) -> str:
    """Apply ``apply`` to the runs of 14.0.0 characters; keep later ones as they are."""
    if _PINNED or not any(is_later(char) for char in text):
        return apply(text)
    out: list[str] = []
    run: list[str] = []
    for char in text:
        if is_later(char):
            out.append(apply("".join(run)))
            out.append(char)
            run = []
        else:
            run.append(char)
    out.append(apply("".join(run)))
    return "".join(out)
