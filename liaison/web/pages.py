"""The console's pages for everyone (login) and for investigators (match, watches, inbox)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from liaison.core.errors import InvalidInput, LiaisonError, NotFound, Unauthenticated
from liaison.core.records import KeyStrength
from liaison.node.followup_model import Side
from liaison.node.local_actions import add_watch_as, match_as
from liaison.node.model import MatchRequest
from liaison.node.users import LocalRole
from liaison.web.context import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    StoredResult,
    console_of,
    form_text,
    page_user,
    posted_form,
    read_form,
)
from liaison.web.errors import http_status
from liaison.web.sessions import same_token
from liaison.web.views import form_records, hit_rows, justification, strength_words

#: Where each role lands after login.
HOME = {
    LocalRole.INVESTIGATOR: "/match",
    LocalRole.OFFICER: "/followups",
    LocalRole.OPERATOR: "/datasets",
    LocalRole.AUDITOR: "/ledger",
}
_COOKIE = {"httponly": True, "secure": True, "samesite": "strict", "path": "/"}


async def login_form(request: Request) -> Response:
    """The login page, with a fresh login CSRF token (cookie and field agree)."""
    token = secrets.token_urlsafe(32)
    response = console_of(request).render(request, "login.html", csrf=token, error="")
    response.set_cookie(LOGIN_COOKIE, token, max_age=600, **_COOKIE)  # type: ignore[arg-type]
    return response


async def login(request: Request) -> Response:
    """Check the credential once; open a session (its cookie holds no credential)."""
    console = console_of(request)
    form = await read_form(request)
    if not same_token(form_text(form, "csrf"), request.cookies.get(LOGIN_COOKIE, "")):
        return console.render(
            request, "login.html", 403, csrf="", error="the login form expired; reload the page"
        )
    try:
        user = await run_in_threadpool(
            console.services.users.authenticate, form_text(form, "token")
        )
    except Unauthenticated as error:
        token = secrets.token_urlsafe(32)
        response = console.render(request, "login.html", 401, csrf=token, error=str(error))
        response.set_cookie(LOGIN_COOKIE, token, max_age=600, **_COOKIE)  # type: ignore[arg-type]
        return response
    session = console.sessions.open(user.name)
    response = RedirectResponse(HOME[user.role], status_code=303)
    response.set_cookie(SESSION_COOKIE, session.session_id, **_COOKIE)  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def logout(request: Request) -> Response:
    """End the session."""
    await posted_form(request, "ListNotices")
    console_of(request).sessions.close(request.state.session.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def home(request: Request) -> Response:
    """Send a person to their role's first page."""
    user = await page_user(request, "ListNotices")
    return RedirectResponse(HOME[user.role], status_code=303)


async def match_form(request: Request) -> Response:
    """The new-match form: rows by file or typed, case, purpose, legal basis."""
    user = await page_user(request, "Match")
    console = console_of(request)
    return console.render(
        request,
        "match.html",
        purposes=console.purposes,
        strengths=[s.value for s in KeyStrength],
        recent=console.results.of(user)[:10],
        error="",
        form={},
    )


async def match(request: Request) -> Response:
    """Run a federated match as the logged-in investigator; show its result."""
    user, form = await posted_form(request, "Match")
    console = console_of(request)
    services = console.services
    try:
        why = justification(form)
        records = form_records(form)
        strength = form_text(form, "min_strength")
        asked = MatchRequest(
            justification=why,
            records=tuple(records),
            partners=_split(form_text(form, "partners")),
            datasets=_split(form_text(form, "datasets")),
            min_strength=KeyStrength(strength) if strength else None,
            count_only=form_text(form, "count_only") == "on",
        )
        result = await run_in_threadpool(
            match_as,
            user,
            asked,
            services.requester,
            services.followups,
            services.directory,
            max_rows=services.config.local_max_rows,
            now=services.clock(),
        )
    except (LiaisonError, ValueError) as error:
        status = http_status(error) if isinstance(error, LiaisonError) else 400
        return console.render(
            request,
            "match.html",
            status,
            purposes=console.purposes,
            strengths=[s.value for s in KeyStrength],
            recent=console.results.of(user)[:10],
            error=str(error),
            form={k: form_text(form, k) for k in ("case_id", "purpose", "legal_basis", "rows")},
        )
    refs = tuple(r.ref for r in records)
    console.results.put(StoredResult(user.name, why.case_id, why.purpose, refs, result))
    return RedirectResponse(f"/match/{result.query_id}", status_code=303)


