"""The HTTP JSON API's follow-ups: ask about a hit (investigator), list, show, answer (officer).

The same domain calls as the console's pages and the gRPC local face
(:class:`liaison.node.followups.Followups`); which box an account reads is
:func:`liaison.node.followups.box_for`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from liaison.core.errors import InvalidInput, NotFound
from liaison.node.followup_model import Followup, ReleasedRecord, parse_deadline
from liaison.node.followups import box_for
from liaison.web.api import read_json, text_field
from liaison.web.context import api_user, console_of


def _records(records: tuple[ReleasedRecord, ...]) -> list[dict[str, Any]]:
    return [
        {
            "dataset": r.dataset,
            "ref": r.ref,
            "fields": [
                {"name": f.name, "value": f.value, "never_releasable": f.source} for f in r.fields
            ],
        }
        for r in records
    ]


def followup_json(
    f: Followup, now: datetime, records: tuple[ReleasedRecord, ...] = ()
) -> dict[str, Any]:
    """The API's JSON of a follow-up (the officer's view adds the matched records)."""
    document: dict[str, Any] = {
        "id": f.id,
        "side": f.side.value,
        "query_id": f.query_id,
        "partner": f.partner,
        "dataset": f.dataset,
        "row": f.row,
        "case_id": f.case_id,
        "investigator": f.investigator,
        "message": f.message,
        "created_at": f.created_at.isoformat(),
        "deadline": f.deadline.isoformat(),
        "overdue": f.overdue(now),
        "state": f.state.value,
        "officer": f.officer,
        "handling": f.handling,
        "note": f.note,
        "reason": f.reason,
        "released": _records(f.released),
    }
    if records:
        document["matched_records"] = _records(records)
    return document


async def post_followup(request: Request) -> Response:
    """Ask the partner about one hit row of the account's match."""
    user = await api_user(request, "RequestFollowup")
    services = console_of(request).services
    body = await read_json(request)
    row = body.get("row")
    if type(row) is not int or row < 0:
        raise InvalidInput("row must be a non-negative integer")
    deadline = text_field(body, "deadline", required=False)
    followup = await run_in_threadpool(
        services.followups.request,
        user.name,
        text_field(body, "query_id"),
        text_field(body, "partner"),
        text_field(body, "dataset", required=False),
        row,
        text_field(body, "message"),
        parse_deadline(deadline) if deadline else None,
    )
    return JSONResponse(followup_json(followup, services.clock()), status_code=201)


async def list_followups(request: Request) -> Response:
    """The account's box: received (officer) or sent (investigator), newest first."""
    user = await api_user(request, "ListFollowups")
    services = console_of(request).services
    listed = await run_in_threadpool(services.followups.box, box_for(user))
    now = services.clock()
    return JSONResponse({"followups": [followup_json(f, now) for f in listed]})


async def get_followup(request: Request) -> Response:
    """One follow-up of the account's box."""
    user = await api_user(request, "ShowFollowup")
    services = console_of(request).services
    followup, records = await run_in_threadpool(
        services.followups.show, request.path_params["followup_id"]
    )
    if followup.side is not box_for(user):
        raise NotFound("no such follow-up")
    return JSONResponse(followup_json(followup, services.clock(), records))


async def answer_followup(request: Request) -> Response:
    """Approve (``fields``, ``handling``, ``note``) or refuse (``reason``) a received follow-up."""
    user = await api_user(request, "AnswerFollowup")
    services = console_of(request).services
    body = await read_json(request)
    decision = text_field(body, "decision")
    if decision not in ("approve", "refuse"):
        raise InvalidInput("decision must be approve or refuse")
    fields = body.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise InvalidInput("fields must be a list of strings")
    followup_id = request.path_params["followup_id"]
    answered = await run_in_threadpool(
        lambda: services.followups.inbox.answer(
            user.name,
            followup_id,
            approve=decision == "approve",
            fields=tuple(fields),
            handling=text_field(body, "handling", required=False),
            note=text_field(body, "note", required=False),
            reason=text_field(body, "reason", required=False),
        )
    )
    return JSONResponse(followup_json(answered, services.clock()))


ROUTES = [
    Route("/api/v1/followups", list_followups, methods=["GET"]),
    Route("/api/v1/followups", post_followup, methods=["POST"]),
    Route("/api/v1/followups/{followup_id}", get_followup, methods=["GET"]),
    Route("/api/v1/followups/{followup_id}/answer", answer_followup, methods=["POST"]),
]
