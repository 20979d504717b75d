"""The HTTP JSON API for agency systems: match, results, watches, notices, datasets.

Each call carries ``Authorization: Bearer <token>``, a system account's token
issued by ``liaison node user add`` (an investigator account to match, an
operator's to list datasets), checked per call with the same role table as
the console and the gRPC local face. No cookie is read, so no CSRF applies.
The OpenAPI description is ``GET /api/v1/openapi.json``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from liaison.core.errors import InvalidInput, NotFound, QuotaExceeded
from liaison.core.query import Justification
from liaison.core.records import KeyStrength
from liaison.node.local_actions import add_watch_as, match_as
from liaison.node.model import MatchRequest
from liaison.node.watches import Watch, WatchHit
from liaison.web.admin_pages import dataset_rows
from liaison.web.context import StoredResult, api_user, console_of
from liaison.web.openapi import openapi_document
from liaison.web.views import json_records, result_json, strength_words


async def read_json(request: Request) -> dict[str, Any]:
    """Read a JSON object body, bounded by the local face's request size.

    Raises:
        QuotaExceeded: a larger body.
        InvalidInput: not a JSON object.
    """
    limit = console_of(request).max_request_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise QuotaExceeded(f"a request holds at most {limit} bytes")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise QuotaExceeded(f"a request holds at most {limit} bytes")
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    """A string member of a body, stripped.

    Raises:
        InvalidInput: not a string, or blank when required.
    """
    value = body.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"{name} is required (a string)")
    return value.strip()


def _names(body: dict[str, Any], name: str) -> tuple[str, ...]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{name} must be a list of strings")
    if len(value) > 64:
        raise InvalidInput(f"{name}: at most 64")
    return tuple(value)


def _justification(body: dict[str, Any]) -> Justification:
    return Justification(
        text_field(body, "case_id"),
        text_field(body, "purpose"),
        text_field(body, "legal_basis"),
        "",
    )


async def post_match(request: Request) -> Response:
    """Run a federated match; answer its result (``state`` is ``done``)."""
    user = await api_user(request, "Match")
    console = console_of(request)
    services = console.services
    body = await read_json(request)
    records = json_records(body.get("identities"))
    strength = text_field(body, "min_strength", required=False)
    try:
        min_strength = KeyStrength(strength) if strength else None
    except ValueError:
        raise InvalidInput("min_strength must be fuzzy, strong or exact") from None
    asked = MatchRequest(
        justification=_justification(body),
        records=tuple(records),
        partners=_names(body, "partners"),
        datasets=_names(body, "datasets"),
        min_strength=min_strength,
        count_only=body.get("count_only") is True,
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
    refs = tuple(r.ref for r in records)
    why = asked.justification
    console.results.put(StoredResult(user.name, why.case_id, why.purpose, refs, result))
    return JSONResponse(result_json(result), status_code=201)


async def get_match(request: Request) -> Response:
    """A match's status and result, to the account that ran it."""
    user = await api_user(request, "Match")
    stored = console_of(request).results.get(user, request.path_params["query_id"])
    if stored is None:
        raise NotFound("no such match of this account (results are kept until a restart)")
    return JSONResponse(result_json(stored.result))


def watch_json(watch: Watch, hits: tuple[WatchHit, ...] | list[WatchHit] = ()) -> dict[str, Any]:
    """The API's JSON of a watch (without its rows) and its hits."""
    j = watch.justification
    return {
        "watch_id": watch.watch_id,
        "owner": watch.owner,
        "case_id": j.case_id,
        "purpose": j.purpose,
        "legal_basis": j.legal_basis,
        "partners": list(watch.partners),
        "state": watch.state.value,
        "created_at": watch.created_at.isoformat(),
        "until": watch.until.isoformat() if watch.until else None,
        "rows": watch.row_count,
        "runs": watch.runs,
        "hits": [
            {
                "agency": h.agency,
                "dataset": h.dataset,
                "row": h.row,
                "ref": h.ref,
                "keys": list(h.keys),
                "strength": h.strength.value,
                "strength_words": strength_words(h.strength.value),
                "found_at": h.found_at.isoformat(),
            }
            for h in hits
        ],
    }


