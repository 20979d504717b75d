"""Text folding shared by every key: the pinned Unicode version, the letter table, tokens."""

from __future__ import annotations

import unicodedata

import pytest

from liaison.crypto.normalise import fold, name_tokens


def test_unicode_database_is_one_the_spec_covers() -> None:
    # Letter/mark categories decide tokens; a Python upgrade that changes the
    # Unicode version must be a deliberate key-spec review, not an accident:
    # crypto/unicode14.py folds by 14.0.0 on the versions it knows the additions of.
    assert unicodedata.unidata_version in ("14.0.0", "15.0.0", "15.1.0")


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        ("ß", "ss"),
        ("Ø", "o"),
        ("Ł", "l"),
        ("Đ", "d"),
        ("Ð", "d"),
        ("Æ", "ae"),
        ("Œ", "oe"),
        ("\u0131", "i"),
        ("Þ", "th"),
        ("Ħ", "h"),
        ("Ŧ", "t"),
        ("Ŋ", "n"),
    ],
)
def test_letters_without_decomposition_use_the_table(letter: str, folded: str) -> None:
    assert fold(f"a{letter}b") == f"a{folded}b"


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("JOSÉ", "jose"),
        ("O\u2019Brien", "obrien"),
        ("Ｊｏｈｎ", "john"),  # noqa: RUF001 (the point of the case)
        ("Louis ١٤", "louis 14"),
        ("Ali\u00adson", "alison"),
    ],
)
def test_fold_removes_case_compatibility_forms_marks_and_apostrophes(
    written: str, folded: str
) -> None:
    assert fold(written) == folded


def test_name_tokens_split_folded_text_on_everything_but_letters_digits_and_marks() -> None:
    assert name_tokens("Jean-Pierre, DUPONT (2)") == ["jean", "pierre", "dupont", "2"]
    assert name_tokens("-- . ,") == []
