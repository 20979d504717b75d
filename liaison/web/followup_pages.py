"""The console's follow-up pages: investigators ask about a hit, officers answer.

Every action is the domain's (:class:`liaison.node.followups.Followups`, the
same object the gRPC local face serves): the request's checks, the deadline,
the fields an officer may release (source fields never), the handling codes.
Which box a role reads is :func:`liaison.node.followups.box_for`.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from liaison.core.errors import InvalidInput, NotFound
from liaison.node.followup_model import HANDLING_CODES, Side, parse_deadline
from liaison.node.followups import box_for
from liaison.web.context import console_of, form_text, page_user, posted_form


async def request_followup(request: Request) -> Response:
    """Ask the partner about one hit row of one of the investigator's matches."""
    user, form = await posted_form(request, "RequestFollowup")
    followups = console_of(request).services.followups
    try:
        row = int(form_text(form, "row"))
    except ValueError:
        raise InvalidInput("row must be a number") from None
    deadline_text = form_text(form, "deadline")
    followup = await run_in_threadpool(
        followups.request,
        user.name,
        form_text(form, "query_id"),
        form_text(form, "partner"),
        form_text(form, "dataset"),
        row,
        form_text(form, "message"),
        parse_deadline(deadline_text) if deadline_text else None,
    )
    return RedirectResponse(f"/followups/{followup.id}", status_code=303)


async def followups(request: Request) -> Response:
    """The officer's queue (received, with deadlines) or the investigator's sent follow-ups."""
    user = await page_user(request, "ListFollowups")
    console = console_of(request)
    side = box_for(user)
    listed = await run_in_threadpool(console.services.followups.box, side)
    now = console.services.clock()
    return console.render(
        request, "followups.html", followups=listed, side=side.value, now=now, sides=Side
    )


async def show_followup(request: Request) -> Response:
    """One follow-up: the officer sees the matched records, source fields marked."""
    user = await page_user(request, "ShowFollowup")
    console = console_of(request)
    followup, records = await run_in_threadpool(
        console.services.followups.show, request.path_params["followup_id"]
    )
    if followup.side is not box_for(user):
        raise NotFound("no such follow-up")
    return console.render(
        request,
        "followup.html",
        f=followup,
        records=records,
        handling=HANDLING_CODES,
        now=console.services.clock(),
        sides=Side,
    )


async def answer_followup(request: Request) -> Response:
    """Approve with chosen fields and a handling code, or refuse with a reason."""
    user, form = await posted_form(request, "AnswerFollowup")
    inbox = console_of(request).services.followups.inbox
    followup_id = request.path_params["followup_id"]
    approve = form_text(form, "decision") == "approve"
    await run_in_threadpool(
        lambda: inbox.answer(
            user.name,
            followup_id,
            approve=approve,
            fields=tuple(form.getlist("field")),
            handling=form_text(form, "handling"),
            note=form_text(form, "note"),
            reason=form_text(form, "reason"),
        )
    )
    return RedirectResponse(f"/followups/{followup_id}", status_code=303)


async def hit_notices(request: Request) -> Response:
    """The hit notices requesters sent (where both agreements say so), newest first."""
    await page_user(request, "ListHitNotices")
    console = console_of(request)
    notices = await run_in_threadpool(console.services.followups.notices)
    return console.render(request, "hit_notices.html", notices=notices)


ROUTES = [
    Route("/hit-notices", hit_notices, methods=["GET"]),
    Route("/followups", followups, methods=["GET"]),
    Route("/followups", request_followup, methods=["POST"]),
    Route("/followups/{followup_id}", show_followup, methods=["GET"]),
    Route("/followups/{followup_id}/answer", answer_followup, methods=["POST"]),
]
