"""Federation policy at the broker."""

from __future__ import annotations

import pytest

from liaison.broker.policy import FederationPolicy
from liaison.core.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
)
from liaison.v1 import common_pb2

ADMITTED = {"FR", "NL", "TR"}


def envelope(**changes: object) -> common_pb2.QueryEnvelope:
    values: dict[str, object] = {
        "query_id": "0" * 32,
        "requesting_agency": "FR",
        "investigator_id": "inv",
        "case_id": "C-1",
        "purpose": "counter-terrorism",
        "legal_basis": "art. 1",
        "targets": [common_pb2.Target(agency="NL"), common_pb2.Target(agency="TR")],
        "key_count": 10,
    }
    values.update(changes)
    return common_pb2.QueryEnvelope(**values)  # type: ignore[arg-type]


POLICY = FederationPolicy(purposes=("counter-terrorism",), max_keys_per_query=100)


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
        ({"targets": []}, InvalidInput, "no partner"),
        ({"targets": [common_pb2.Target(agency="NL")] * 2}, InvalidInput, "twice"),
        ({"targets": [common_pb2.Target(agency="FR")]}, InvalidInput, "its own agency"),
        ({"targets": [common_pb2.Target(agency="ZZ")]}, NotFound, "unknown partner.*ZZ"),
    ],
)
def test_policy_violations_are_refused(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        POLICY.check(envelope(**changes), ADMITTED)


def test_no_purpose_list_accepts_any_named_purpose() -> None:
    FederationPolicy(purposes=(), max_keys_per_query=100).check(
        envelope(purpose="anything"), ADMITTED
    )
