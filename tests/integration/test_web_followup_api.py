"""Follow-ups through the HTTP JSON API: FR's investigator asks, NL's officer answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from liaison.core.records import Record, RecordField
from liaison.node.users import LocalRole
from liaison.web.app import build_app
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.web_support import web_services

SOURCE = "HUMINT-77"
OWNED = Record(
    ref="NL-0042",
    full_name="Karim Benali",
    date_of_birth="1988-02-03",
    document_numbers=("X7741203",),
    document_countries=("FR",),
    details=(RecordField("release.status", "active"), RecordField("source.informant", SOURCE)),
)
SUSPECT = {"ref": "S-1", "full_name": "Karim Benali", "date_of_birth": "1988-02-03",
           "document_number": "X7741203"}  # fmt: skip
CASE = {"case_id": "CASE-A1", "purpose": "counter-terrorism", "legal_basis": "art. 12"}


@dataclass
class Pair:
    running: RunningFederation
    fr: TestClient
    nl: TestClient
    investigator: dict[str, str]
    officer: dict[str, str]


@pytest.fixture
def pair(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[Pair]:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in ("FR", "NL")}, agencies=("FR", "NL")
    )
    try:
        running.import_rows("NL", "watchlist", [OWNED])
        running.wait_published()
        officer = running.add_user("NL", "officer@nl", LocalRole.OFFICER)
        with (
            TestClient(build_app(web_services(running, "FR")), base_url="https://t") as fr,
            TestClient(build_app(web_services(running, "NL")), base_url="https://t") as nl,
        ):
            yield Pair(
                running,
                fr,
                nl,
                {"authorization": f"Bearer {running.tokens['FR']}"},
                {"authorization": f"Bearer {officer}"},
            )
    finally:
        running.stop()


def test_a_follow_up_asked_and_approved_through_the_api(pair: Pair) -> None:
    matched = pair.fr.post(
        "/api/v1/match", json={**CASE, "identities": [SUSPECT]}, headers=pair.investigator
    )
    assert matched.status_code == 201, matched.text
    result = matched.json()
    (nl,) = [r for r in result["results"] if r["agency"] == "NL"]
    assert "NL CT liaison desk" in nl["contact"]
    asked = pair.fr.post(
        "/api/v1/followups",
        json={"query_id": result["query_id"], "partner": "NL", "row": 0, "message": "Still?"},
        headers=pair.investigator,
    )
    assert asked.status_code == 201, asked.text
    followup_id = asked.json()["id"]
    assert asked.json()["state"] == "queued"
    # The investigator may not answer; the officer's box holds it with its deadline.
    refused = pair.fr.post(
        f"/api/v1/followups/{followup_id}/answer",
        json={"decision": "approve"},
        headers=pair.investigator,
    )
    assert refused.status_code == 403
    (queued,) = pair.nl.get("/api/v1/followups", headers=pair.officer).json()["followups"]
    assert (queued["id"], queued["partner"], queued["overdue"]) == (followup_id, "FR", False)
    shown = pair.nl.get(f"/api/v1/followups/{followup_id}", headers=pair.officer).json()
    fields = {f["name"]: f["never_releasable"] for f in shown["matched_records"][0]["fields"]}
    assert fields["source.informant"] is True and fields["full_name"] is False
    no_reason = pair.nl.post(
        f"/api/v1/followups/{followup_id}/answer", json={"decision": "refuse"}, headers=pair.officer
    )
    assert no_reason.status_code == 400
    approved = pair.nl.post(
        f"/api/v1/followups/{followup_id}/answer",
        json={
            "decision": "approve",
            "fields": ["full_name", "release.status", "source.informant"],
            "handling": "H1",
        },
        headers=pair.officer,
    )
    assert approved.status_code == 200, approved.text
    reply = pair.fr.get(f"/api/v1/followups/{followup_id}", headers=pair.investigator).json()
    assert (reply["state"], reply["handling"]) == ("approved", "H1")
    released = {f["name"]: f["value"] for r in reply["released"] for f in r["fields"]}
    assert released == {"full_name": "Karim Benali", "release.status": "active"}
    assert SOURCE not in str(reply)
