"""Bulk queries: planning parts within the key budget, combining their answers."""

from __future__ import annotations

import pytest

from liaison.core.answers import PartnerStatus
from liaison.core.errors import QuotaExceeded
from liaison.node.model import Hit, MatchResult, PartnerResult
from liaison.node.split import combine, plan_parts, rows_that_fit


def test_parts_keep_file_order_and_count_shared_keys_once() -> None:
    rows = [{"a", "b"}, {"b", "c"}, {"d"}, {"e", "f"}]
    assert plan_parts(rows, 3) == [[0, 1], [2, 3]]
    assert rows_that_fit(rows, 3) == (2, 3)


def test_a_row_alone_over_the_budget_cannot_be_split() -> None:
    with pytest.raises(QuotaExceeded, match="row 2 alone gives 3 match keys"):
        plan_parts([{"a"}, {"b", "c", "d"}], 2)


def _part(query_id: str, status: PartnerStatus, *rows: int, version: int = 1) -> MatchResult:
    hits = tuple(Hit(row, f"r{row}", ("email",)) for row in rows)
    reason = "" if status is PartnerStatus.OK else "deadline passed"
    partner = PartnerResult("NL", "list", status, reason, version, hits, len(hits))
    return MatchResult(query_id, 10, (partner,), query_ids=(query_id,))


def test_combined_hits_keep_whole_file_rows_and_every_query_id() -> None:
    result = combine(
        [_part("q1", PartnerStatus.OK, 1), _part("q2", PartnerStatus.OK, 7, version=2)]
    )
    (partner,) = result.results
    assert (result.query_id, result.query_ids, result.key_count) == ("q1", ("q1", "q2"), 20)
    assert [hit.row for hit in partner.hits] == [1, 7]
    assert (partner.status, partner.filter_version, partner.match_count) == (PartnerStatus.OK, 2, 2)


def test_a_part_that_failed_makes_the_partner_not_ok_and_says_which() -> None:
    result = combine([_part("q1", PartnerStatus.OK, 1), _part("q2", PartnerStatus.TIMEOUT)])
    (partner,) = result.results
    assert partner.status is PartnerStatus.TIMEOUT
    assert partner.reason == "part 2 of 2: timeout deadline passed"
    assert [hit.row for hit in partner.hits] == [1]
