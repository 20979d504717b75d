"""What every console route shares: the node's services, sessions, templates, and who asks.

Pages authenticate with the session cookie and check the CSRF token of every
form; the API authenticates with the bearer token of a system account. Both
then check the role against :data:`liaison.node.users.PERMISSIONS`, the one
table the gRPC local face uses too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from liaison.core.errors import InvalidInput, PermissionDenied, QuotaExceeded, Unauthenticated
from liaison.node.model import MatchResult
from liaison.node.server import LocalServices
from liaison.node.users import LocalRole, User, authorise
from liaison.web.sessions import Session, SessionStore, same_token

SESSION_COOKIE: Final = "liaison_session"
LOGIN_COOKIE: Final = "liaison_login"
TEMPLATES: Final = Path(__file__).parent / "templates"
STATIC: Final = Path(__file__).parent / "static"
#: Match results kept for their pages and the API (the ledger keeps the record).
MAX_RESULTS: Final = 500


@dataclass(frozen=True, slots=True)
class StoredResult:
    """A match result, whose it is, and the row references it was asked with."""

    owner: str
    case_id: str
    purpose: str
    refs: tuple[str, ...]
    result: MatchResult


@dataclass
class Results:
    """The latest match results by query id, bounded; each readable by its owner only."""

    limit: int = MAX_RESULTS
    _items: OrderedDict[str, StoredResult] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, stored: StoredResult) -> None:
        """Keep a result, dropping the oldest past the limit."""
        with self._lock:
            self._items[stored.result.query_id] = stored
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def get(self, user: User, query_id: str) -> StoredResult | None:
        """The result of ``query_id`` if ``user`` asked it."""
        with self._lock:
            stored = self._items.get(query_id)
        return stored if stored is not None and stored.owner == user.name else None

    def of(self, user: User) -> list[StoredResult]:
        """The user's kept results, newest first."""
        with self._lock:
            mine = [s for s in self._items.values() if s.owner == user.name]
        return mine[::-1]


@dataclass
class Console:
    """The node's services and the console's own state."""

    services: LocalServices
    sessions: SessionStore
    templates: Jinja2Templates
    results: Results = field(default_factory=Results)
    #: Whatever other parts keep (import jobs), by name.
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def purposes(self) -> tuple[str, ...]:
        """The federation's purposes, as ``[web] purposes`` lists them."""
        web = self.services.config.web
        return web.purposes if web is not None else ()

    @property
    def max_request_bytes(self) -> int:
        """The largest request body accepted (the local face's bound)."""
        return self.services.config.local_max_request_bytes

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        """Render a template with the page's user, session and values."""
        values.setdefault("user", request.state.user if hasattr(request.state, "user") else None)
        values.setdefault(
            "csrf", request.state.session.csrf if hasattr(request.state, "session") else ""
        )
        values.setdefault("agency", self.services.config.agency)
        values.setdefault("roles", LocalRole)
        return self.templates.TemplateResponse(request, name, values, status_code=status)


def console_of(request: Request) -> Console:
    """The console serving ``request``."""
    console: Console = request.app.state.console
    return console


async def page_user(request: Request, operation: str) -> User:
    """Authenticate a page request by its session and authorise ``operation``.

    Raises:
        Unauthenticated: no live session, or its user was disabled or removed.
        PermissionDenied: the role may not run ``operation``.
    """
    console = console_of(request)
    session = console.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise Unauthenticated("please log in")
    user = await run_in_threadpool(console.services.users.current, session.user)
    request.state.user = user
    request.state.session = session
    return authorise(user, operation)


async def posted_form(request: Request, operation: str) -> tuple[User, Form]:
    """Authenticate, authorise and read a form, refusing it without its CSRF token.

    Raises:
        Unauthenticated, PermissionDenied: see :func:`page_user`.
        PermissionDenied: the CSRF token is missing or wrong.
        QuotaExceeded: the body is larger than the local face accepts.
    """
    user = await page_user(request, operation)
    form = await read_form(request)
    session: Session = request.state.session
    if not same_token(form.get("csrf"), session.csrf):
        raise PermissionDenied("the form's CSRF token is missing or wrong; reload the page")
    return user, form


@dataclass(frozen=True, slots=True)
class Form:
    """A form read whole: text fields and uploaded files (name, bytes), temp files closed."""

    fields: dict[str, list[str]]
    files: dict[str, tuple[str, bytes]]

    def get(self, name: str) -> str | None:
        """A text field (its first value), or None."""
        values = self.fields.get(name)
        return values[0] if values else None

    def getlist(self, name: str) -> list[str]:
        """Every value of a field (checkboxes), in form order."""
        return list(self.fields.get(name, ()))


async def read_form(request: Request) -> Form:
    """Read a form body, bounded by the local face's request size.

    Raises:
        QuotaExceeded: a larger body.
    """
    limit = console_of(request).max_request_bytes
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise InvalidInput("a form needs its Content-Length")
    if int(declared) > limit:
        raise QuotaExceeded(f"a request holds at most {limit} bytes")
    async with request.form(max_files=1, max_fields=64, max_part_size=limit) as parsed:
        return await _read_whole(parsed, limit)


async def _read_whole(parsed: FormData, limit: int) -> Form:
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for name, value in parsed.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
        elif value.filename:
            data = await value.read(limit + 1)
            if len(data) > limit:
                raise QuotaExceeded(f"a file holds at most {limit} bytes")
            files.setdefault(name, (value.filename, data))
    return Form(fields, files)


async def api_user(request: Request, operation: str) -> User:
    """Authenticate an API call by its bearer token (a system account) and authorise it.

    Raises:
        Unauthenticated: no token, or not a valid one.
        PermissionDenied: the role may not run ``operation``.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthenticated("an 'Authorization: Bearer <token>' header is required")
    users = console_of(request).services.users
    return await run_in_threadpool(users.admit, operation, token.strip())


def form_text(form: Form, name: str) -> str:
    """A text field of a form, stripped ('' when absent or a file)."""
    value = form.get(name)
    return value.strip() if value is not None else ""
