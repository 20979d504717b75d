"""Name forms of key spec v2: transliteration, particles, parts, phonetic codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.crypto.names import (
    MAX_TYPO_VARIANTS,
    is_syllabic,
    name_forms,
    name_parts,
    phonetic_code,
    to_latin,
    typo_variants,
)


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Владимир Путин", "vladimir putin"),
        ("Αλέξανδρος", "alexandros"),
        ("Jürgen Groß", "jurgen gross"),
        ("Mus\u2019ab O'Brien", "musab obrien"),
        ("习近平", "xijinping"),
    ],
)
def test_to_latin_transliterates_and_folds(written: str, latin: str) -> None:
    assert to_latin(written) == latin


def test_arabic_becomes_its_consonant_skeleton_without_ayn() -> None:
    assert name_parts("محمد علي") == ("mhmd", "ly")


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("Saif al-Din AL-RAWI", ("saif", "din", "rawi")),
        ("ZIA-UR-RAHMAN", ("zia", "rahman")),
        ("Jan van den Berg", ("jan", "berg")),
        ("Dr. Sheikh Ahmed Hassan", ("ahmed", "hassan")),
        ("Mr Hans Friedrich", ("hans", "friedrich")),
    ],
)
def test_particles_articles_and_honorifics_are_dropped(
    written: str, parts: tuple[str, ...]
) -> None:
    assert name_parts(written) == parts


def test_a_name_made_only_of_particles_keeps_them() -> None:
    assert name_parts("De La") == ("de", "la")


def test_bin_is_joined_to_the_next_part_so_father_and_son_stay_apart() -> None:
    one = name_forms("SALMAN BIN MUHAMMAD AL-RAWI")
    other = name_forms("MUHAMMAD BIN SALMAN AL-RAWI")

    assert one is not None and other is not None
    assert one.parts == ("salman", "binmuhammad", "rawi")
    assert one.skeleton != other.skeleton
    assert one.phonetic != other.phonetic


def test_name_part_order_does_not_matter() -> None:
    one, other = name_forms("SALEK, ABDULHAI"), name_forms("Abdulhai Salek")

    assert one is not None and other is not None
    assert (one.skeleton, one.phonetic, one.typos) == (other.skeleton, other.phonetic, other.typos)


@pytest.mark.parametrize("spelling", ["Mohammed", "Muhammad", "Mohamed", "محمد"])
def test_spellings_of_mohammed_share_a_phonetic_code(spelling: str) -> None:
    assert phonetic_code(name_parts(spelling)[0]) == "m:MHMT"


def test_the_first_consonant_keeps_names_metaphone_alone_would_merge_apart() -> None:
    assert phonetic_code("vita") != phonetic_code("fuad")


def test_one_edit_in_one_part_leaves_a_shared_typo_variant() -> None:
    for typo in ("ABUDL BARI", "ABDL BARI", "ABDULL BARI", "ABDOL BARI"):
        one, other = name_forms("ABDUL BARI"), name_forms(typo)
        assert one is not None and other is not None
        assert set(one.typos) & set(other.typos), typo


def test_a_different_part_shares_no_typo_variant() -> None:
    one, other = name_forms("Barzan Ibrahim al-Mosuli"), name_forms("Barzan Ibrahim al-Tikriti")

    assert one is not None and other is not None
    assert not set(one.typos) & set(other.typos)


def test_typo_variants_start_with_the_skeleton_and_are_bounded() -> None:
    parts = ("maghomedzakirovich", "abdurakhmanovich", "abdulkhalikovich", "maghomed")
    variants = typo_variants(parts)

    assert variants[0] == " ".join(sorted(parts))
    assert len(variants) == MAX_TYPO_VARIANTS + 1
    assert len(set(variants)) == len(variants)


def test_short_parts_give_no_deletion_variants() -> None:
    assert typo_variants(("li", "xi")) == ("li xi",)


def test_syllabic_names_get_no_phonetic_or_typo_forms() -> None:
    forms = name_forms("习近平")

    assert is_syllabic("习近平") and is_syllabic("김정은") and not is_syllabic("Putin")
    assert forms is not None
    assert (forms.joined, forms.phonetic, forms.typos) == ("xijinping", "", ())


def test_a_single_short_part_gets_no_phonetic_form() -> None:
    short, long = name_forms("Snow"), name_forms("Abdulrahman")

    assert short is not None and long is not None
    assert short.phonetic == ""
    assert long.phonetic == "b:BTLRMN"
    assert short.typos == long.typos == ()


def test_a_name_without_letters_has_no_forms() -> None:
    assert name_forms(" -- , ") is None


@given(st.text(max_size=40))
def test_forms_are_ascii_and_never_contain_the_key_separator(text: str) -> None:
    forms = name_forms(text)
    if forms is None:
        return
    for form in (forms.skeleton, forms.joined, forms.phonetic, *forms.typos):
        assert form.isascii()
        assert "|" not in form
    assert len(forms.typos) <= MAX_TYPO_VARIANTS + 1
