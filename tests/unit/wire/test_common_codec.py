"""The conversions nodes and the broker share round-trip through their messages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.crypto.tree_head import SignedTreeHead
from liaison.v1 import common_pb2
from liaison.wire.common_codec import (
    answer_from_proto,
    answer_to_proto,
    status_from_proto,
    tree_head_from_proto,
    tree_head_to_proto,
)

text = st.text(max_size=20)
statuses = st.sampled_from(list(PartnerStatus))
versions = st.integers(min_value=0, max_value=2**63)
counts = st.integers(min_value=0, max_value=2**63 - 1)
alerts = st.none() | st.builds(Alert, st.sampled_from(list(AlertLimit)), counts, counts, counts)


@given(
    st.builds(
        DatasetAnswer,
        text,
        text,
        statuses,
        text,
        versions,
        st.binary(max_size=50),
        filter_keys=versions,
        alert=alerts,
        key_epoch=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    )
)
def test_dataset_answer_round_trips(answer: DatasetAnswer) -> None:
    assert answer_from_proto(answer_to_proto(answer)) == answer


def test_an_alert_without_a_known_limit_is_no_alert_and_counts_are_capped() -> None:
    unknown = common_pb2.DatasetAnswer(alert=common_pb2.Alert(limit=99, allowed=1))  # type: ignore[arg-type]
    assert answer_from_proto(unknown).alert is None
    unset = common_pb2.DatasetAnswer(alert=common_pb2.Alert(allowed=1))
    assert answer_from_proto(unset).alert is None
    huge = common_pb2.Alert(
        limit=common_pb2.ALERT_LIMIT_DAILY_KEY_BUDGET, allowed=2**64 - 1, used=2**63, asked=5
    )
    decoded = answer_from_proto(common_pb2.DatasetAnswer(alert=huge)).alert
    assert decoded == Alert(AlertLimit.DAILY_KEY_BUDGET, 2**63 - 1, used=2**63 - 1, asked=5)


def test_an_undeclared_key_epoch_is_none_and_epoch_zero_is_declared() -> None:
    assert answer_from_proto(common_pb2.DatasetAnswer()).key_epoch is None
    assert answer_from_proto(common_pb2.DatasetAnswer(key_epoch=0)).key_epoch == 0


def test_a_key_epoch_beyond_64_bit_signed_reads_as_not_declared() -> None:
    message = common_pb2.DatasetAnswer(key_epoch=2**63)
    assert answer_from_proto(message).key_epoch is None


def test_an_unknown_partner_status_reads_as_unavailable() -> None:
    assert status_from_proto(common_pb2.PARTNER_STATUS_UNSPECIFIED) is PartnerStatus.UNAVAILABLE


def test_tree_head_round_trips() -> None:
    head = SignedTreeHead(
        size=7, root=b"r" * 32, timestamp_ms=1_700_000_000_000, signature=b"s" * 64
    )
    assert tree_head_from_proto(tree_head_to_proto(head)) == head
