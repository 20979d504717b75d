"""The end of a watch as the CLI reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liaison.cli.watch_commands import parse_until
from liaison.core.errors import InvalidInput


def test_a_day_ends_at_the_end_of_that_utc_day() -> None:
    assert parse_until("2026-12-31") == datetime(2027, 1, 1, tzinfo=UTC)
    assert parse_until("2026-12-31T18:00+01:00") == datetime(2026, 12, 31, 17, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-12-31T18:00", "next week", "2026-02-30"])
def test_a_time_without_zone_or_a_non_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="--until"):
        parse_until(text)
