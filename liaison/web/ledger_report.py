"""The auditor's report of the node's ledger for a period: figures that link to their entries.

Each figure counts the ledger entries of the period with one value (a
direction, a case, an investigator, a partner) and links to the ledger page
filtered to exactly those entries, so a reader goes from a number to the
queries behind it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from liaison.node.ledger.chain import LedgerEntry
from liaison.web.admin_pages import ledger_filter
from liaison.web.context import console_of, page_user


@dataclass(frozen=True, slots=True)
class Figure:
    """One count and the ledger page that lists its entries."""

    label: str
    count: int
    link: str


def figures(period: dict[str, str], key: str, values: Counter[str]) -> list[Figure]:
    """Figures of one breakdown, largest first, each linking to its filtered ledger."""
    return [
        Figure(value or "(none)", count, "/ledger?" + urlencode({**period, key: value}))
        for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0]))
    ]


def breakdowns(entries: list[LedgerEntry], period: dict[str, str]) -> dict[str, list[Figure]]:
    """The report's sections: by direction, case, investigator and partner."""
    partners: Counter[str] = Counter()
    for entry in entries:
        partners.update(p for p in entry.counterpart.split(",") if p)
    return {
        "By direction": figures(period, "direction", Counter(e.direction.value for e in entries)),
        "By case": figures(period, "case", Counter(e.case_id for e in entries)),
        "By investigator": figures(
            period, "investigator", Counter(e.investigator_id for e in entries)
        ),
        "By partner": figures(period, "partner", partners),
    }


async def report(request: Request) -> Response:
    """The node ledger's figures for a period (``from`` and ``to`` days, both optional)."""
    await page_user(request, "ReadLedger")
    console = console_of(request)
    params = {k: v for k, v in request.query_params.items() if k in ("from", "to") and v}
    chosen = ledger_filter(params)
    entries = [e for e in await run_in_threadpool(console.services.ledger.all) if chosen.keeps(e)]
    now = console.services.clock()
    return console.render(
        request,
        "report.html",
        sections=breakdowns(entries, params),
        total=len(entries),
        total_link="/ledger?" + urlencode(params),
        params=params,
        future=chosen.end is not None and chosen.end > now,
        generated_at=now,
    )


ROUTES = [Route("/ledger/report", report, methods=["GET"])]
