"""The watcher without a socket: fakes for the requester and broker, real stores.

Stores and the ledger run on SQLite and, when enabled, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput, QueryRefused, QuotaExceeded, Unreachable
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.core.versions import DatasetVersion, PartnerVersions
from liaison.node.dataset_versions import content_version
from liaison.node.ledger.chain import Direction, Ledger
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import Hit, MatchRequest, MatchResult, PartnerResult
from liaison.node.notices import Inbox
from liaison.node.sql_notices import SqlNoticeStore
from liaison.node.sql_watches import SqlWatchStore
from liaison.node.users import LocalRole, User
from liaison.node.watcher import Watcher
from liaison.node.watches import WatchState

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WHY = Justification("CASE-9", "counter-terrorism", "art. 7", "jane@fr")
ROWS = (Record(ref="S-1", phones=("+33612000001",)), Record(ref="S-2", phones=("+33612000002",)))


@dataclass
class FakeBroker:
    versions: dict[str, dict[str, int]] = field(default_factory=dict)
    polls: list[list[str]] = field(default_factory=list)

    def participants(self) -> list[str]:
        return ["FR", *sorted(self.versions)]

    def dataset_versions(self, agencies: list[str]) -> list[PartnerVersions]:
        self.polls.append(agencies)
        return [
            PartnerVersions(a, PartnerStatus.OK, "", tuple(DatasetVersion(d, v) for d, v in
                                                          self.versions[a].items()))
            if a in self.versions else PartnerVersions(a, PartnerStatus.UNAVAILABLE, "down")
            for a in agencies
        ]  # fmt: skip


@dataclass
class FakeRequester:
    #: The partners' datasets: each answers ok.
    broker: FakeBroker
    #: (agency, dataset) -> rows that match there now.
    held: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    error: Exception | None = None
    asked: list[MatchRequest] = field(default_factory=list)

    def match(self, request: MatchRequest, *, now: datetime) -> MatchResult:
        self.asked.append(request)
        if self.error is not None:
            raise self.error
        results = []
        for agency in request.partners:
            if agency in self.refused:
                results.append(PartnerResult(agency, "*", PartnerStatus.REFUSED, "alert: budget"))
                continue
            for dataset in sorted(self.broker.versions[agency]):
                rows = self.held.get((agency, dataset), ())
                hits = tuple(Hit(r, request.records[r].ref, ("phone",), KeyStrength.EXACT)
                             for r in rows)  # fmt: skip
                results.append(PartnerResult(agency, dataset, PartnerStatus.OK, "", 1, hits))
        return MatchResult(f"q{len(self.asked)}", 2, tuple(results))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Setup:
    watcher: Watcher
    broker: FakeBroker
    requester: FakeRequester
    clock: Clock
    inbox: Inbox
    ledger: SqlLedgerStore
    disabled: set[str]


@pytest.fixture
def setup(db_url: str) -> Iterator[Setup]:
    stores = (SqlWatchStore(db_url), SqlNoticeStore(db_url), SqlLedgerStore(db_url))
    clock = Clock()
    broker = FakeBroker({"NL": {"watchlist": 1}, "TR": {"people": 4}})
    requester = FakeRequester(broker)
    inbox = Inbox(stores[1], clock)
    disabled: set[str] = set()
    watcher = Watcher("FR", requester, broker, stores[0], inbox, Ledger(stores[2], clock), clock,
                      max_keys=100, retry=timedelta(hours=1),
                      is_active=lambda name: name not in disabled)  # fmt: skip
    try:
        yield Setup(watcher, broker, requester, clock, inbox, stores[2], disabled)
    finally:
        for store in stores:
            store.close()


def test_a_change_at_one_partner_reruns_against_that_partner_only(setup: Setup) -> None:
    watch, first = setup.watcher.add(WHY, ROWS)
    assert (watch.state, watch.runs, first) == (WatchState.LIVE, 1, ())
    assert setup.requester.asked[0].partners == ("NL", "TR")
    assert setup.watcher.poll().reran == ()
    setup.broker.versions["NL"]["watchlist"] = 2
    setup.requester.held[("NL", "watchlist")] = (1,)
    report = setup.watcher.poll()
    assert (report.reran, report.new_hits) == ((watch.watch_id,), 1)
    assert setup.requester.asked[-1].partners == ("NL",)
    assert setup.requester.asked[-1].justification == WHY
    (notice,) = setup.inbox.read("jane@fr")
    assert (notice.kind, notice.reference, notice.case_id) == (
        "watch_hits",
        watch.watch_id,
        "CASE-9",
    )
    # A new dataset at TR with the same old hit at NL: re-run, nothing new.
    setup.broker.versions["TR"]["vehicles"] = 1
    assert setup.watcher.poll().new_hits == 0
    assert setup.inbox.read("jane@fr", unread_only=True) == []


def test_no_live_watch_no_call_to_the_broker(setup: Setup) -> None:
    assert setup.watcher.poll().polled == ()
    watch, _ = setup.watcher.add(WHY, ROWS, partners=("NL",), until=T0 + timedelta(days=1))
    setup.broker.polls.clear()
    setup.clock.now = T0 + timedelta(days=2)
    setup.broker.versions["NL"]["watchlist"] = 9
    report = setup.watcher.poll()
    assert (report.expired, report.reran, setup.broker.polls) == ((watch.watch_id,), (), [])


def test_a_failed_run_is_held_back_then_retried(setup: Setup) -> None:
    watch, _ = setup.watcher.add(WHY, ROWS, partners=("NL",))
    setup.requester.error = Unreachable("the broker is down")
    setup.broker.versions["NL"]["watchlist"] = 2
    assert setup.watcher.poll().reran == (watch.watch_id,)
    (notice,) = setup.inbox.read("jane@fr")
    assert notice.kind == "watch_problem" and "re-run failed" in notice.text
    setup.requester.error = None
    assert setup.watcher.poll().reran == ()
    setup.clock.now = T0 + timedelta(hours=2)
    assert setup.watcher.poll().reran == (watch.watch_id,)
    outcomes = [e.outcome for e in setup.ledger.all() if e.direction is Direction.WATCH]
    assert outcomes[-2:] == ["re-run failed: Unreachable", "re-run q3: 0 new hits"]


def test_a_refused_first_run_removes_the_watch(setup: Setup) -> None:
    setup.requester.error = QueryRefused("purpose not accepted")
    with pytest.raises(QueryRefused):
        setup.watcher.add(WHY, ROWS)
    (watch,) = setup.watcher.visible(User("jane@fr", LocalRole.INVESTIGATOR, True, T0, ""))
    assert watch.state is WatchState.REMOVED
    assert setup.watcher.poll().polled == ()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"partners": ("FR",)}, InvalidInput),
        ({"partners": ("not a code",)}, InvalidInput),
        ({"until": T0 - timedelta(seconds=1)}, InvalidInput),
        ({"records": ()}, InvalidInput),
        ({"records": (Record(ref="empty"),)}, InvalidInput),
        ({"records": tuple(Record(ref=f"R{i}", phones=(f"+336120{i:05d}",)) for i in range(101))},
         QuotaExceeded),
    ],
)  # fmt: skip
def test_a_watch_that_cannot_run_is_refused_before_any_query(
    setup: Setup, changes: dict[str, object], error: type[Exception]
) -> None:
    options = dict(changes)
    records = options.pop("records", ROWS)
    with pytest.raises(error):
        setup.watcher.add(WHY, records, **options)  # type: ignore[arg-type]
    assert setup.requester.asked == []


def test_a_disabled_owner_s_watch_is_not_rerun(setup: Setup) -> None:
    setup.watcher.add(WHY, ROWS, partners=("NL",))
    setup.disabled.add("jane@fr")
    setup.broker.versions["NL"]["watchlist"] = 2
    assert setup.watcher.poll().reran == ()


def test_the_content_version_ignores_key_rotations() -> None:
    # v1 epoch 0; a rotation: v2 epoch 1; an import: v3 epoch 1.
    assert [content_version(v, e) for v, e in ((1, 0), (2, 1), (3, 1))] == [1, 1, 2]
