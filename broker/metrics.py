"""The broker's Prometheus metrics and its one log event per query.

Labels come from fixed sets only: ``requester`` and ``partner`` are agency
codes of the federation, ``status`` a partner status (``ok``, ``refused``,
``unavailable``, ``timeout``), ``outcome`` ``relayed`` or an error class of
``liaison.core.errors``. Never an identifier, a key, a query id or a case.
Served on ``[broker] metrics_listen`` (loopback only) by :mod:`broker.server`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from prometheus_client import Counter, Gauge, Histogram

from liaison.core.answers import DatasetAnswer
from liaison.core.logs import event

log = logging.getLogger("liaison.broker.queries")

QUERIES: Final = Counter(
    "liaison_broker_queries",
    "Queries submitted to the broker, by requesting agency and outcome",
    ["requester", "outcome"],
)
PARTNER_ANSWERS: Final = Counter(
    "liaison_broker_partner_answers",
    "Partner dataset answers relayed, by partner and status",
    ["partner", "status"],
)
FAN_OUT_SECONDS: Final = Histogram(
    "liaison_broker_fan_out_seconds",
    "From a query's arrival to its last partner's answer",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
PARTICIPANT_REACHABLE: Final = Gauge(
    "liaison_broker_participant_reachable",
    "1 if the participant's federation face answered the last health probe, else 0",
    ["partner"],
)
AUDIT_ENTRIES: Final = Gauge("liaison_broker_audit_entries", "Entries in the audit log")
HEALTHY: Final = Gauge("liaison_broker_healthy", "1 when the broker's database and keys are usable")


def relayed(
    query_id: str,
    requester: str,
    answers: Sequence[DatasetAnswer],
    *,
    entry: int,
    seconds: float,
) -> None:
    """Count and log one relayed query: one ``query_relayed`` event."""
    QUERIES.labels(requester, "relayed").inc()
    FAN_OUT_SECONDS.observe(seconds)
    statuses: dict[str, int] = {}
    for answer in answers:
        PARTNER_ANSWERS.labels(answer.agency, answer.status.value).inc()
        statuses[answer.status.value] = statuses.get(answer.status.value, 0) + 1
    log.info(
        "query %s from %s relayed to %d partner datasets",
        query_id,
        requester,
        len(answers),
        extra=event(
            "query_relayed",
            query_id=query_id,
            requester=requester,
            partners=sorted({a.agency for a in answers}),
            answers=statuses,
            audit_entry=entry,
            seconds=round(seconds, 3),
        ),
    )


def refused(query_id: str, requester: str, error: Exception) -> None:
    """Count and log one query the broker refused: one ``query_refused`` event."""
    QUERIES.labels(requester, type(error).__name__).inc()
    log.info(
        "query %s from %s refused: %s",
        query_id,
        requester,
        type(error).__name__,
        extra=event(
            "query_refused",
            query_id=query_id,
            requester=requester,
            error=type(error).__name__,
            reason=str(error),
        ),
    )