async def list_watches(request: Request) -> Response:
    """The account's watches (every watch for an operator or auditor)."""
    user = await api_user(request, "ListWatches")
    found = await run_in_threadpool(console_of(request).services.watcher.visible, user)
    return JSONResponse({"watches": [watch_json(w) for w in found]})


async def post_watch(request: Request) -> Response:
    """Register a standing watch and run it once."""
    user = await api_user(request, "AddWatch")
    services = console_of(request).services
    body = await read_json(request)
    until_text = text_field(body, "until", required=False)
    try:
        until = datetime.fromisoformat(until_text) if until_text else None
    except ValueError:
        raise InvalidInput("until must be an ISO 8601 time with its zone") from None
    if until is not None and until.tzinfo is None:
        raise InvalidInput("until must carry its zone (for example 2027-01-31T00:00:00+00:00)")
    watch, hits = await run_in_threadpool(
        add_watch_as,
        user,
        _justification(body),
        json_records(body.get("identities")),
        services.watcher,
        partners=_names(body, "partners"),
        until=until,
        max_rows=services.config.local_max_rows,
    )
    return JSONResponse(watch_json(watch, hits), status_code=201)


async def get_watch(request: Request) -> Response:
    """One watch and its hits."""
    user = await api_user(request, "ShowWatch")
    watcher = console_of(request).services.watcher
    watch, hits = await run_in_threadpool(watcher.show, user, request.path_params["watch_id"])
    return JSONResponse(watch_json(watch, hits))


async def delete_watch(request: Request) -> Response:
    """End a watch (its owner or an operator)."""
    user = await api_user(request, "RemoveWatch")
    watcher = console_of(request).services.watcher
    watch = await run_in_threadpool(watcher.remove, user, request.path_params["watch_id"])
    return JSONResponse(watch_json(watch))


async def list_notices(request: Request) -> Response:
    """The account's notices, newest first (listing marks them read)."""
    user = await api_user(request, "ListNotices")
    unread = request.query_params.get("unread") == "true"
    inbox = console_of(request).services.inbox
    notices = await run_in_threadpool(lambda: inbox.read(user.name, unread_only=unread))
    return JSONResponse(
        {
            "notices": [
                {
                    "notice_id": n.notice_id,
                    "kind": n.kind,
                    "case_id": n.case_id,
                    "reference": n.reference,
                    "text": n.text,
                    "created_at": n.created_at.isoformat(),
                }
                for n in notices
            ]
        }
    )


async def list_datasets(request: Request) -> Response:
    """The node's datasets: size, version, key epoch, last import."""
    await api_user(request, "ListDatasets")
    rows = await run_in_threadpool(dataset_rows, console_of(request).services)
    return JSONResponse(
        {
            "datasets": [
                {
                    "name": info.name,
                    "records": info.records,
                    "keys": info.keys,
                    "version": info.version,
                    "updated_at": info.updated_at.isoformat(),
                    "key_epoch": epoch.epoch,
                    "key_epoch_started_at": epoch.started_at.isoformat(),
                }
                for info, epoch in rows
            ]
        }
    )


async def openapi(request: Request) -> Response:
    """The OpenAPI 3.1 description of this API (no credential needed to read it)."""
    return JSONResponse(openapi_document(console_of(request).services.config.agency))


ROUTES = [
    Route("/api/v1/openapi.json", openapi, methods=["GET"]),
    Route("/api/v1/match", post_match, methods=["POST"]),
    Route("/api/v1/matches/{query_id}", get_match, methods=["GET"]),
    Route("/api/v1/watches", list_watches, methods=["GET"]),
    Route("/api/v1/watches", post_watch, methods=["POST"]),
    Route("/api/v1/watches/{watch_id}", get_watch, methods=["GET"]),
    Route("/api/v1/watches/{watch_id}", delete_watch, methods=["DELETE"]),
    Route("/api/v1/notices", list_notices, methods=["GET"]),
    Route("/api/v1/datasets", list_datasets, methods=["GET"]),
]
