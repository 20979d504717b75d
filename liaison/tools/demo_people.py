"""Synthetic people for the demo data: names, and a factory that never repeats a key.

:class:`PersonFactory` draws people from several naming cultures (French,
Dutch, Turkish, Arabic in Latin transliteration, Spanish, German), with the
identifiers of :mod:`liaison.demo_identifiers`. It remembers every key it
has handed out, in a deliberately coarse form, and redraws on a collision:
that is what lets :mod:`liaison.demo_data` promise that two records share
a key only where it planted one.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat

from liaison.core.records import KeyKind
from liaison.tools import demo_identifiers as ids
from liaison.tools.demo_identifiers import strip_accents

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Culture:
    """A naming tradition: name pools and the nationalities it is drawn with.

    Repeating a code in ``nationalities`` weights it.
    """

    given: tuple[str, ...]
    surnames: tuple[str, ...]
    nationalities: tuple[str, ...]
    surname_count: int = 1


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Names contain letters and single spaces only: hyphens and apostrophes are
# separators or dropped depending on the normaliser, and the ground truth must
# not depend on that choice.
CULTURES: tuple[Culture, ...] = (
    Culture(
        given=_words(
            "Jean Marie Hélène Émilie François Sébastien Jérôme Céline Noémie Loïc Gaëlle "
            "Thomas Nicolas Camille Léa Chloé Théo Inès Zoé Agnès Benoît Cédric Stéphane "
            "Valérie Amélie Clément René André Joël Mathilde"
        ),
        surnames=_words(
            "Martin Bernard Dubois Lefèvre Moreau Girard Fournier Mercier Faure Rousseau "
            "Blanc Guérin Bonnet Chevalier Lemaître Roux Morel Gauthier Perrin Leclerc "
            "Bérard Brunet Deschamps Lacroix Ménard Barbier Rivière Carré Gérard Hébert"
        ),
        nationalities=("FR",) * 4 + ("BE",),
    ),
    Culture(
        given=_words(
            "Jan Pieter Daan Sem Lucas Bram Joost Sanne Femke Anouk Eva Lotte Maarten Ruud "
            "Willem Hendrik Sven Noor Mila Fleur Joëlle Floor Thijs Wouter Annemieke"
        ),
        surnames=(
            "de Jong",
            "Jansen",
            "de Vries",
            "van den Berg",
            "van Dijk",
            "Bakker",
            "Visser",
            "Smit",
            "Meijer",
            "de Boer",
            "Mulder",
            "de Groot",
            "Bos",
            "Vos",
            "Peters",
            "Hendriks",
            "van Leeuwen",
            "Dekker",
            "Brouwer",
            "de Wit",
            "Dijkstra",
            "Smits",
            "de Graaf",
            "van der Meer",
            "Kok",
            "Jacobs",
            "van der Linden",
            "Vermeulen",
        ),
        nationalities=("NL",) * 4 + ("BE",),
    ),
    Culture(
        given=_words(
            "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer "
            "Ayşe Fatma Emine Hatice Zeynep Elif Şükrü Gülşen Çağlar Özge Büşra Tuğba Doğan "
            "Ercan Gökhan Kübra"
        ),
        # Turkish surnames spell the dotless i on purpose.
        surnames=_words(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan "  # noqa: RUF001
            "Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Erdoğan "  # noqa: RUF001
            "Güneş Aksoy"
        ),
        nationalities=("TR",) * 5 + ("DE", "DE", "NL", "FR"),
    ),
    Culture(
        given=_words(
            "Mohamed Mohammed Muhammad Ahmed Ali Omar Youssef Karim Khalid Hassan Hussein "
            "Ibrahim Mustafa Abdelkader Abdallah Rachid Saïd Samir Nabil Tarek Walid Yassine "
            "Bilal Fatima Aïcha Khadija Meryem Nour Samira Leïla Salma Amina Zineb Hamza "
            "Anas Soufiane"
        ),
        surnames=(
            "Benali",
            "El Amrani",
            "Bouzid",
            "Haddad",
            "Mansour",
            "Saleh",
            "Nasser",
            "Khalil",
            "Hamdi",
            "Belkacem",
            "Boumediene",
            "Chérif",
            "Ziani",
            "Aziz",
            "El Idrissi",
            "Benmoussa",
            "Tahiri",
            "Alaoui",
            "Chaoui",
            "Rahmani",
            "Ben Youssef",
            "Al Rashid",
            "Al Hassan",
            "Abdelrahman",
            "Farouk",
            "Kassem",
            "Darwish",
            "Jaber",
            "Qasim",
            "Othmani",
            "Mahmoud",
            "Boukhari",
            "Zerrouki",
        ),
        nationalities=("MA",) * 3
        + ("DZ", "DZ", "TN", "TN", "SY", "IQ", "EG", "FR", "FR")
        + ("BE", "NL"),
    ),
    Culture(
        given=_words(
            "José María Antonio Manuel Francisco Javier David Jesús Alejandro Lucía Carmen Ana "
            "Laura Marta Sofía Raúl Álvaro Iñaki Begoña Nuria Andrés Sergio Pablo Inés "
            "Ramón"
        ),
        surnames=_words(
            "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín "
            "Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Navarro Ortega Castaño "
            "Ibáñez"
        ),
        nationalities=("ES",),
        surname_count=2,
    ),
    Culture(
        given=_words(
            "Lukas Jonas Leon Felix Maximilian Paul Jürgen Günter Jörg Uwe Sabine Ursula Anna "
            "Lena Hannah Sophie Mia Jörn Björn Käthe Tobias Stefan Matthias Andreas "
            "Katrin"
        ),
        surnames=_words(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
            "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun "
            "Krüger Hofmann Hartmann Lange Weiß Groß Köhler Jäger Böhm Vogel Strauß"
        ),
        nationalities=("DE",),
    ),
)
CULTURE_WEIGHTS = (3, 2, 2, 3, 1, 2)

# Countries whose residents bank and phone at home in the demo; nationals of
# other countries mostly live in one of the first four.
RESIDENCES = ("FR", "BE", "NL", "DE")


def make_name(rng: random.Random, culture: Culture) -> tuple[str, str]:
    """Draw a (given name, surname) pair; Spanish surnames come in twos."""
    surnames = rng.sample(culture.surnames, culture.surname_count)
    return rng.choice(culture.given), " ".join(surnames)


@functools.lru_cache(maxsize=16384)
def name_spellings(given: str, surname: str) -> tuple[str, ...]:
    """Spellings of one name with the same key: order, case, accents.

    Upper-cased forms are offered only where upper-casing keeps the key under
    both ``casefold`` and ``lower`` (upper-casing a Turkish dotless i or a
    German ß changes the key under some normalisers), so the ground truth
    holds either way.

    Args:
        given: Given name.
        surname: Surname, possibly several tokens.

    Returns:
        The canonical "Given Surname" first, then distinct variants.
    """
    full = f"{given} {surname}"
    forms = [full, f"{surname} {given}"]
    if _upper_keeps_key(full):
        upper = (surname.upper(), given.upper())
        forms += [f"{upper[0]} {given}", f"{upper[1]} {upper[0]}", f"{given} {upper[0]}"]
    forms += [strip_accents(form) for form in forms]
    return tuple(dict.fromkeys(forms))


def _upper_keeps_key(text: str) -> bool:
    upper = text.upper()
    return upper.casefold() == text.casefold() and upper.lower() == text.lower()


@dataclass(frozen=True, slots=True)
class Person:
    """What one source believes about a person, before it is written down."""

    culture: Culture
    given: str
    surname: str
    date_of_birth: str  # always a full date; rendering may truncate it
    nationality: str
    documents: tuple[tuple[str, str], ...] = ()  # (number, issuing country)
    national_ids: tuple[str, ...] = ()  # issued by the nationality
    phones: tuple[PhoneNumber, ...] = ()
    emails: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    wallets: tuple[str, ...] = ()

    def carried(self, precision: str) -> frozenset[KeyKind]:
        """The kinds this person yields keys for when written with ``precision``."""
        present = {
            KeyKind.DOCUMENT: self.documents,
            KeyKind.NAME_DOB: precision == "day",
            KeyKind.PHONE: self.phones,
            KeyKind.EMAIL: self.emails,
            KeyKind.IBAN: self.ibans,
            KeyKind.WALLET: self.wallets,
            KeyKind.NATIONAL_ID: self.national_ids,
        }
        return frozenset(kind for kind, values in present.items() if values)


class Claims:
    """Every key handed out so far, in a coarser form than key spec v1.

    Coarse on purpose (ASCII-folded, issuing country ignored): two values
    distinct here are distinct under any reasonable reading of the spec.
    """

    def __init__(self) -> None:
        self._taken: set[tuple[KeyKind, str]] = set()

    def take(self, kind: KeyKind, value: str) -> bool:
        """Claim a value; False if it (or a coarse equal) was handed out before."""
        key = (kind, value if kind is KeyKind.PHONE else ids.fold_ascii(value))
        if key in self._taken:
            return False
        self._taken.add(key)
        return True

    def draw(self, kind: KeyKind, make: Callable[[], _T], coarse: Callable[[_T], str]) -> _T:
        """Draw values until one is unclaimed, claim it and return it."""
        while True:
            value = make()
            if self.take(kind, coarse(value)):
                return value


def e164(number: PhoneNumber) -> str:
    """The E.164 form of a number (``+33612345678``): what key spec v1 compares."""
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def name_dob_claim(given: str, surname: str, date: str) -> str:
    """The coarse claim for a name and full date: ASCII-folded tokens, sorted."""
    tokens = sorted(ids.fold_ascii(token) for token in f"{given} {surname}".split())
    return " ".join(tokens) + " " + date


class PersonFactory:
    """Draws people whose every identifier is unclaimed, one source at a time."""

    def __init__(self) -> None:
        self.claims = Claims()

    def person(
        self,
        rng: random.Random,
        *,
        require: KeyKind | None = None,
        culture: Culture | None = None,
        name: tuple[str, str] | None = None,
    ) -> Person:
        """Draw a new person; ``require`` forces one kind of identifier to be present."""
        if culture is None:
            weighted = list(zip(CULTURES, CULTURE_WEIGHTS, strict=True))
            if require is KeyKind.NATIONAL_ID:
                weighted = [(c, weight) for c, weight in weighted if _id_nationalities(c)]
            culture = rng.choices([c for c, _ in weighted], [weight for _, weight in weighted])[0]
        given, surname = name or make_name(rng, culture)
        nationality = rng.choice(culture.nationalities)
        if require is KeyKind.NATIONAL_ID and nationality not in ids.NATIONAL_ID_COUNTRIES:
            nationality = rng.choice(_id_nationalities(culture))
        base = Person(culture, given, surname, self.date_of_birth(rng, given, surname), nationality)
        home = nationality in ids.IBAN_COUNTRIES and rng.random() < 0.85
        residence = nationality if home else rng.choice(RESIDENCES)

        def count(kind: KeyKind, weights: Sequence[int]) -> int:
            drawn = rng.choices(range(len(weights)), weights)[0]
            return max(drawn, 1) if kind is require else drawn

        # A dual national's second passport is another country's; a second
        # phone is from home when the person lives abroad.
        others = [c for c in culture.nationalities if c != nationality] or ["FR"]
        issuers = (nationality, rng.choice(others))[: count(KeyKind.DOCUMENT, (8, 85, 7))]
        regions = (residence, nationality)[: count(KeyKind.PHONE, (8, 72, 20))]
        national_ids: tuple[str, ...] = ()
        if nationality in ids.NATIONAL_ID_COUNTRIES and count(KeyKind.NATIONAL_ID, (60, 40)):
            national_ids = (self.national_id(rng, nationality, base.date_of_birth),)
        return replace(
            base,
            documents=tuple(self.document(rng, country) for country in issuers),
            national_ids=national_ids,
            phones=tuple(self.phone(rng, region) for region in regions),
            emails=tuple(
                self.email(rng, given, surname) for _ in range(count(KeyKind.EMAIL, (25, 65, 10)))
            ),
            ibans=tuple(
                self.iban(rng, residence) for _ in range(count(KeyKind.IBAN, (45, 45, 10)))
            ),
            wallets=tuple(self.wallet(rng) for _ in range(count(KeyKind.WALLET, (95, 5)))),
        )

    def date_of_birth(self, rng: random.Random, given: str, surname: str) -> str:
        """A full date of birth never used with this name before."""
        return self.claims.draw(
            KeyKind.NAME_DOB,
            lambda: ids.make_date_of_birth(rng),
            lambda date: name_dob_claim(given, surname, date),
        )

    def another_date_of_birth(self, rng: random.Random, person: Person) -> str:
        """A different full date for ``person``, as data entry errors make it.

        Claimed with the person's name like any date, so it can never give a
        name + date of birth key that some other row already has.
        """
        attempts = 0

        def make() -> str:
            nonlocal attempts
            attempts += 1
            # Typo-like dates are few; once they are taken, any date will do.
            if attempts <= 10:
                return ids.other_date_of_birth(rng, person.date_of_birth)
            return ids.make_date_of_birth(rng)

        return self.claims.draw(
            KeyKind.NAME_DOB, make, lambda date: name_dob_claim(person.given, person.surname, date)
        )

    def document(self, rng: random.Random, country: str) -> tuple[str, str]:
        """A passport number of ``country`` never used before, in any country."""
        return self.claims.draw(
            KeyKind.DOCUMENT, lambda: (ids.make_passport(rng, country), country), lambda d: d[0]
        )

    def national_id(self, rng: random.Random, country: str, date_of_birth: str) -> str:
        """A national id of ``country`` never used before, in any country."""

        def make() -> str:
            number = ids.make_national_id(rng, country, date_of_birth)
            if number is None:
                raise ValueError(f"no national id scheme for {country!r}")
            return number

        return self.claims.draw(KeyKind.NATIONAL_ID, make, str)

    def phone(self, rng: random.Random, region: str) -> PhoneNumber:
        """A mobile number of ``region`` never used before."""
        return self.claims.draw(KeyKind.PHONE, lambda: ids.make_phone(rng, region), e164)

    def email(self, rng: random.Random, given: str, surname: str) -> str:
        """An address derived from the name, never used before."""
        return self.claims.draw(KeyKind.EMAIL, lambda: ids.make_email(rng, given, surname), str)

    def iban(self, rng: random.Random, residence: str) -> str:
        """An IBAN of the residence country (or a neighbour's) never used before."""
        country = residence if residence in ids.IBAN_COUNTRIES else rng.choice(RESIDENCES)
        return self.claims.draw(KeyKind.IBAN, lambda: ids.make_iban(rng, country), str)

    def wallet(self, rng: random.Random) -> str:
        """A bitcoin address never used before."""
        return self.claims.draw(KeyKind.WALLET, lambda: ids.make_wallet(rng), str)


def _id_nationalities(culture: Culture) -> tuple[str, ...]:
    return tuple(c for c in culture.nationalities if c in ids.NATIONAL_ID_COUNTRIES)
