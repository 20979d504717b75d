"""The node's composable query policies."""

from __future__ import annotations

import dataclasses

import pytest

from liaison.core.errors import QueryRefused, QuotaExceeded
from liaison.node.config import Agreement
from liaison.node.policy import AllOf, QueryFacts, WithinQuota, default_policy

FACTS = QueryFacts(
    requesting_agency="FR",
    investigator_id="inv-7",
    case_id="CASE-1",
    purpose="counter-terrorism",
    legal_basis="art. 12",
    key_count=10,
)
AGREEMENT = Agreement(partner="FR", purposes=("counter-terrorism",), max_keys_per_query=10)


def test_a_complete_query_within_the_agreement_passes() -> None:
    default_policy().check(FACTS, AGREEMENT)


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
        default_policy().check(dataclasses.replace(FACTS, **{field: "  "}), AGREEMENT)  # type: ignore[arg-type]


def test_no_agreement_is_refused() -> None:
    with pytest.raises(QueryRefused, match="no agreement with FR"):
        default_policy().check(FACTS, None)


def test_purpose_outside_the_agreement_is_refused() -> None:
    with pytest.raises(QueryRefused, match="purpose"):
        default_policy().check(dataclasses.replace(FACTS, purpose="tax"), AGREEMENT)


def test_more_keys_than_the_quota_is_exhausting() -> None:
    with pytest.raises(QuotaExceeded, match="11 keys"):
        default_policy().check(dataclasses.replace(FACTS, key_count=11), AGREEMENT)


def test_empty_conjunction_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AllOf(())


def test_policies_run_in_order_and_stop_at_the_first_failure() -> None:
    policy = AllOf((WithinQuota(), default_policy()))
    with pytest.raises(QuotaExceeded):
        policy.check(dataclasses.replace(FACTS, key_count=99, case_id=""), AGREEMENT)
