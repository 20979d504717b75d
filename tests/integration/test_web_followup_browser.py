"""A whole case in the browser: match at FR, follow-up, NL's officer approves, the reply, the audit.

Two consoles of a real federation (FR's and NL's, each over its own node's
services), Debian's chromium driven by Playwright; switched on like the
other browser tests (``LIAISON_TEST_BROWSER=1``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from liaison.core.records import Record, RecordField
from liaison.node.users import LocalRole
from liaison.web.server import WebConsole
from tests.conftest import BROWSER_ARTIFACTS
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_web_browser import CHROMIUM, pytestmark  # noqa: F401
from tests.integration.web_support import web_services

SOURCE = "HUMINT-77"
OWNED = Record(
    ref="NL-0042",
    full_name="Karim Benali",
    date_of_birth="1988-02-03",
    nationality="FR",
    document_numbers=("X7741203",),
    document_countries=("FR",),
    details=(
        RecordField("release.status", "active, travel ban"),
        RecordField("source.informant", SOURCE),
    ),
)
TYPED = (
    "ref,full_name,date_of_birth,nationality,document_number\n"
    "S-1,Karim Benali,1988-02-03,FR,X7741203\n"
)


@dataclass
class Case:
    running: RunningFederation
    urls: dict[str, str]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    base = tmp_path_factory.mktemp("case")
    running = start_federation(
        base / "fed", {a: f"sqlite:///{base / a}.db" for a in ("FR", "NL")}, agencies=("FR", "NL")
    )
    consoles: list[WebConsole] = []
    try:
        running.import_rows("NL", "watchlist", [OWNED])
        running.wait_published()
        tokens = {
            "investigator": running.tokens["FR"],
            "auditor": running.add_user("FR", "auditor@fr", LocalRole.AUDITOR),
            "officer": running.add_user("NL", "officer@nl", LocalRole.OFFICER),
        }
        urls = {}
        for agency in ("FR", "NL"):
            console = WebConsole(web_services(running, agency))
            consoles.append(console)
            urls[agency] = f"https://{console.start()}"
        yield Case(running, urls, tokens)
    finally:
        for console in consoles:
            console.close()
        running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


def open_as(browser: Browser, url: str, token: str, seen: list[str]) -> tuple[BrowserContext, Page]:
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{url}/login")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def shot(page: Page, name: str) -> None:
    BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(BROWSER_ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_whole_case_match_follow_up_approval_reply_and_audit(
    browser: Browser, case: Case
) -> None:
    seen: list[str] = []
    fr, investigator = open_as(browser, case.urls["FR"], case.tokens["investigator"], seen)
    investigator.fill("input[name=case_id]", "CASE-F1")
    investigator.fill("input[name=legal_basis]", "art. 12 of the test act")
    investigator.fill("textarea[name=rows]", TYPED)
    investigator.click("#match-form button[type=submit]")
    investigator.wait_for_selector("#hits")
    hit = investigator.locator("#hits tr", has_text="NL-0042").or_(
        investigator.locator("#hits tr", has_text="S-1")
    )
    assert "NL CT liaison desk" in hit.first.inner_text()
    hit.first.locator("input[name=message]").fill("Is he still on your list?")
    hit.first.locator("button", has_text="Request follow-up").click()
    investigator.wait_for_selector("#state")
    assert investigator.inner_text("#state") == "queued"
    followup_url = investigator.url.removeprefix(case.urls["FR"])
    shot(investigator, "case-1-follow-up-requested")

    nl, officer = open_as(browser, case.urls["NL"], case.tokens["officer"], seen)
    assert officer.url.endswith("/followups")
    queue = officer.locator("#followups tr").all_inner_texts()[1:]
    assert len(queue) == 1 and "FR" in queue[0] and "queued" in queue[0]
    shot(officer, "case-2-officer-queue")
    officer.locator("#followups a").first.click()
    officer.wait_for_selector("#approve-form")
    # A source field is marked and offers no checkbox; the others can be chosen.
    assert "never releasable" in officer.locator("tr", has_text="source.informant").inner_text()
    assert officer.locator("input[name=field][value='source.informant']").count() == 0
    officer.check("input[name=field][value=full_name]")
    officer.check("input[name=field][value='release.status']")
    officer.select_option("select[name=handling]", "H2")
    shot(officer, "case-3-officer-review")
    officer.click("#approve-form button[type=submit]")
    officer.wait_for_load_state()
    assert officer.inner_text("#state") == "approved"

    investigator.goto(f"{case.urls['FR']}{followup_url}")
    assert investigator.inner_text("#state") == "approved"
    assert investigator.inner_text("#handling").startswith("H2")
    released = investigator.locator("table.released").inner_text()
    assert "Karim Benali" in released and "active, travel ban" in released
    assert SOURCE not in investigator.content()
    shot(investigator, "case-4-reply")
    investigator.goto(f"{case.urls['FR']}/inbox")
    (reply,) = investigator.locator("#replies tr").all_inner_texts()[1:]
    assert "NL" in reply and "approved" in reply and "H2" in reply

    audit, auditor = open_as(browser, case.urls["FR"], case.tokens["auditor"], seen)
    auditor.goto(f"{case.urls['FR']}/ledger?case=CASE-F1")
    entries = auditor.locator("#ledger tr").all_inner_texts()[1:]
    directions = {e.split("\t")[2] for e in entries}
    assert "sent" in directions and len(directions) > 1  # the follow-up's own entries too
    shot(auditor, "case-5-audit")
    for context in (fr, nl, audit):
        context.close()
    assert [
        u for u in seen if not u.startswith((case.urls["FR"] + "/", case.urls["NL"] + "/"))
    ] == []
