"""The canonical person/object record and the match keys derived from it.

These types are shared by every layer: the importer and the match CLI parse
files into :class:`Identity`, the key spec (:mod:`crypto.keys`) turns an
identity into :class:`MatchKey` values, and the store keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    """The kinds of match key of key spec v1 (the tag inside every key)."""

    DOCUMENT = "document"
    NAME_DOB = "name_dob"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    WALLET = "wallet"
    NATIONAL_ID = "national_id"


@dataclass(frozen=True, slots=True)
class Identity:
    """One row of the canonical schema, as written in the input file.

    Values are kept as given (stripped of surrounding blanks); normalisation is
    the key spec's job. Each tuple holds the ``;``-separated values of one
    column, in file order.
    """

    ref: str
    full_name: str = ""
    date_of_birth: str = ""
    nationality: str = ""
    document_numbers: tuple[str, ...] = ()
    document_countries: tuple[str, ...] = ()
    national_ids: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    wallets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class MatchKey:
    """A match key: the exact string PSI compares, and the kind it belongs to.

    ``value`` embeds the key-spec version and the kind tag, so keys of
    different kinds or versions can never be equal by accident.
    """

    kind: KeyKind
    value: str
