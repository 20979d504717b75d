"""The node's composable query policies."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from liaison.core.errors import InvalidInput, QueryRefused, QuotaExceeded
from liaison.core.policy import (
    MAX_DATASETS_PER_TARGET,
    AllOf,
    HasJustification,
    NonEmptyQuery,
    QueryRule,
    SupportedKeySpec,
)
from liaison.core.query import MatchMode
from liaison.node.agreements import Agreement, AgreementMode
from liaison.node.policy import (
    AgreementInForce,
    BoundedDatasets,
    ModeAllowed,
    NodeContext,
    TargetsThisAgency,
    WithinAgreement,
    WithinQuota,
    default_policy,
)
from tests.query_support import ISSUED, make_query, target

FACTS = make_query(key_count=10)
AGREEMENT = Agreement(
    partner="FR",
    datasets=("*",),
    purposes=("counter-terrorism",),
    max_keys_per_query=10,
    expires_at=ISSUED + timedelta(days=1),
)
AT_NL = NodeContext("NL", AGREEMENT, ISSUED)
COUNT_ONLY = NodeContext("NL", replace(AGREEMENT, mode=AgreementMode.COUNT), ISSUED)
NO_AGREEMENT = NodeContext("NL", None, ISSUED)


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
        default_policy().check(FACTS, NO_AGREEMENT)


def test_purpose_outside_the_agreement_is_refused() -> None:
    with pytest.raises(QueryRefused, match="purpose"):
        default_policy().check(make_query(purpose="tax"), AT_NL)


def test_more_keys_than_the_quota_is_exhausting() -> None:
    with pytest.raises(QuotaExceeded, match="11 keys"):
        default_policy().check(make_query(key_count=11), AT_NL)


def test_query_for_another_agency_is_refused_first() -> None:
    with pytest.raises(QueryRefused, match="does not target this agency"):
        default_policy().check(make_query(case_id=""), NodeContext("DE", AGREEMENT, ISSUED))


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
        (WithinAgreement(), {}, NO_AGREEMENT),
        (WithinQuota(), {"key_count": 11}, AT_NL),
        (AgreementInForce(), {}, replace(AT_NL, now=ISSUED + timedelta(days=1))),
        (ModeAllowed(), {"mode": MatchMode.REVEAL}, COUNT_ONLY),
        (SupportedKeySpec(("2",)), {"key_spec": "bogus-99"}, AT_NL),
        (NonEmptyQuery(), {"key_count": 0}, AT_NL),
    ],
)
def test_each_rule_allows_and_refuses_on_its_own(
    rule: QueryRule[NodeContext], refused: dict[str, object], context: NodeContext
) -> None:
    rule.check(FACTS, AT_NL)
    with pytest.raises((QueryRefused, QuotaExceeded, InvalidInput)):
        rule.check(make_query(**refused), context)


def test_a_count_only_agreement_answers_cardinality_queries() -> None:
    default_policy().check(make_query(mode=MatchMode.CARDINALITY), COUNT_ONLY)
    with pytest.raises(QueryRefused, match="only counts"):
        default_policy().check(make_query(mode=MatchMode.REVEAL), COUNT_ONLY)


def test_a_hits_agreement_answers_both_modes() -> None:
    for mode in MatchMode:
        default_policy().check(make_query(mode=mode), AT_NL)


def test_an_expired_agreement_refuses() -> None:
    expired = replace(AT_NL, now=ISSUED + timedelta(days=1, seconds=1))
    with pytest.raises(QueryRefused, match="expired"):
        default_policy().check(FACTS, expired)


@pytest.mark.parametrize("spec", ["bogus-99", "1", ""])
def test_an_unknown_key_spec_is_invalid(spec: str) -> None:
    with pytest.raises(InvalidInput, match="unknown key spec"):
        default_policy().check(make_query(key_spec=spec), AT_NL)


def test_a_query_of_no_key_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="no key"):
        default_policy().check(make_query(key_count=0), AT_NL)


def test_quota_without_an_agreement_is_left_to_within_agreement() -> None:
    WithinQuota().check(make_query(key_count=10**6), NO_AGREEMENT)


def test_bounded_datasets_refuses_more_datasets_of_this_agency() -> None:
    rule = BoundedDatasets(max_datasets=2)
    rule.check(make_query(targets=(target("NL", "a", "b"), target("TR", "a", "b", "c"))), AT_NL)
    with pytest.raises(InvalidInput, match="more than 2 datasets"):
        rule.check(make_query(targets=(target("NL", "a", "b", "c"),)), AT_NL)


def test_the_default_policy_bounds_datasets_at_64() -> None:
    many = tuple(f"d{i}" for i in range(MAX_DATASETS_PER_TARGET + 1))
    with pytest.raises(InvalidInput, match="more than 64 datasets"):
        default_policy().check(make_query(targets=(target("NL", *many),)), AT_NL)
