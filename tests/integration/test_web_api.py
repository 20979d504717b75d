"""The console and HTTP API without a browser: statuses, auth, CSRF, headers, OpenAPI.

A real federation (broker, FR, NL, TR on loopback, real PSI); the requests
go to FR's console application in process (Starlette's test client), which
runs the same services as FR's gRPC local face.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from liaison.node.ledger.chain import Direction
from liaison.node.users import LocalRole
from liaison.tools.demo_data import write_jsonl
from liaison.web import api, followup_api
from liaison.web.app import build_app
from liaison.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import DbUrlFactory
from tests.integration.web_support import ConsoleFederation, console_federation

CASE = {"case_id": "CASE-W1", "purpose": "counter-terrorism", "legal_basis": "art. 12"}


@pytest.fixture
def fed(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[ConsoleFederation]:
    with console_federation(tmp_path, make_db_url) as running:
        yield running


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleFederation]:
    """One federation (SQLite) for the tests that change nothing a later test reads."""
    base = tmp_path_factory.mktemp("web")
    with console_federation(base / "fed", lambda name: f"sqlite:///{base / name}.db") as running:
        yield running


@pytest.fixture
def client(fed: ConsoleFederation) -> Iterator[TestClient]:
    with TestClient(build_app(fed.services), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def shared_client(shared: ConsoleFederation) -> Iterator[TestClient]:
    with TestClient(build_app(shared.services), base_url="https://testserver") as test_client:
        yield test_client


def identities(fed: ConsoleFederation, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "suspects.jsonl"
    write_jsonl(path, fed.data.suspects)
    return [json.loads(line) for line in path.read_text().splitlines()]


def bearer(fed: ConsoleFederation, role: LocalRole) -> dict[str, str]:
    return {"authorization": f"Bearer {fed.tokens[role]}"}


def expected_hits(fed: ConsoleFederation) -> set[tuple[str, int]]:
    return {(p.agency, p.suspect_row) for p in fed.data.planted}


def login(client: TestClient, token: str) -> str:
    """Log in through the form; return the session's CSRF token (read from a page)."""
    page = client.get("/login")
    field = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert field is not None
    reply = client.post(
        "/login", data={"csrf": field.group(1), "token": token}, follow_redirects=False
    )
    assert reply.status_code == 303
    home = client.get(reply.headers["location"])
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert found is not None
    return found.group(1)


def test_the_api_matches_for_an_investigator_account_and_keeps_the_result(
    fed: ConsoleFederation, client: TestClient, tmp_path: Path
) -> None:
    body = {**CASE, "identities": identities(fed, tmp_path), "min_strength": "exact"}
    reply = client.post("/api/v1/match", json=body, headers=bearer(fed, LocalRole.INVESTIGATOR))
    assert reply.status_code == 201, reply.text
    result = reply.json()
    found = {(r["agency"], h["row"]) for r in result["results"] for h in r["hits"]}
    assert found == expected_hits(fed)
    assert {r["status"] for r in result["results"]} == {"ok"}
    assert all(
        h["strength_words"].startswith("exact") for r in result["results"] for h in r["hits"]
    )
    again = client.get(
        f"/api/v1/matches/{result['query_id']}", headers=bearer(fed, LocalRole.INVESTIGATOR)
    )
    assert again.status_code == 200
    assert again.json() == result
    # Another account cannot read it; the ledger names the account's user.
    other = fed.running.add_user("FR", "investigator2@fr", LocalRole.INVESTIGATOR)
    hidden = client.get(
        f"/api/v1/matches/{result['query_id']}", headers={"authorization": f"Bearer {other}"}
    )
    assert hidden.status_code == 404
    sent = [e for e in fed.services.ledger.all() if e.direction is Direction.SENT]
    assert {(e.query_id, e.case_id, e.investigator_id) for e in sent} == {
        (result["query_id"], "CASE-W1", "investigator@fr")
    }


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"authorization": "Bearer lt1:investigator@fr:wrong"}, 401),
        ({"authorization": "Basic abc"}, 401),
    ],
)
def test_the_api_refuses_a_call_without_a_valid_token(
    shared: ConsoleFederation, shared_client: TestClient, headers: dict[str, str], status: int
) -> None:
    before = len(shared.services.ledger.all())
    reply = shared_client.post("/api/v1/match", json={**CASE, "identities": [{}]}, headers=headers)
    assert reply.status_code == status
    assert reply.json()["error"] == "Unauthenticated"
    assert reply.headers["www-authenticate"] == "Bearer"
    assert len(shared.services.ledger.all()) == before


