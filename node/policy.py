"""What a node checks before it answers a partner's query.

Policies are small composable objects (the shape of sigstore's verification
policies): each ``check`` returns nothing or raises. :class:`AllOf` refuses
to be empty, so a policy cannot be switched off by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from liaison.core.answers import missing_justification
from liaison.core.errors import QueryRefused, QuotaExceeded
from liaison.node.config import Agreement


@dataclass(frozen=True, slots=True)
class QueryFacts:
    """The parts of a verified query envelope that policies look at."""

    requesting_agency: str
    investigator_id: str
    case_id: str
    purpose: str
    legal_basis: str
    key_count: int


class QueryPolicy(Protocol):
    """A rule a query must satisfy."""

    def check(self, query: QueryFacts, agreement: Agreement | None) -> None:
        """Return if the query satisfies the rule.

        Raises:
            QueryRefused: it does not.
            QuotaExceeded: it asks for more than allowed.
        """


class HasCasePurposeAndBasis:
    """Every query names a case, a purpose, a legal basis and an investigator."""

    def check(self, query: QueryFacts, agreement: Agreement | None) -> None:
        """Raises QueryRefused naming the first missing field."""
        missing = missing_justification(
            case_id=query.case_id,
            purpose=query.purpose,
            legal_basis=query.legal_basis,
            investigator_id=query.investigator_id,
        )
        if missing:
            raise QueryRefused(f"query carries no {missing}")


class WithinAgreement:
    """The requester has an agreement with us covering the query's purpose."""

    def check(self, query: QueryFacts, agreement: Agreement | None) -> None:
        """Raises QueryRefused without an agreement or for another purpose."""
        if agreement is None:
            raise QueryRefused(f"no agreement with {query.requesting_agency}")
        if not agreement.allows_purpose(query.purpose):
            raise QueryRefused("purpose not covered by the agreement")


class WithinQuota:
    """The query holds no more keys than the agreement allows."""

    def check(self, query: QueryFacts, agreement: Agreement | None) -> None:
        """Raises QuotaExceeded for an oversized query."""
        if agreement is not None and query.key_count > agreement.max_keys_per_query:
            raise QuotaExceeded(
                f"query holds {query.key_count} keys; "
                f"the agreement allows {agreement.max_keys_per_query}"
            )


class AllOf:
    """Every listed policy must hold."""

    def __init__(self, policies: Sequence[QueryPolicy]) -> None:
        """Compose policies.

        Raises:
            ValueError: no policy given (an empty conjunction would allow all).
        """
        if not policies:
            raise ValueError("AllOf needs at least one policy")
        self._policies = tuple(policies)

    def check(self, query: QueryFacts, agreement: Agreement | None) -> None:
        """Check each policy in order; the first failure is raised."""
        for policy in self._policies:
            policy.check(query, agreement)


def default_policy() -> AllOf:
    """The policy every node applies to partner queries."""
    return AllOf((HasCasePurposeAndBasis(), WithinAgreement(), WithinQuota()))
