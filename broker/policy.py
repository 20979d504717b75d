"""Federation policy: what the broker checks before it relays a query.

Each rule is a small class over the verified :class:`~liaison.core.query.Query`
with a :class:`FederationContext` (the admitted agencies and the accepted
purposes, as the broker's config says at that moment); :class:`FederationPolicy`
composes them with :class:`~liaison.core.policy.AllOf`. A new rule is one
class here and one test. Deny by default: a federation whose purpose list is
empty accepts no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison.core.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
)
from liaison.core.policy import (
    MAX_DATASETS_PER_TARGET,
    MAX_TARGETS,
    AllOf,
    HasJustification,
    NonEmptyQuery,
    QueryRule,
    SupportedKeySpec,
)
from liaison.core.query import Query
from liaison.crypto.keys import KEY_SPEC_V2, KEY_SPEC_V3


@dataclass(frozen=True, slots=True)
class FederationContext:
    """What the broker's rules look at besides the query (read from ``broker.toml``)."""

    #: The agencies admitted to the federation.
    admitted: frozenset[str]
    #: The purposes the federation accepts; empty accepts none.
    purposes: tuple[str, ...]


#: The broker's context for a rule.
Admitted = FederationContext


class IsParticipant:
    """The requester is (still) admitted to the federation."""

    def check(self, query: Query, context: Admitted) -> None:
        """Return if the requesting agency is admitted.

        Raises:
            PermissionDenied: it is not.
        """
        if query.requesting_agency not in context.admitted:
            raise PermissionDenied("requesting agency is not a participant")


class AcceptedPurpose:
    """The purpose is on the federation's explicit list (an empty list accepts none)."""

    def check(self, query: Query, context: Admitted) -> None:
        """Return if the purpose is accepted.

        Raises:
            QueryRefused: another purpose, or no purpose accepted yet.
        """
        if not context.purposes:
            raise QueryRefused(
                "the federation accepts no purpose yet "
                "(the broker operator adds them with 'liaison broker purpose add')"
            )
        if query.justification.purpose not in context.purposes:
            raise QueryRefused("purpose not accepted by the federation")


@dataclass(frozen=True, slots=True)
class WithinFederationLimit:
    """The query holds no more keys than the federation relays."""

    max_keys_per_query: int

    def check(self, query: Query, context: Admitted) -> None:
        """Return if the key count is within the limit.

        Raises:
            QuotaExceeded: more keys.
        """
        if query.key_count > self.max_keys_per_query:
            raise QuotaExceeded(
                f"query holds {query.key_count} keys; the federation relays at most "
                f"{self.max_keys_per_query}"
            )


@dataclass(frozen=True, slots=True)
class BoundedTargets:
    """The query names few enough partners, and few enough datasets of each.

    Checked before any rule that walks the targets, so an envelope naming
    300,000 datasets costs one denial entry, not one entry per dataset.
    """

    max_targets: int = MAX_TARGETS
    max_datasets_per_target: int = MAX_DATASETS_PER_TARGET

    def check(self, query: Query, context: Admitted) -> None:
        """Return if the targets are within the bounds.

        Raises:
            InvalidInput: too many partners, or too many datasets of one.
        """
        if len(query.targets) > self.max_targets:
            raise InvalidInput(f"query names more than {self.max_targets} partners")
        if any(len(t.datasets) > self.max_datasets_per_target for t in query.targets):
            raise InvalidInput(
                f"query names more than {self.max_datasets_per_target} datasets of one partner"
            )


class ValidTargets:
    """The query names at least one partner, none twice, and not its own agency."""

    def check(self, query: Query, context: Admitted) -> None:
        """Return if the targets are well formed.

        Raises:
            InvalidInput: no target, a repeated target, or the requester itself.
        """
        agencies = query.target_agencies()
        if not agencies:
            raise InvalidInput("query names no partner")
        if len(set(agencies)) != len(agencies):
            raise InvalidInput("query names a partner twice")
        if query.requesting_agency in agencies:
            raise InvalidInput("query names its own agency as a partner")


class KnownPartners:
    """Every target is admitted to the federation."""

    def check(self, query: Query, context: Admitted) -> None:
        """Return if every target is a participant.

        Raises:
            NotFound: naming the unknown partners.
        """
        unknown = sorted(set(query.target_agencies()) - context.admitted)
        if unknown:
            raise NotFound(f"unknown partner(s): {', '.join(unknown)}")


@dataclass(frozen=True, slots=True)
class FederationPolicy:
    """The federation-wide rules (size limit; purposes come with the context), in order."""

    max_keys_per_query: int

    def rules(self) -> AllOf[Admitted]:
        """Return the composed rules this policy applies."""
        rules: tuple[QueryRule[Admitted], ...] = (
            IsParticipant(),
            BoundedTargets(),
            HasJustification(),
            AcceptedPurpose(),
            SupportedKeySpec((KEY_SPEC_V2, KEY_SPEC_V3)),
            NonEmptyQuery(),
            WithinFederationLimit(self.max_keys_per_query),
            ValidTargets(),
            KnownPartners(),
        )
        return AllOf(rules)

    def check(self, query: Query, admitted: Admitted) -> None:
        """Check a verified query against the federation rules.

        Raises:
            PermissionDenied: the requester is not (or no longer) admitted.
            QueryRefused: missing case, purpose, legal basis or investigator, or
                a purpose the federation does not accept.
            QuotaExceeded: more keys than the federation relays.
            InvalidInput: an unknown key spec, no key, no target, a repeated
                target, the requester itself, or more partners or datasets
                than :class:`BoundedTargets` allows.
            NotFound: a target is not a participant.
        """
        self.rules().check(query, admitted)