async def match_result(request: Request) -> Response:
    """A match result: per row, partner, dataset, strength in words, whom to contact."""
    user = await page_user(request, "Match")
    console = console_of(request)
    stored = console.results.get(user, request.path_params["query_id"])
    if stored is None:
        raise NotFound("no such match of yours (results are kept until the node restarts)")
    return console.render(
        request,
        "result.html",
        stored=stored,
        hits=hit_rows(stored.result, stored.refs),
        words=strength_words,
    )


async def watches(request: Request) -> Response:
    """The caller's standing watches, optionally of one case; a form to add one."""
    user = await page_user(request, "ListWatches")
    console = console_of(request)
    case = request.query_params.get("case", "").strip()
    found = await run_in_threadpool(console.services.watcher.visible, user)
    if case:
        found = [w for w in found if w.justification.case_id == case]
    return console.render(
        request,
        "watches.html",
        watches=found,
        case=case,
        purposes=console.purposes,
        error="",
    )


async def add_watch(request: Request) -> Response:
    """Register a standing watch from the form and run it once."""
    user, form = await posted_form(request, "AddWatch")
    console = console_of(request)
    services = console.services
    until_text = form_text(form, "until")
    try:
        until = datetime.fromisoformat(until_text).replace(tzinfo=UTC) if until_text else None
        watch, _ = await run_in_threadpool(
            add_watch_as,
            user,
            justification(form),
            form_records(form),
            services.watcher,
            partners=_split(form_text(form, "partners")),
            until=until,
            max_rows=services.config.local_max_rows,
        )
    except (LiaisonError, ValueError) as error:
        found = await run_in_threadpool(services.watcher.visible, user)
        status = http_status(error) if isinstance(error, LiaisonError) else 400
        return console.render(
            request,
            "watches.html",
            status,
            watches=found,
            case="",
            purposes=console.purposes,
            error=str(error),
        )
    return RedirectResponse(f"/watches/{watch.watch_id}", status_code=303)


async def show_watch(request: Request) -> Response:
    """One watch and the hits it reported."""
    user = await page_user(request, "ShowWatch")
    console = console_of(request)
    watch, hits = await run_in_threadpool(
        console.services.watcher.show, user, request.path_params["watch_id"]
    )
    return console.render(request, "watch.html", watch=watch, hits=hits, words=strength_words)


async def remove_watch(request: Request) -> Response:
    """End a watch (its owner or an operator)."""
    user, _ = await posted_form(request, "RemoveWatch")
    watcher = console_of(request).services.watcher
    await run_in_threadpool(watcher.remove, user, request.path_params["watch_id"])
    return RedirectResponse("/watches", status_code=303)


async def inbox(request: Request) -> Response:
    """The caller's notices (watch hits, follow-up replies), newest first; marks them read."""
    user = await page_user(request, "ListNotices")
    console = console_of(request)
    notices = await run_in_threadpool(console.services.inbox.read, user.name)
    replies = [
        f
        for f in await run_in_threadpool(console.services.followups.box, Side.SENT)
        if f.investigator == user.name and f.answered_at is not None
    ]
    return console.render(request, "inbox.html", notices=notices, replies=replies)


def _split(value: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    if len(parts) > 64:
        raise InvalidInput("at most 64 partners or datasets")
    return parts


ROUTES = [
    Route("/", home),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/match", match_form, methods=["GET"]),
    Route("/match", match, methods=["POST"]),
    Route("/match/{query_id}", match_result, methods=["GET"]),
    Route("/watches", watches, methods=["GET"]),
    Route("/watches", add_watch, methods=["POST"]),
    Route("/watches/{watch_id}", show_watch, methods=["GET"]),
    Route("/watches/{watch_id}/remove", remove_watch, methods=["POST"]),
    Route("/inbox", inbox, methods=["GET"]),
]
