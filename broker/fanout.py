"""Parallel fan-out of one query to its partners, each under a deadline.

A partner that fails, refuses or is late becomes a status for that partner;
the query as a whole never fails because of one partner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, wait

from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.errors import (
    BudgetExhausted,
    InvalidInput,
    LiaisonError,
    NotFound,
    PartnerTimeout,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
)

log = logging.getLogger(__name__)

#: Dataset name used in a status that concerns a whole partner.
ALL_DATASETS = "*"

#: Errors meaning "the partner looked at the query and said no".
_REFUSALS = (PermissionDenied, QueryRefused, QuotaExceeded, NotFound, InvalidInput)


def status_of(error: LiaisonError) -> PartnerStatus:
    """Return the partner status a failed call stands for."""
    if isinstance(error, PartnerTimeout):
        return PartnerStatus.TIMEOUT
    if isinstance(error, _REFUSALS):
        return PartnerStatus.REFUSED
    return PartnerStatus.UNAVAILABLE


def fan_out(
    targets: Sequence[tuple[str, Sequence[str]]],
    ask: Callable[[str], list[DatasetAnswer]],
    *,
    executor: Executor,
    deadline: float,
) -> list[DatasetAnswer]:
    """Ask every target in parallel and gather the answers in target order.

    Args:
        targets: (agency, datasets asked) pairs; no datasets means all.
        ask: calls one partner; raises LiaisonError on failure (a call that
            misses its own deadline raises :class:`PartnerTimeout`).
        executor: runs the calls.
        deadline: seconds to wait for all calls (a safety net over the
            per-call deadline the caller gives ``ask``).
    """
    calls: list[tuple[str, Sequence[str], Future[list[DatasetAnswer]]]] = [
        (agency, datasets, executor.submit(ask, agency)) for agency, datasets in targets
    ]
    wait([future for _, _, future in calls], timeout=deadline)
    answers: list[DatasetAnswer] = []
    for agency, datasets, future in calls:
        names = list(datasets) or [ALL_DATASETS]
        if not future.done():
            future.cancel()
            answers += [
                _failed(agency, n, PartnerStatus.TIMEOUT, "no answer in time") for n in names
            ]
            continue
        try:
            answers += [a for a in future.result() if a.agency == agency]
        except LiaisonError as exc:
            status = status_of(exc)
            log.info("partner %s: %s: %s", agency, status.value, exc)
            answers += [_failed(agency, n, status, _reason(exc)) for n in names]
        except Exception:
            log.exception("partner %s: unexpected failure", agency)
            answers += [
                _failed(agency, n, PartnerStatus.UNAVAILABLE, "internal error") for n in names
            ]
    return answers


def _reason(error: LiaisonError) -> str:
    # A partner's budget or rate alert stays visible as one in the audit log.
    return f"alert: {error}" if isinstance(error, BudgetExhausted) else str(error)


def _failed(agency: str, dataset: str, status: PartnerStatus, reason: str) -> DatasetAnswer:
    return DatasetAnswer(agency=agency, dataset=dataset, status=status, reason=reason)
