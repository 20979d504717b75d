"""One log event and the metrics of each query, asked or answered by this node.

The requester calls :func:`sent` once per match (also a failed one), the
responder :func:`served` once per partner query, beside its ledger entry.
Each writes one ``query_sent`` or ``query_served`` event carrying the query
id, and counts the query in :mod:`node.metrics`. Fields hold ids, agency
codes, counts and statuses: a hit's row or reference, an identifier or a
key never reaches them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from liaison.core.answers import PartnerStatus
from liaison.core.logs import event
from liaison.node import metrics
from liaison.node.model import PartnerResult

log = logging.getLogger("liaison.node.queries")

#: Statuses that show the partner was there (it answered, even with a refusal).
_REACHED = frozenset({PartnerStatus.OK, PartnerStatus.REFUSED})


def sent(
    query_id: str,
    partners: Sequence[str],
    key_count: int,
    results: Sequence[PartnerResult] = (),
    *,
    error: Exception | None = None,
) -> None:
    """Record a match this node asked: its results, or the error that ended it.

    Partners are named from the answers only (participants the broker
    knows): the names a user asked for may be anything.
    """
    if error is not None:
        metrics.MATCHES_FAILED.labels(type(error).__name__).inc()
        log.warning(
            "query %s failed: %s",
            query_id,
            type(error).__name__,
            extra=event(
                "query_sent",
                query_id=query_id,
                partners=len(partners),
                keys=key_count,
                outcome="error",
                error=type(error).__name__,
            ),
        )
        return
    statuses: dict[str, int] = {}
    for result in results:
        metrics.QUERIES_SENT.labels(result.agency, result.status.value).inc()
        metrics.PARTNER_AVAILABLE.labels(result.agency).set(result.status in _REACHED)
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
    log.info(
        "query %s sent to %d partners",
        query_id,
        len({r.agency for r in results}),
        extra=event(
            "query_sent",
            query_id=query_id,
            partners=sorted({r.agency for r in results}),
            keys=key_count,
            outcome="ok" if statuses.get("ok") else "no answer",
            answers=statuses,
            hits=sum(len(r.hits) for r in results),
        ),
    )


def served_outcome(outcome: str) -> str:
    """Classify a served ledger outcome: ok, refused, alert or timeout."""
    if outcome.startswith("alert:"):
        return "alert"
    if outcome.startswith("stopped at the deadline"):
        return "timeout"
    if any(part.split(":")[1:2] == ["ok"] for part in outcome.split(";")):
        return "ok"
    return "refused"


def served(query_id: str, requester: str, key_count: int, outcome: str) -> None:
    """Record a partner's query this node answered, refused or stopped."""
    label = served_outcome(outcome)
    metrics.QUERIES_SERVED.labels(requester, label).inc()
    log.log(
        logging.WARNING if label == "alert" else logging.INFO,
        "query %s from %s: %s",
        query_id,
        requester,
        label,
        extra=event(
            "query_served",
            query_id=query_id,
            requester=requester,
            keys=key_count,
            outcome=label,
            detail=outcome,
        ),
    )
