"""Countries as published lists write them: names, codes, demonyms."""

from __future__ import annotations

import pycountry
import pytest

from liaison.crypto import countries
from liaison.crypto.identifiers import normalise_country
from liaison.crypto.normalise import name_tokens


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("State of Palestine", "PS"),
        ("the State of Palestine", "PS"),
        ("Kosovo", "XK"),
        ("Republic of Korea", "KR"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Syrian Arab Republic", "SY"),
        ("Viet Nam", "VN"),
        ("Iraqi", "IQ"),
        ("AFGHAN", "AF"),
        ("North Korean", "KP"),
        ("Nigerien", "NE"),
        ("Nigerian", "NG"),
        ("British", "GB"),
    ],
)
def test_published_spellings_resolve(written: str, code: str) -> None:
    assert normalise_country(written) == code


@pytest.mark.parametrize("written", ["Congolese", "Korean", "Guinean", "Atlantean"])
def test_an_ambiguous_or_unknown_demonym_resolves_nothing(written: str) -> None:
    assert normalise_country(written) is None


def test_the_tables_never_change_what_pycountry_resolves() -> None:
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            spelling = getattr(country, attribute, None)
            if isinstance(spelling, str):
                resolved = normalise_country(spelling)
                folded = " ".join(name_tokens(spelling))
                # An alias of the v1 table may come first ("UK"); a table entry
                # spelled like a pycountry name ("Lao") must agree with it.
                assert resolved is not None
                for table in (countries.DEMONYMS, countries.EXTRA_NAMES):
                    assert table.get(folded, resolved) == resolved


def test_every_table_entry_is_a_folded_spelling_of_a_real_code() -> None:
    codes = {country.alpha_2 for country in pycountry.countries} | {"XK"}
    for spelling, code in (countries.EXTRA_NAMES | countries.DEMONYMS).items():
        assert spelling == " ".join(name_tokens(spelling))
        assert code in codes
