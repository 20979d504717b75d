"""Fan-out: partners answer in parallel; a failing partner is a status."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from liaison.broker.fanout import ALL_DATASETS, fan_out
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.errors import NotFound, PartnerTimeout, PartnerUnavailable, QueryRefused


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        yield pool


def ok(agency: str, dataset: str = "watchlist") -> DatasetAnswer:
    return DatasetAnswer(agency, dataset, PartnerStatus.OK, filter_version=1, psi_response=b"r")


def test_answers_come_back_in_target_order(executor: ThreadPoolExecutor) -> None:
    answers = fan_out(
        [("NL", ["a"]), ("TR", [])], lambda agency: [ok(agency)], executor=executor, deadline=5
    )
    assert [(a.agency, a.status) for a in answers] == [
        ("NL", PartnerStatus.OK),
        ("TR", PartnerStatus.OK),
    ]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PartnerUnavailable("connection refused"), PartnerStatus.UNAVAILABLE),
        (PartnerTimeout("late"), PartnerStatus.TIMEOUT),
        (QueryRefused("no agreement with FR"), PartnerStatus.REFUSED),
        (NotFound("unknown dataset"), PartnerStatus.REFUSED),
        (RuntimeError("bug"), PartnerStatus.UNAVAILABLE),
    ],
)
def test_a_failing_partner_is_a_status_for_each_dataset_asked(
    executor: ThreadPoolExecutor, error: Exception, status: PartnerStatus
) -> None:
    def ask(agency: str) -> list[DatasetAnswer]:
        if agency == "TR":
            raise error
        return [ok(agency)]

    answers = fan_out([("NL", []), ("TR", ["a", "b"])], ask, executor=executor, deadline=5)
    assert answers[0].status is PartnerStatus.OK
    assert [(a.agency, a.dataset, a.status) for a in answers[1:]] == [
        ("TR", "a", status),
        ("TR", "b", status),
    ]


def test_a_partner_past_the_deadline_is_a_timeout(executor: ThreadPoolExecutor) -> None:
    release = threading.Event()

    def ask(agency: str) -> list[DatasetAnswer]:
        if agency == "TR":
            release.wait(10)
        return [ok(agency)]

    try:
        answers = fan_out([("NL", []), ("TR", [])], ask, executor=executor, deadline=0.2)
    finally:
        release.set()
    assert answers[0].status is PartnerStatus.OK
    assert (answers[1].dataset, answers[1].status) == (ALL_DATASETS, PartnerStatus.TIMEOUT)


def test_answers_claiming_another_agency_are_dropped(executor: ThreadPoolExecutor) -> None:
    answers = fan_out([("NL", [])], lambda _: [ok("TR")], executor=executor, deadline=5)
    assert answers == []
