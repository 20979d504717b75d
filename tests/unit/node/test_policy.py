"""The node's composable query policies."""

from __future__ import annotations

import pytest

from liaison.core.errors import InvalidInput, QueryRefused, QuotaExceeded
from liaison.core.policy import MAX_DATASETS_PER_TARGET, AllOf, HasJustification, QueryRule
from liaison.node.config import Agreement
from liaison.node.policy import (
    BoundedDatasets,
    NodeContext,
    TargetsThisAgency,
    WithinAgreement,
    WithinQuota,
    default_policy,
)
from tests.query_support import make_query, target

FACTS = make_query(key_count=10)
AGREEMENT = Agreement(partner="FR", purposes=("counter-terrorism",), max_keys_per_query=10)
AT_NL = NodeContext("NL", AGREEMENT)


def test_a_complete_query_within_the_agreement_passes() -> None:
    default_policy().check(FACTS, AT_NL)


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("case_id", "case"),
        ("purpose", "purpose"),
        ("legal_basis", "legal basis"),
        ("investigator_id", "investigator"),
    ],
)
def test_missing_metadata_is_refused(field: str, label: str) -> None:
    with pytest.raises(QueryRefused, match=f"no {label}"):
        default_policy().check(make_query(**{field: "  "}), AT_NL)


def test_no_agreement_is_refused() -> None:
    with pytest.raises(QueryRefused, match="no agreement with FR"):
        default_policy().check(FACTS, NodeContext("NL", None))


def test_purpose_outside_the_agreement_is_refused() -> None:
    with pytest.raises(QueryRefused, match="purpose"):
        default_policy().check(make_query(purpose="tax"), AT_NL)


def test_more_keys_than_the_quota_is_exhausting() -> None:
    with pytest.raises(QuotaExceeded, match="11 keys"):
        default_policy().check(make_query(key_count=11), AT_NL)


def test_query_for_another_agency_is_refused_first() -> None:
    with pytest.raises(QueryRefused, match="does not target this agency"):
        default_policy().check(make_query(case_id=""), NodeContext("DE", AGREEMENT))


def test_empty_conjunction_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AllOf(())


def test_policies_run_in_order_and_stop_at_the_first_failure() -> None:
    policy = AllOf((WithinQuota(), default_policy()))
    with pytest.raises(QuotaExceeded):
        policy.check(make_query(key_count=99, case_id=""), AT_NL)


@pytest.mark.parametrize(
    ("rule", "refused", "context"),
    [
        (TargetsThisAgency(), {"targets": (target("TR"),)}, AT_NL),
        (HasJustification(), {"legal_basis": ""}, AT_NL),
        (WithinAgreement(), {"purpose": "tax"}, AT_NL),
        (WithinAgreement(), {}, NodeContext("NL", None)),
        (WithinQuota(), {"key_count": 11}, AT_NL),
    ],
)
def test_each_rule_allows_and_refuses_on_its_own(
    rule: QueryRule[NodeContext], refused: dict[str, object], context: NodeContext
) -> None:
    rule.check(FACTS, AT_NL)
    with pytest.raises((QueryRefused, QuotaExceeded)):
        rule.check(make_query(**refused), context)


def test_quota_without_an_agreement_is_left_to_within_agreement() -> None:
    WithinQuota().check(make_query(key_count=10**6), NodeContext("NL", None))


def test_bounded_datasets_refuses_more_datasets_of_this_agency() -> None:
    rule = BoundedDatasets(max_datasets=2)
    rule.check(make_query(targets=(target("NL", "a", "b"), target("TR", "a", "b", "c"))), AT_NL)
    with pytest.raises(InvalidInput, match="more than 2 datasets"):
        rule.check(make_query(targets=(target("NL", "a", "b", "c"),)), AT_NL)


def test_the_default_policy_bounds_datasets_at_64() -> None:
    many = tuple(f"d{i}" for i in range(MAX_DATASETS_PER_TARGET + 1))
    with pytest.raises(InvalidInput, match="more than 64 datasets"):
        default_policy().check(make_query(targets=(target("NL", *many),)), AT_NL)
