"""Fixtures of the report tests."""

from __future__ import annotations

import pytest

from liaison.auditing.report.tally import (
    Report,
    build_report,
)
from tests.unit.auditing.report_log import (
    LOG,
    SINCE,
    UNTIL,
)


@pytest.fixture
def report() -> Report:
    return build_report(LOG, since=SINCE, until=UNTIL)