def test_the_api_refuses_a_role_its_operation(
    shared: ConsoleFederation, shared_client: TestClient
) -> None:
    operator = bearer(shared, LocalRole.OPERATOR)
    reply = shared_client.post("/api/v1/match", json={**CASE, "identities": [{}]}, headers=operator)
    assert reply.status_code == 403
    assert reply.json()["error"] == "PermissionDenied"
    datasets = shared_client.get("/api/v1/datasets", headers=operator)
    assert datasets.status_code == 200
    assert [d["name"] for d in datasets.json()["datasets"]] == ["watchlist"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**CASE, "case_id": " "}, "case_id is required"),
        ({**CASE, "identities": []}, "identities must be"),
        ({"identities": [{"ref": "a"}]}, "case_id is required"),
    ],
)
def test_the_api_refuses_bad_input_with_400(
    shared: ConsoleFederation, shared_client: TestClient, body: dict[str, Any], message: str
) -> None:
    body = {"identities": [{"ref": "a", "full_name": "A B"}], **body}
    reply = shared_client.post(
        "/api/v1/match", json=body, headers=bearer(shared, LocalRole.INVESTIGATOR)
    )
    assert reply.status_code == 400
    assert message in reply.json()["message"]


def test_a_body_over_the_local_bound_is_refused(
    shared: ConsoleFederation, shared_client: TestClient
) -> None:
    big = b"x" * (shared.services.config.local_max_request_bytes + 1)
    reply = shared_client.post(
        "/api/v1/match", content=big, headers=bearer(shared, LocalRole.INVESTIGATOR)
    )
    assert reply.status_code == 429


def test_every_response_carries_the_strict_headers(shared_client: TestClient) -> None:
    for path in ("/login", "/api/v1/openapi.json", "/static/style.css", "/match"):
        reply = shared_client.get(path, follow_redirects=False)
        assert reply.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["x-frame-options"] == "DENY"
        assert reply.headers["cache-control"] == "no-store"
    assert "script-src" not in CONTENT_SECURITY_POLICY  # no script at all: default-src 'none'
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'none'")


