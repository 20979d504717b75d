"""Federation policy at the broker."""

from __future__ import annotations

import pytest

from liaison.broker.policy import (
    AcceptedPurpose,
    Admitted,
    BoundedTargets,
    FederationContext,
    FederationPolicy,
    IsParticipant,
    KnownPartners,
    ValidTargets,
    WithinFederationLimit,
)
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
    HasJustification,
    NonEmptyQuery,
    QueryRule,
    SupportedKeySpec,
)
from liaison.core.query import Query
from tests.query_support import make_query, target

ADMITTED = FederationContext(frozenset({"FR", "NL", "TR"}), ("counter-terrorism",))
NO_PURPOSE = FederationContext(ADMITTED.admitted, ())


def envelope(**changes: object) -> Query:
    return make_query(**changes)


POLICY = FederationPolicy(max_keys_per_query=100)


def test_valid_query_passes() -> None:
    POLICY.check(envelope(), ADMITTED)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"requesting_agency": "XX"}, PermissionDenied, "not a participant"),
        ({"case_id": ""}, QueryRefused, "no case"),
        ({"legal_basis": " "}, QueryRefused, "no legal basis"),
        ({"purpose": "curiosity"}, QueryRefused, "purpose not accepted"),
        ({"key_count": 101}, QuotaExceeded, "101 keys"),
        ({"targets": ()}, InvalidInput, "no partner"),
        ({"targets": (target("NL"),) * 2}, InvalidInput, "twice"),
        ({"targets": (target("FR"),)}, InvalidInput, "its own agency"),
        ({"targets": (target("ZZ"),)}, NotFound, "unknown partner.*ZZ"),
        ({"key_spec": "bogus-99"}, InvalidInput, "unknown key spec"),
        ({"key_count": 0}, InvalidInput, "no key"),
    ],
)
def test_policy_violations_are_refused(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        POLICY.check(envelope(**changes), ADMITTED)


def test_an_empty_purpose_list_accepts_no_query() -> None:
    with pytest.raises(QueryRefused, match=r"accepts no purpose yet.*broker purpose add"):
        POLICY.check(envelope(purpose="counter-terrorism"), NO_PURPOSE)


@pytest.mark.parametrize(
    ("rule", "allowed", "refused", "error"),
    [
        (IsParticipant(), {}, {"requesting_agency": "XX"}, PermissionDenied),
        (HasJustification(), {}, {"investigator_id": ""}, QueryRefused),
        (AcceptedPurpose(), {}, {"purpose": "tax"}, QueryRefused),
        (SupportedKeySpec(("2",)), {}, {"key_spec": "1"}, InvalidInput),
        (NonEmptyQuery(), {"key_count": 1}, {"key_count": 0}, InvalidInput),
        (WithinFederationLimit(10), {"key_count": 10}, {"key_count": 11}, QuotaExceeded),
        (ValidTargets(), {}, {"targets": (target("NL"), target("NL"))}, InvalidInput),
        (KnownPartners(), {}, {"targets": (target("NL"), target("ZZ"))}, NotFound),
    ],
)
def test_each_rule_allows_and_refuses_on_its_own(
    rule: QueryRule[Admitted],
    allowed: dict[str, object],
    refused: dict[str, object],
    error: type[Exception],
) -> None:
    rule.check(make_query(**allowed), ADMITTED)
    with pytest.raises(error):
        rule.check(make_query(**refused), ADMITTED)


def test_rules_other_than_the_one_refusing_let_the_query_through() -> None:
    # A purpose refused by AcceptedPurpose is no business of KnownPartners.
    KnownPartners().check(make_query(purpose="tax"), ADMITTED)
    AcceptedPurpose().check(make_query(targets=(target("ZZ"),)), ADMITTED)


def test_bounded_targets_refuses_too_many_partners_or_datasets() -> None:
    rule = BoundedTargets(max_targets=2, max_datasets_per_target=3)
    rule.check(envelope(targets=(target("NL", "a", "b", "c"), target("TR"))), ADMITTED)
    with pytest.raises(InvalidInput, match="more than 2 partners"):
        rule.check(envelope(targets=(target("NL"), target("TR"), target("XX"))), ADMITTED)
    with pytest.raises(InvalidInput, match="more than 3 datasets of one partner"):
        rule.check(envelope(targets=(target("NL", "a", "b", "c", "d"),)), ADMITTED)


def test_the_federation_policy_bounds_datasets_before_naming_unknown_partners() -> None:
    many = tuple(f"d{i}" for i in range(MAX_DATASETS_PER_TARGET + 1))
    with pytest.raises(InvalidInput, match="datasets of one partner"):
        POLICY.check(envelope(targets=(target("ZZ", *many),)), ADMITTED)
    with pytest.raises(InvalidInput, match=f"more than {MAX_TARGETS} partners"):
        POLICY.check(envelope(targets=tuple(target(f"Z{i}") for i in range(65))), ADMITTED)
