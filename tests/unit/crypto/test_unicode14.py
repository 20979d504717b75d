"""Key spec v2 folds by Unicode 14.0.0 on every supported interpreter (3.11 to 3.13)."""

from __future__ import annotations

import itertools
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.crypto import unicode14
from liaison.crypto.normalise import fold, name_tokens

LATER = [chr(start) for start, _ in unicode14.LATER_RANGES] + [
    chr(end) for _, end in unicode14.LATER_RANGES
]
# Later characters beside what normalisation reorders or composes: Latin, accents, Hangul.
MIXED = st.text(
    alphabet=st.sampled_from([*LATER, "a", "e", "Ä", "\u0301", "\u0323", "\u1100", "\u1161", "ﬀ"]),
    max_size=12,
)


def test_the_interpreter_is_one_whose_additions_are_known() -> None:
    known = ("14.0.0", "15.0.0", unicode14.NEWEST_KNOWN)
    assert unicodedata.unidata_version in known, (
        "a newer Unicode database: add its new characters to unicode14.LATER_RANGES"
    )


def test_the_ranges_are_sorted_and_apart() -> None:
    pairs = unicode14.LATER_RANGES
    assert all(start <= end for start, end in pairs)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(pairs))


@pytest.mark.skipif(unicodedata.unidata_version != "14.0.0", reason="needs Unicode 14.0.0")
def test_no_listed_character_is_assigned_in_14() -> None:
    for start, end in unicode14.LATER_RANGES:
        assert all(unicodedata.category(chr(c)) == "Cn" for c in range(start, end + 1))


@pytest.mark.skipif(unicodedata.unidata_version != "14.0.0", reason="needs Unicode 14.0.0")
@given(MIXED)
def test_piecewise_folding_gives_what_14_gives_for_the_whole(text: str) -> None:
    # As on a newer interpreter: the later characters are cut out of each call.
    expected = {form: unicodedata.normalize(form, text) for form in ("NFC", "NFD", "NFKC", "NFKD")}
    folded, tokens = fold(text), name_tokens(text)
    unicode14._PINNED = False
    try:
        for form, value in expected.items():
            assert unicode14.normalize(form, text) == value
        assert unicode14.casefold(text) == text.casefold()
        assert [unicode14.category(c) for c in text] == [unicodedata.category(c) for c in text]
        assert fold(text) == folded and name_tokens(text) == tokens
    finally:
        unicode14._PINNED = True


def test_later_characters_separate_name_tokens_as_unassigned_ones_do() -> None:
    kawi_digit = "\U00011f50"  # Nd in Unicode 15.0: a digit there, nothing in 14.0
    assert unicode14.is_later(kawi_digit) and not unicode14.is_later("a")
    assert name_tokens(f"ali{kawi_digit}ahmed") == ["ali", "ahmed"]


def test_characters_14_assigned_did_not_change_up_to_the_newest_known() -> None:
    newer = pytest.importorskip("unicodedata2")  # the check behind the module's claim
    if newer.unidata_version != unicode14.NEWEST_KNOWN or unicodedata.unidata_version != "14.0.0":
        pytest.skip("needs Unicode 14.0.0 here and unicodedata2 of the newest known version")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) == "Cn":
            assert unicode14.is_later(char) == (newer.category(char) != "Cn")
            continue
        for prop in ("category", "decomposition", "combining"):
            assert getattr(unicodedata, prop)(char) == getattr(newer, prop)(char), (hex(code), prop)
        assert unicodedata.decimal(char, None) == newer.decimal(char, None)
