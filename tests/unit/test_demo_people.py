"""Tests of the synthetic people: name spellings and a factory that never repeats a key."""

from __future__ import annotations

import random
import unicodedata

import pytest

from liaison.core.records import KeyKind
from liaison.crypto.entity_keys import KIND_STRENGTHS
from liaison.tools import demo_identifiers as ids
from liaison.tools.demo_people import CULTURES, PersonFactory, e164, name_spellings


def _name_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(sorted("".join(c for c in folded if not unicodedata.combining(c)).split()))


@pytest.mark.parametrize(
    ("given", "surname"),
    [("Hélène", "Lefèvre"), ("Ömer", "Yıldız"), ("Jörg", "Weiß"), ("José", "García López")],  # noqa: RUF001
)
def test_name_spellings_keep_the_name_key(given: str, surname: str) -> None:
    spellings = name_spellings(given, surname)
    assert spellings[0] == f"{given} {surname}"
    assert len(spellings) >= 3
    assert {_name_key(s) for s in spellings} == {_name_key(spellings[0])}
    # Nor may the key depend on casefold versus lower.
    assert len({" ".join(sorted(ids.strip_accents(s.lower()).split())) for s in spellings}) == 1


def test_names_that_change_when_upper_cased_are_never_upper_cased() -> None:
    assert all(not s.isupper() for s in name_spellings("Ömer", "Yıldız"))  # noqa: RUF001
    assert "GARCÍA LÓPEZ José" in name_spellings("José", "García López")


def test_every_name_of_every_culture_is_letters_and_single_spaces() -> None:
    for culture in CULTURES:
        for name in culture.given + culture.surnames:
            assert all(part.isalpha() for part in name.split(" ")), name


def test_the_factory_never_hands_out_a_key_twice() -> None:
    factory, rng = PersonFactory(), random.Random(5)
    people = [factory.person(rng) for _ in range(3000)]
    seen: dict[tuple[str, str], int] = {}
    for number, person in enumerate(people):
        values = [
            *(("name_dob", ids.fold_ascii(person.given + person.surname) + person.date_of_birth),),
            *(("document", ids.fold_ascii(n)) for n, _ in person.documents),
            *(("national_id", n) for n in person.national_ids),
            *(("phone", e164(p)) for p in person.phones),
            *(("email", e) for e in person.emails),
            *(("iban", i) for i in person.ibans),
            *(("wallet", w) for w in person.wallets),
        ]
        for value in values:
            assert seen.setdefault(value, number) == number, value


# The demo's people carry the person kinds; the identifier kinds of entities
# and transactions (crypto/entity_keys.py) have their own tests.
@pytest.mark.parametrize("kind", sorted(set(KeyKind) - set(KIND_STRENGTHS)))
def test_a_required_kind_is_always_present(kind: KeyKind) -> None:
    factory, rng = PersonFactory(), random.Random(kind.value)
    for _ in range(30):
        assert kind in factory.person(rng, require=kind).carried("day")


def test_a_namesake_gets_another_date_of_birth() -> None:
    factory, rng = PersonFactory(), random.Random(9)
    person = factory.person(rng)
    for _ in range(20):
        namesake = factory.person(rng, name=(person.given, person.surname))
        assert namesake.date_of_birth != person.date_of_birth
        assert factory.another_date_of_birth(rng, person) != person.date_of_birth
