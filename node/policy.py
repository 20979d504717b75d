"""What a node checks before it answers a partner's query.

Each rule is a small class over the verified :class:`~liaison.core.query.Query`
with a :class:`NodeContext` (this agency and its agreement with the
requester), composed with :class:`~liaison.core.policy.AllOf`, the same shape
as the broker's rules. A new rule is one class here and one test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from liaison.core.errors import InvalidInput, QueryRefused, QuotaExceeded
from liaison.core.policy import (
    MAX_DATASETS_PER_TARGET,
    AllOf,
    HasJustification,
    NonEmptyQuery,
    QueryRule,
    SupportedKeySpec,
)
from liaison.core.query import Query
from liaison.crypto.keys import KEY_SPEC_V2, KEY_SPEC_V3
from liaison.node.agreements import Agreement

__all__ = [
    "AgreementInForce",
    "BoundedDatasets",
    "ModeAllowed",
    "NodeContext",
    "QueryPolicy",
    "TargetsThisAgency",
    "WithinAgreement",
    "WithinQuota",
    "default_policy",
]


@dataclass(frozen=True, slots=True)
class NodeContext:
    """What a node's rules look at besides the query."""

    agency: str
    #: Our agreement with the requester, or None without one.
    agreement: Agreement | None
    #: When the query is checked (aware), for the agreement's expiry.
    now: datetime


#: A node's query policy: any rule (or composition) over a :class:`NodeContext`.
QueryPolicy = QueryRule[NodeContext]


class TargetsThisAgency:
    """The query names this agency among its targets."""

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if the query targets us.

        Raises:
            QueryRefused: it does not.
        """
        if query.target(context.agency) is None:
            raise QueryRefused("the query does not target this agency")


@dataclass(frozen=True, slots=True)
class BoundedDatasets:
    """The query names few enough datasets of this agency.

    The broker refuses more already; a node checks again, so its ledger
    entry (one outcome per dataset) and its work stay bounded whatever
    the broker relays.
    """

    max_datasets: int = MAX_DATASETS_PER_TARGET

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if the target naming us lists at most ``max_datasets`` datasets.

        Raises:
            InvalidInput: it lists more.
        """
        target = query.target(context.agency)
        if target is not None and len(target.datasets) > self.max_datasets:
            raise InvalidInput(f"query names more than {self.max_datasets} datasets")


class WithinAgreement:
    """The requester has an agreement with us covering the query's purpose."""

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if an agreement covers the purpose.

        Raises:
            QueryRefused: without an agreement or for another purpose.
        """
        if context.agreement is None:
            raise QueryRefused(f"no agreement with {query.requesting_agency}")
        if not context.agreement.allows_purpose(query.justification.purpose):
            raise QueryRefused("purpose not covered by the agreement")


class AgreementInForce:
    """The agreement with the requester has not expired."""

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if the agreement is still in force (or left to WithinAgreement if absent).

        Raises:
            QueryRefused: the agreement expired.
        """
        if context.agreement is not None and context.agreement.expired(context.now):
            raise QueryRefused(f"the agreement with {query.requesting_agency} has expired")


class ModeAllowed:
    """A reveal query needs an agreement that allows hits; count-only allows cardinality only."""

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if the agreement allows the query's mode.

        Raises:
            QueryRefused: a reveal query under a count-only agreement.
        """
        if context.agreement is not None and not context.agreement.allows_mode(query.mode):
            raise QueryRefused("the agreement allows only counts (use count-only mode)")


class WithinQuota:
    """The query holds no more keys than the agreement allows."""

    def check(self, query: Query, context: NodeContext) -> None:
        """Return if the key count is within the agreement.

        Raises:
            QuotaExceeded: an oversized query.
        """
        agreement = context.agreement
        if agreement is not None and query.key_count > agreement.max_keys_per_query:
            raise QuotaExceeded(
                f"query holds {query.key_count} keys; "
                f"the agreement allows {agreement.max_keys_per_query}"
            )


def default_policy() -> AllOf[NodeContext]:
    """The policy every node applies to partner queries, in this order."""
    rules: tuple[QueryPolicy, ...] = (
        TargetsThisAgency(),
        BoundedDatasets(),
        HasJustification(),
        SupportedKeySpec((KEY_SPEC_V2, KEY_SPEC_V3)),
        NonEmptyQuery(),
        WithinAgreement(),
        AgreementInForce(),
        ModeAllowed(),
        WithinQuota(),
    )
    return AllOf(rules)
