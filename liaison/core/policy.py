"""The one shape of a query policy, for the broker and for nodes alike.

A rule is a small object whose ``check`` returns nothing or raises (the shape
of sigstore's verification policies); rules compose with :class:`AllOf`, which
refuses to be empty so a policy cannot be switched off by accident. Each
service passes its own context (the broker: who is admitted; a node: its
agency and its agreement with the requester).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from liaison.core.errors import InvalidInput, QueryRefused
from liaison.core.query import Query

__all__ = [
    "MAX_DATASETS_PER_TARGET",
    "MAX_TARGETS",
    "AllOf",
    "HasJustification",
    "NonEmptyQuery",
    "QueryRule",
    "SupportedKeySpec",
]

#: Most partners one query may name (the broker refuses more).
MAX_TARGETS = 64
#: Most datasets one query may name per partner (broker and partner refuse more).
MAX_DATASETS_PER_TARGET = 64

C_contra = TypeVar("C_contra", contravariant=True)
C = TypeVar("C")


class QueryRule(Protocol[C_contra]):
    """A rule a query must satisfy, in a context ``C``."""

    def check(self, query: Query, context: C_contra) -> None:
        """Return if the query satisfies the rule.

        Raises:
            LiaisonError: it does not; the subclass and message name the rule.
        """


class HasJustification:
    """Every query names a case, a purpose, a legal basis and an investigator."""

    def check(self, query: Query, context: object) -> None:
        """Return if the justification is complete.

        Raises:
            QueryRefused: naming the first blank field.
        """
        missing = query.justification.first_blank()
        if missing:
            raise QueryRefused(f"query carries no {missing}")


class NonEmptyQuery:
    """A query holds at least one key: an empty one would only fetch filters."""

    def check(self, query: Query, context: object) -> None:
        """Return if the query holds a key.

        Raises:
            InvalidInput: a query of no key.
        """
        if query.key_count < 1:
            raise InvalidInput("query holds no key")


class SupportedKeySpec:
    """The query's keys were derived with a key spec this service knows."""

    def __init__(self, specs: Sequence[str]) -> None:
        """Accept only the key-spec versions in ``specs``.

        Raises:
            ValueError: no spec given (a programming error).
        """
        if not specs:
            raise ValueError("SupportedKeySpec needs at least one key spec")
        self._specs = frozenset(specs)

    def check(self, query: Query, context: object) -> None:
        """Return if the key spec is known.

        Raises:
            InvalidInput: another key spec (the message does not echo it).
        """
        if query.key_spec not in self._specs:
            raise InvalidInput("unknown key spec")


class AllOf(Generic[C]):
    """Every listed rule must hold, checked in order."""

    def __init__(self, rules: Sequence[QueryRule[C]]) -> None:
        """Compose rules.

        Raises:
            ValueError: no rule given (an empty conjunction would allow all);
                a programming error, not a refusal.
        """
        if not rules:
            raise ValueError("AllOf needs at least one rule")
        self._rules = tuple(rules)

    def check(self, query: Query, context: C) -> None:
        """Check each rule in order.

        Raises:
            LiaisonError: the first rule that fails.
        """
        for rule in self._rules:
            rule.check(query, context)