def test_login_sets_a_strict_session_cookie_and_a_wrong_token_is_refused(
    shared: ConsoleFederation, shared_client: TestClient
) -> None:
    page = shared_client.get("/login")
    field = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert field is not None
    wrong = shared_client.post("/login", data={"csrf": field.group(1), "token": "lt1:x:y"})
    assert wrong.status_code == 401
    assert "liaison_session" not in wrong.headers.get("set-cookie", "")
    login(shared_client, shared.tokens[LocalRole.INVESTIGATOR])
    # The last set-cookie of the login answer (the redirect) is the session cookie.
    shared_client.cookies.clear()
    page = shared_client.get("/login")
    field = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert field is not None
    reply = shared_client.post(
        "/login",
        data={"csrf": field.group(1), "token": shared.tokens[LocalRole.INVESTIGATOR]},
        follow_redirects=False,
    )
    cookie = next(
        c for c in reply.headers.get_list("set-cookie") if c.startswith("liaison_session=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= attributes
    assert shared.tokens[LocalRole.INVESTIGATOR].split(":")[2] not in cookie


def test_a_login_without_its_csrf_token_is_refused(
    shared: ConsoleFederation, shared_client: TestClient
) -> None:
    shared_client.get("/login")
    reply = shared_client.post("/login", data={"token": shared.tokens[LocalRole.INVESTIGATOR]})
    assert reply.status_code == 403


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_done(
    fed: ConsoleFederation, client: TestClient
) -> None:
    csrf = login(client, fed.tokens[LocalRole.INVESTIGATOR])
    form = {**CASE, "rows": "ref,full_name,date_of_birth\ns1,Jan Jansen,1980-01-31\n"}
    for fields in (form, {**form, "csrf": "not-the-token"}):
        reply = client.post("/match", data=fields)
        assert reply.status_code == 403
        assert "CSRF" in reply.text
    assert fed.services.ledger.all() == []
    done = client.post("/match", data={**form, "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"].startswith("/match/")
    query_id = done.headers["location"].removeprefix("/match/")
    assert {e.query_id for e in fed.services.ledger.all()} == {query_id}


@pytest.mark.parametrize(
    ("role", "refused", "allowed"),
    [
        (
            LocalRole.INVESTIGATOR,
            ["/datasets", "/users", "/ledger", "/status", "/hit-notices"],
            ["/match", "/followups", "/inbox"],
        ),
        (LocalRole.OPERATOR, ["/match", "/ledger", "/inbox/x"], ["/datasets", "/users"]),
        (LocalRole.AUDITOR, ["/match", "/users", "/datasets"], ["/ledger", "/agreements"]),
        (
            LocalRole.OFFICER,
            ["/match", "/users", "/ledger"],
            ["/followups", "/hit-notices", "/agreements"],
        ),
    ],
)
def test_each_role_reaches_its_pages_only(
    shared: ConsoleFederation,
    shared_client: TestClient,
    role: LocalRole,
    refused: list[str],
    allowed: list[str],
) -> None:
    login(shared_client, shared.tokens[role])
    for path in refused:
        assert shared_client.get(path).status_code in (403, 404), path
    for path in allowed:
        assert shared_client.get(path).status_code == 200, path


def test_a_page_without_a_session_leads_to_login_and_a_disabled_user_is_out(
    fed: ConsoleFederation, client: TestClient
) -> None:
    anonymous = client.get("/match", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/login")
    login(client, fed.tokens[LocalRole.INVESTIGATOR])
    assert client.get("/match").status_code == 200
    fed.services.users.disable("investigator@fr")
    out = client.get("/match", follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/login")


def test_the_openapi_document_describes_exactly_the_api_routes(shared_client: TestClient) -> None:
    reply = shared_client.get("/api/v1/openapi.json")
    assert reply.status_code == 200
    document = reply.json()
    assert document["openapi"].startswith("3.1")
    described = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    served = {
        (route.path, method)
        for route in (*api.ROUTES, *followup_api.ROUTES)
        for method in (route.methods or set()) - {"HEAD"}
        if route.path != "/api/v1/openapi.json"
    }
    assert described == served
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_an_operator_issues_a_credential_that_logs_in(
    shared: ConsoleFederation, shared_client: TestClient
) -> None:
    csrf = login(shared_client, shared.tokens[LocalRole.OPERATOR])
    reply = shared_client.post(
        "/users", data={"csrf": csrf, "name": "case-system", "role": "investigator"}
    )
    assert reply.status_code == 201
    token = re.search(r'id="issued-token">([^<]+)<', reply.text)
    assert token is not None
    listed = shared_client.get(
        "/api/v1/watches", headers={"authorization": f"Bearer {token.group(1)}"}
    )
    assert listed.status_code == 200
    assert listed.json() == {"watches": []}


def test_the_api_registers_lists_shows_and_ends_a_watch(
    shared: ConsoleFederation, shared_client: TestClient, tmp_path: Path
) -> None:
    headers = bearer(shared, LocalRole.INVESTIGATOR)
    rows = identities(shared, tmp_path)[:3]
    body = {**CASE, "case_id": "CASE-WATCH", "identities": rows, "until": "2099-01-01T00:00:00"}
    naive = shared_client.post("/api/v1/watches", json=body, headers=headers)
    assert naive.status_code == 400
    assert "zone" in naive.json()["message"]
    body["until"] = "2099-01-01T00:00:00+00:00"
    added = shared_client.post("/api/v1/watches", json=body, headers=headers)
    assert added.status_code == 201, added.text
    watch = added.json()
    assert (watch["case_id"], watch["owner"], watch["rows"]) == ("CASE-WATCH", "investigator@fr", 3)
    listed = shared_client.get("/api/v1/watches", headers=headers).json()["watches"]
    assert watch["watch_id"] in {w["watch_id"] for w in listed}
    shown = shared_client.get(f"/api/v1/watches/{watch['watch_id']}", headers=headers)
    assert shown.status_code == 200
    # An auditor sees it, but may not end it; its owner does.
    auditor = bearer(shared, LocalRole.AUDITOR)
    assert shared_client.get(f"/api/v1/watches/{watch['watch_id']}", headers=auditor).is_success
    refused = shared_client.delete(f"/api/v1/watches/{watch['watch_id']}", headers=auditor)
    assert refused.status_code == 403
    ended = shared_client.delete(f"/api/v1/watches/{watch['watch_id']}", headers=headers)
    assert ended.status_code == 200
    assert ended.json()["state"] != "live"
