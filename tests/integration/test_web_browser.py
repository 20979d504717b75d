"""The console in a real browser: Debian's chromium driven by Playwright.

Switched on by ``LIAISON_TEST_BROWSER=1`` (``.ci/run`` sets it and installs
chromium when missing); skipped otherwise or without ``/usr/bin/chromium``.
Playwright never downloads a browser here: it launches that executable.
Each test saves a screenshot of the page it checked under
``test-artifacts/browser/`` (printed at the end of the run), and records
every request the page made: none may leave the node.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from liaison.core.records import KeyStrength
from liaison.node.ledger.chain import Direction
from liaison.node.users import LocalRole
from liaison.tools.demo_data import write_csv
from tests.conftest import BROWSER_ARTIFACTS, DbUrlFactory
from tests.integration.web_support import ConsoleFederation, console_federation

CHROMIUM = Path(os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = BROWSER_ARTIFACTS

pytestmark = pytest.mark.skipif(
    os.environ.get("LIAISON_TEST_BROWSER") != "1" or not CHROMIUM.exists(),
    reason="set LIAISON_TEST_BROWSER=1 (with chromium installed) to run the browser tests",
)


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


@pytest.fixture(scope="module")
def fed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleFederation]:
    base = tmp_path_factory.mktemp("browser")
    urls: DbUrlFactory = lambda name: f"sqlite:///{base / name}.db"  # noqa: E731
    with console_federation(base / "fed", urls) as running:
        yield running


class Visit:
    """A browser page on the console, with every request it made."""

    def __init__(self, browser: Browser, fed: ConsoleFederation) -> None:
        self.fed = fed
        # The test certificate is the node's, issued by the test federation's CA.
        self.context = browser.new_context(ignore_https_errors=True)
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", self._record)

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def login(self, role: LocalRole) -> Page:
        page = self.page
        page.goto(f"{self.fed.url}/login")
        page.fill("input[name=token]", self.fed.tokens[role])
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    def outside(self) -> list[str]:
        """Requests to anything but the console itself."""
        return [u for u in self.requests if not u.startswith(self.fed.url + "/")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, fed: ConsoleFederation) -> Iterator[Visit]:
    opened = Visit(browser, fed)
    try:
        yield opened
    finally:
        opened.close()


def test_an_investigator_runs_a_federated_match_and_reads_the_hits(
    visit: Visit, fed: ConsoleFederation, tmp_path: Path
) -> None:
    suspects = tmp_path / "suspects.csv"
    write_csv(suspects, fed.data.suspects)
    page = visit.login(LocalRole.INVESTIGATOR)
    assert page.url.endswith("/match")
    page.fill("input[name=case_id]", "CASE-B1")
    page.select_option("select[name=purpose]", "counter-terrorism")
    page.fill("input[name=legal_basis]", "art. 12 of the test act")
    page.set_input_files("input[name=file]", str(suspects))
    page.click("details summary")
    page.select_option("select[name=min_strength]", KeyStrength.EXACT.value)
    page.click("#match-form button[type=submit]")
    page.wait_for_selector("#hits")
    rows = page.locator("#hits tr").all_inner_texts()[1:]
    found = {(cells.split("\t")[2], int(cells.split("\t")[0])) for cells in rows}
    assert found == {(p.agency, p.suspect_row) for p in fed.data.planted}
    assert all("exact: an identifier" in row for row in rows)
    # Whom to contact: each partner's signed contact point for the dataset.
    assert all(f"{row.split(chr(9))[2]} CT liaison desk" in row for row in rows)
    statuses = page.locator("#partners tr").all_inner_texts()[1:]
    assert statuses and all("\tok\t" in s for s in statuses)
    visit.shot("investigator-match-result")
    assert visit.outside() == []
    query_id = page.inner_text("#query-id")
    sent = {e.query_id for e in fed.services.ledger.all() if e.direction is Direction.SENT}
    assert query_id in sent


def test_an_investigator_cannot_reach_officer_operator_or_auditor_pages(visit: Visit) -> None:
    page = visit.login(LocalRole.INVESTIGATOR)
    for path in ("/datasets", "/users", "/status", "/ledger"):
        reply = page.goto(f"{visit.fed.url}{path}")
        assert reply is not None and reply.status == 403, path
        assert "may not call" in page.inner_text("main")
    visit.shot("investigator-refused-operator-page")
    assert visit.outside() == []


def test_a_form_without_its_csrf_token_is_refused(visit: Visit, fed: ConsoleFederation) -> None:
    before = len(fed.services.ledger.all())
    page = visit.login(LocalRole.INVESTIGATOR)
    page.fill("input[name=case_id]", "CASE-B2")
    page.fill("input[name=legal_basis]", "art. 12")
    page.fill("textarea[name=rows]", "ref,full_name,date_of_birth\ns1,Jan Jansen,1980-01-31")
    # What a forged cross-site form would lack: the session's token.
    page.evaluate("document.querySelector('#match-form input[name=csrf]').remove()")
    with page.expect_navigation() as navigation:
        page.click("#match-form button[type=submit]")
    reply = navigation.value
    assert reply is not None and reply.status == 403
    assert "CSRF" in page.inner_text("main")
    assert len(fed.services.ledger.all()) == before
    visit.shot("csrf-refused")


def test_an_operator_imports_with_progress_and_sees_the_datasets(
    visit: Visit, fed: ConsoleFederation, tmp_path: Path
) -> None:
    rows = tmp_path / "extra.csv"
    write_csv(rows, fed.data.datasets["NL"][:40])
    page = visit.login(LocalRole.OPERATOR)
    assert page.url.endswith("/datasets")
    page.fill("input[name=dataset]", "extra")
    page.set_input_files("input[name=file]", str(rows))
    page.click("form[action='/datasets/import'] button[type=submit]")
    page.wait_for_selector("#summary", timeout=30_000)
    assert "40 inserted" in page.inner_text("#summary")
    page.goto(f"{visit.fed.url}/datasets")
    table = page.inner_text("#datasets")
    assert "extra\t40" in table and "watchlist" in table
    visit.shot("operator-datasets")
    page.goto(f"{visit.fed.url}/status")
    assert page.inner_text("#broker-state") == "reachable"
    visit.shot("operator-status")
    assert visit.outside() == []


def test_an_auditor_reads_the_ledger_filtered_by_case(visit: Visit, fed: ConsoleFederation) -> None:
    page = visit.login(LocalRole.AUDITOR)
    assert page.url.endswith("/ledger")
    page.fill("#ledger-filter input[name=case]", "CASE-B1")
    page.click("#ledger-filter button[type=submit]")
    page.wait_for_load_state()
    entries = page.locator("#ledger tr").all_inner_texts()[1:]
    expected = [e for e in fed.services.ledger.all() if e.case_id == "CASE-B1"]
    assert len(entries) == len(expected)
    assert all("CASE-B1" in e and "investigator@fr" in e for e in entries)
    visit.shot("auditor-ledger")
    # The report's figure for the case links to exactly its entries.
    page.goto(f"{visit.fed.url}/ledger/report")
    figure = page.locator("table.figures tr", has_text="CASE-B1").locator("a")
    assert figure.inner_text() == str(len(expected))
    visit.shot("auditor-report")
    figure.click()
    page.wait_for_load_state()
    assert page.inner_text("#ledger-count") == str(len(expected))
    assert visit.outside() == []


def test_an_investigator_watches_a_case_and_ends_the_watch(
    visit: Visit, fed: ConsoleFederation, tmp_path: Path
) -> None:
    suspects = tmp_path / "watch.csv"
    write_csv(suspects, fed.data.suspects[:3])
    page = visit.login(LocalRole.INVESTIGATOR)
    page.goto(f"{visit.fed.url}/watches")
    form = page.locator("form[action='/watches'][method=post]")
    form.locator("input[name=case_id]").fill("CASE-B3")
    form.locator("input[name=legal_basis]").fill("art. 12")
    form.locator("input[name=file]").set_input_files(str(suspects))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#watch-hits")
    assert "CASE-B3" in page.inner_text("main")
    visit.shot("investigator-watch")
    page.goto(f"{visit.fed.url}/watches?case=CASE-B3")
    rows = page.locator("#watches tr").all_inner_texts()[1:]
    assert len(rows) == 1 and "\tlive\t" in rows[0]
    page.locator("#watches a").first.click()
    page.click("form[action$='/remove'] button")
    page.wait_for_load_state()
    page.goto(f"{visit.fed.url}/watches?case=CASE-B3")
    assert "\tlive\t" not in page.locator("#watches tr").all_inner_texts()[1]
    assert visit.outside() == []
