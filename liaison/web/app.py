"""The console's ASGI application: routes, static files, headers and errors.

Built over the node's :class:`~liaison.node.server.LocalServices` (the same
domain objects the gRPC local face serves), so every action runs the domain
code of the CLI.
"""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from liaison.core.errors import LiaisonError, Unauthenticated
from liaison.node.server import LocalServices
from liaison.web import admin_pages, api, followup_api, followup_pages, ledger_report, pages
from liaison.web.context import STATIC, TEMPLATES, Console, console_of
from liaison.web.errors import http_status
from liaison.web.security import SecurityHeaders
from liaison.web.sessions import SessionStore


def build_app(services: LocalServices) -> Starlette:
    """The console and API over ``services``."""
    web = services.config.web
    minutes = web.session_minutes if web is not None else 30
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    templates = Jinja2Templates(env=environment)
    console = Console(services, SessionStore(minutes * 60.0), templates)
    app = Starlette(
        routes=[
            *pages.ROUTES,
            *ledger_report.ROUTES,
            *followup_pages.ROUTES,
            *admin_pages.ROUTES,
            *api.ROUTES,
            *followup_api.ROUTES,
            Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={LiaisonError: _liaison_error, HTTPException: _http_error},
    )
    app.state.console = console
    return app


async def _liaison_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, LiaisonError)
    status = http_status(error)
    if request.url.path.startswith("/api/"):
        body = {"error": type(error).__name__, "message": str(error)}
        headers = {"www-authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    if isinstance(error, Unauthenticated):
        return RedirectResponse("/login", status_code=303)
    return console_of(request).render(request, "error.html", status, message=str(error))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if request.url.path.startswith("/api/"):
        body = {"error": "HTTPError", "message": str(error.detail)}
        return JSONResponse(body, status_code=error.status_code)
    return console_of(request).render(
        request, "error.html", error.status_code, message=str(error.detail)
    )
