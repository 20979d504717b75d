"""The console's pages for operators (datasets, imports, agreements, users, status) and
auditors (the node's ledger, filtered)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from liaison.core.errors import InvalidInput, LiaisonError, NotFound
from liaison.node.ledger.chain import LedgerEntry
from liaison.node.server import LocalServices
from liaison.node.store import DatasetInfo, ImportSummary, KeyEpoch
from liaison.node.users import LocalRole
from liaison.web.context import console_of, form_text, page_user, posted_form
from liaison.web.views import form_records

#: Most ledger entries one page shows (newest first).
LEDGER_PAGE = 500


@dataclass
class ImportJob:
    """An import running in the background, and how far it got."""

    job_id: str
    dataset: str
    total: int
    done: int = 0
    summary: ImportSummary | None = None
    error: str = ""
    finished: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def dataset_rows(services: LocalServices) -> list[tuple[DatasetInfo, KeyEpoch]]:
    """Each dataset with its current key epoch (as ``liaison node datasets`` lists them)."""
    infos = services.datasets.list()
    return [(i, services.datasets.key_epochs(i.name)[-1]) for i in infos]


async def datasets(request: Request) -> Response:
    """Datasets: size, key epoch, filter version, last import; an import form."""
    await page_user(request, "ImportDataset")
    console = console_of(request)
    rows = await run_in_threadpool(dataset_rows, console.services)
    jobs: dict[str, ImportJob] = console.state.setdefault("imports", {})
    return console.render(request, "datasets.html", rows=rows, jobs=list(jobs.values())[-5:])


async def start_import(request: Request) -> Response:
    """Import an uploaded file into a dataset in the background; show its progress."""
    _, form = await posted_form(request, "ImportDataset")
    console = console_of(request)
    name = form_text(form, "dataset")
    if not name:
        raise InvalidInput("dataset is required")
    records = form_records(form)
    job = ImportJob(secrets.token_urlsafe(12), name, len(records))
    jobs: dict[str, ImportJob] = console.state.setdefault("imports", {})
    jobs[job.job_id] = job
    replace = form_text(form, "replace") == "on"

    def progress(done: int) -> None:
        with job.lock:
            job.done = done

    def run() -> None:
        try:
            summary = console.services.datasets.import_records(
                name, records, replace=replace, progress=progress
            )
            with job.lock:
                job.summary, job.done = summary, job.total
        except LiaisonError as error:
            job.error = str(error)
        finally:
            job.finished = True

    threading.Thread(target=run, name=f"import-{name}", daemon=True).start()
    return RedirectResponse(f"/imports/{job.job_id}", status_code=303)


async def import_progress(request: Request) -> Response:
    """An import's progress; the page reloads itself (no script) until it is done."""
    await page_user(request, "ImportDataset")
    console = console_of(request)
    job = console.state.get("imports", {}).get(request.path_params["job_id"])
    if job is None:
        raise NotFound("no such import")
    return console.render(request, "import.html", job=job)


async def agreements(request: Request) -> Response:
    """The partners' agreements and today's use of each."""
    await page_user(request, "ListAgreements")
    console = console_of(request)
    services = console.services
    listed = await run_in_threadpool(services.agreements.list)
    now = services.clock()
    usage = [await run_in_threadpool(services.agreements.usage, a.partner, now=now) for a in listed]
    return console.render(
        request, "agreements.html", agreements=list(zip(listed, usage, strict=True))
    )


async def users(request: Request, issued: str = "", status: int = 200) -> Response:
    """The node's users and their roles; a form to issue a credential."""
    await page_user(request, "ListUsers")
    console = console_of(request)
    listed = await run_in_threadpool(console.services.users.list)
    return console.render(
        request, "users.html", status, users=listed, issued=issued, role_names=list(LocalRole)
    )


async def add_user(request: Request) -> Response:
    """Issue a user and show its token once (as ``liaison node user add``)."""
    _, form = await posted_form(request, "AddUser")
    try:
        role = LocalRole(form_text(form, "role"))
    except ValueError:
        raise InvalidInput("role must be investigator, officer, operator or auditor") from None
    issued = await run_in_threadpool(
        console_of(request).services.users.add, form_text(form, "name"), role
    )
    return await users(request, issued=issued.token, status=201)


async def disable_user(request: Request) -> Response:
    """Refuse a user's token and sessions from the next request on."""
    await posted_form(request, "DisableUser")
    await run_in_threadpool(console_of(request).services.users.disable, request.path_params["name"])
    return RedirectResponse("/users", status_code=303)


async def status(request: Request) -> Response:
    """Node status and health: addresses, datasets, the broker and the federation."""
    await page_user(request, "NodeStatus")
    console = console_of(request)
    services = console.services
    try:
        participants = await run_in_threadpool(services.broker.participants)
        broker = "reachable"
    except LiaisonError as error:
        participants, broker = [], f"not reachable: {error}"
    rows = await run_in_threadpool(dataset_rows, services)
    return console.render(
        request,
        "status.html",
        config=services.config,
        broker=broker,
        participants=participants,
        rows=rows,
    )


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """The auditor's filters; blank means any."""

    case: str = ""
    investigator: str = ""
    partner: str = ""
    start: datetime | None = None
    end: datetime | None = None
    direction: str = ""

    def keeps(self, entry: LedgerEntry) -> bool:
        """Whether an entry passes every filter."""
        return (
            (not self.direction or entry.direction.value == self.direction)
            and (not self.case or entry.case_id == self.case)
            and (not self.investigator or entry.investigator_id == self.investigator)
            and (not self.partner or self.partner in entry.counterpart.split(","))
            and (self.start is None or entry.time >= self.start)
            and (self.end is None or entry.time < self.end)
        )


def ledger_filter(params: dict[str, str]) -> LedgerFilter:
    """Read the filters of a query string (``from``/``to`` as days, ``to`` inclusive).

    Raises:
        InvalidInput: a day that is not YYYY-MM-DD.
    """
    try:
        start = _day(params.get("from", ""))
        end = _day(params.get("to", ""))
    except ValueError:
        raise InvalidInput("from and to are days: YYYY-MM-DD") from None
    return LedgerFilter(
        params.get("case", "").strip(),
        params.get("investigator", "").strip(),
        params.get("partner", "").strip(),
        start,
        None if end is None else end + timedelta(days=1),
        params.get("direction", "").strip(),
    )


def _day(text: str) -> datetime | None:
    text = text.strip()
    return datetime.combine(datetime.fromisoformat(text).date(), time(), UTC) if text else None


async def ledger(request: Request) -> Response:
    """The node's ledger, filtered by case, investigator, partner and period."""
    await page_user(request, "ReadLedger")
    console = console_of(request)
    chosen = ledger_filter(dict(request.query_params))
    entries = await run_in_threadpool(console.services.ledger.all)
    kept = [e for e in entries if chosen.keeps(e)]
    return console.render(
        request,
        "ledger.html",
        entries=kept[::-1][:LEDGER_PAGE],
        total=len(kept),
        chosen=chosen,
        params=dict(request.query_params),
    )


ROUTES = [
    Route("/datasets", datasets, methods=["GET"]),
    Route("/datasets/import", start_import, methods=["POST"]),
    Route("/imports/{job_id}", import_progress, methods=["GET"]),
    Route("/agreements", agreements, methods=["GET"]),
    Route("/users", users, methods=["GET"]),
    Route("/users", add_user, methods=["POST"]),
    Route("/users/{name}/disable", disable_user, methods=["POST"]),
    Route("/status", status, methods=["GET"]),
    Route("/ledger", ledger, methods=["GET"]),
]
