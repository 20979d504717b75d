"""The partner's outcome labels: a fixed set, whatever the ledger's text says."""

from __future__ import annotations

import pytest

from liaison.node.query_events import served_outcome


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        ("watchlist:ok:epoch 3", "ok"),
        ("watchlist:refused;sanctions:ok:epoch 0", "ok"),
        ("watchlist:refused", "refused"),
        ("no dataset", "refused"),
        ("refused: no agreement with this partner", "refused"),
        ("alert: daily key budget exhausted", "alert"),
        ("stopped at the deadline after 1 datasets", "timeout"),
    ],
)
def test_served_outcomes_are_classified(outcome: str, label: str) -> None:
    assert served_outcome(outcome) == label
