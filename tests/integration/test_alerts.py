"""Fishing alerts end to end (item 5 of issue 8): real broker and nodes, the auditor's CLI.

A requester exhausts a partner's daily key budget, then floods the broker
past its rate limit. Each partner refusal and each throttled submission is
an alert; the broker's log holds a bounded number of ``fishing_alert``
entries (one per requester, partner and limit a minute, the next one saying
how many were left out), and the auditor sees them in ``liaison audit log
--kind fishing_alert`` and in the "alerts" section of ``liaison audit report``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest

from liaison.cli.main import main as liaison
from liaison.core.audit import EntryKind
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.v1 import broker_pb2, common_pb2
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, open_agreement, start_federation
from tests.integration.test_agreements import match

AGENCIES = ("FR", "NL")
#: The in-test broker's per-agency rate (queries per minute).
RATE = 10
#: Submissions of each flood.
FLOOD = 300


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(
        tmp_path / "fed",
        {a: make_db_url(a) for a in AGENCIES},
        agencies=AGENCIES,
        broker_database=make_db_url("broker"),
    )
    try:
        running.broker_config = dataclasses.replace(
            running.broker_config, max_queries_per_minute=RATE
        )
        running.restart_broker()
        running.import_rows("NL", "phones", [Record(ref="NL-1", phones=("+33612012345",))])
        running.set_agreement(
            "NL", open_agreement("FR", max_keys_per_query=100, max_keys_per_day=100)
        )
        yield running
    finally:
        running.stop()


def flood(running: RunningFederation) -> list[grpc.StatusCode | None]:
    """Submit FLOOD one-key queries from FR to NL; return each refusal's code (None: answered)."""
    stub = running.broker_stub("FR")
    codes: list[grpc.StatusCode | None] = []
    for _ in range(FLOOD):
        psi_request = psi.PsiClient().request(["1|phone|+33612099999"])
        signed = running.signed_query("FR", ["NL"], psi_request, key_count=1)
        try:
            reply = stub.Submit(
                broker_pb2.SubmitRequest(query=signed, psi_request=psi_request), timeout=10
            )
        except grpc.RpcError as exc:
            codes.append(exc.code())
        else:
            assert [a.status for a in reply.answers] == [common_pb2.PARTNER_STATUS_REFUSED]
            assert reply.answers[0].alert.limit == common_pb2.ALERT_LIMIT_DAILY_KEY_BUDGET
            codes.append(None)
    return codes


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert liaison(list(args)) == 0
    return capsys.readouterr().out


def test_budget_and_throttle_alerts_are_bounded_entries_the_auditor_sees(
    federation: RunningFederation, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert federation.broker is not None
    if datetime.now(UTC).hour == 23 and datetime.now(UTC).minute > 55:
        pytest.skip("too close to the end of the UTC day (the partner's budget renews)")
    # The requester spends the partner's whole daily budget, then asks twice more.
    outcomes = [match(federation, range(n * 100, n * 100 + 100)).results[0] for n in range(3)]
    assert [r.status.value for r in outcomes] == ["ok", "refused", "refused"]
    assert outcomes[1].reason.startswith("alert: daily key budget exhausted")
    # A flood: RATE - 3 are admitted (refused by the partner), the rest throttled.
    first = flood(federation)
    assert first == [None] * (RATE - 3) + [grpc.StatusCode.RESOURCE_EXHAUSTED] * (FLOOD - RATE + 3)
    # A minute later, another flood.
    federation.monotonic.advance(61)
    second = flood(federation)
    assert second == [None] * RATE + [grpc.StatusCode.RESOURCE_EXHAUSTED] * (FLOOD - RATE)

    auditor = str(federation.auditor_config())
    rows = json.loads(cli(capsys, "audit", "log", "--config", auditor, "--kind", "fishing_alert",
                          "--json"))  # fmt: skip
    # 2 + 7 + 10 partner refusals and 293 + 290 throttled submissions: 4 entries.
    alerts = [
        (r["partner"], r["limit"], r["allowed"], r["used"], r["asked"], r["suppressed"])
        for r in rows
    ]
    assert alerts == [
        ("NL", "daily_key_budget", 100, 100, 100, 0),
        ("broker", "broker_rate", RATE, RATE, 1, 0),
        ("NL", "daily_key_budget", 100, 100, 1, 2 + (RATE - 3) - 1),
        ("broker", "broker_rate", RATE, RATE, 1, FLOOD - RATE + 3 - 1),
    ]
    assert {r["kind"] for r in rows} == {"fishing_alert"}
    assert {r["requesting_agency"] for r in rows} == {"FR"}
    # A partner's alert names its query; the throttle verified none.
    assert [bool(r["query_id"]) for r in rows] == [True, False, True, False]
    submitted = json.loads(cli(capsys, "audit", "log", "--config", auditor, "--kind",
                               "query_submitted", "--json"))  # fmt: skip
    assert rows[0]["query_id"] == submitted[1]["query_id"]  # the second match
    plain = cli(capsys, "audit", "log", "--config", auditor, "--kind", "fishing_alert")
    assert plain.count(" fishing_alert ") == 4 and "limit=broker_rate" in plain
    table = list(csv.DictReader(io.StringIO(cli(
        capsys, "audit", "log", "--config", auditor, "--kind", "fishing_alert", "--csv"
    ))))  # fmt: skip
    assert [r["limit"] for r in table] == [a[1] for a in alerts]

    today = datetime.now(UTC).date().isoformat()
    report_path = tmp_path / "report.json"
    cli(capsys, "audit", "report", "--config", auditor, "--since", today, "--until", today,
        "--format", "json", "--out", str(report_path))  # fmt: skip
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["totals"]["fishing_alerts"] == 4
    assert report["alerts"] == [
        {"requesting_agency": "FR", "partner": "NL", "limit": "daily_key_budget", "entries": 2,
         "suppressed": RATE - 2, "alerts": RATE},
        {"requesting_agency": "FR", "partner": "broker", "limit": "broker_rate", "entries": 2,
         "suppressed": FLOOD - RATE + 2, "alerts": FLOOD - RATE + 4},
    ]  # fmt: skip
    html_path = tmp_path / "report.html"
    cli(capsys, "audit", "report", "--config", auditor, "--since", today, "--until", today,
        "--format", "html", "--out", str(html_path))  # fmt: skip
    assert "<h2>Alerts</h2>" in html_path.read_text(encoding="utf-8")
    # The broker's log holds every refusal, but only four alert entries.
    log = federation.broker.audit_log
    kinds = [r.header_fields().kind for r in log.records(0, log.size)]
    assert kinds.count(EntryKind.FISHING_ALERT) == 4
