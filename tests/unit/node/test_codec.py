"""Proto <-> domain conversions round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput
from liaison.core.query import Justification
from liaison.core.records import EntityType, Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.codec import (
    contact_from_proto,
    contact_to_proto,
    match_request_from_proto,
    match_request_to_proto,
    match_result_from_proto,
    match_result_to_proto,
    record_from_proto,
    record_to_proto,
)
from liaison.node.model import Hit, MatchRequest, MatchResult, PartnerResult

text = st.text(max_size=20)
texts = st.lists(text, max_size=3).map(tuple)
identities = st.builds(
    Record,
    ref=text,
    full_name=text,
    date_of_birth=text,
    nationality=text,
    document_numbers=texts,
    document_countries=texts,
    national_ids=texts,
    phones=texts,
    emails=texts,
    ibans=texts,
    wallets=texts,
    aliases=texts,
    entity_type=st.sampled_from(list(EntityType)),
    country=text,
    other_dates_of_birth=texts,
    registration_numbers=texts,
    leis=texts,
    imo_numbers=texts,
    transactions=texts,
)
statuses = st.sampled_from(list(PartnerStatus))
versions = st.integers(min_value=0, max_value=2**63)


@given(identities)
def test_identity_round_trips(identity: Record) -> None:
    assert record_from_proto(record_to_proto(identity)) == identity


@given(
    st.builds(
        MatchRequest,
        st.builds(Justification, text, text, text, text),
        st.lists(identities, max_size=3).map(tuple),
        texts,
        texts,
        count_only=st.booleans(),
        split=st.booleans(),
    )
)
def test_match_request_round_trips(request: MatchRequest) -> None:
    assert match_request_from_proto(match_request_to_proto(request)) == request


hits = st.builds(Hit, st.integers(min_value=0, max_value=2**31), text, texts)
results = st.builds(
    PartnerResult, text, text, statuses, text, versions, st.lists(hits, max_size=3).map(tuple)
)


@given(
    st.builds(
        MatchResult,
        text,
        st.integers(min_value=0, max_value=2**31),
        st.lists(results, max_size=3).map(tuple),
    )
)
def test_match_result_round_trips(result: MatchResult) -> None:
    assert match_result_from_proto(match_result_to_proto(result)) == result


def test_an_unknown_entity_type_is_refused() -> None:
    message = record_to_proto(Record(ref="r1"))
    message.entity_type = "spaceship"
    with pytest.raises(InvalidInput, match="entity_type must be"):
        record_from_proto(message)


def test_a_contact_travels_with_its_partner_result() -> None:
    desk = ContactPoint(
        "watchlist", "NL desk", "duty", "+31", "d@nl.example", ("en",), "24/7", "UTC"
    )
    result = MatchResult(
        "q", 1, (PartnerResult("NL", "watchlist", PartnerStatus.OK, contact=desk),)
    )
    assert match_result_from_proto(match_result_to_proto(result)) == result
    assert contact_from_proto(contact_to_proto(desk)) == desk
