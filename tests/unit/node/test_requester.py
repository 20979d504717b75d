"""The requester against a fake broker: what it signs and what its ledger records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.answers import DatasetAnswer
from liaison.core.errors import (
    AuditUnavailable,
    InvalidInput,
    LiaisonError,
    QuotaExceeded,
    Unreachable,
)
from liaison.core.query import Justification, SignedQuery
from liaison.core.records import Record
from liaison.crypto.envelope import unverified_query_id
from liaison.node.filter_cache import FilterCache
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.outcomes import SUBMITTED, is_intent, is_lost
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest
from liaison.node.requester import Requester

NOW = datetime(2026, 3, 1, 12, 0, 0, 123_456, tzinfo=UTC)
ROW = Record(ref="S-1", emails=("a.ali@example.org",))
REQUEST = MatchRequest(
    Justification("C-1", "counter-terrorism", "art. 1", "inv"), (ROW,), partners=("NL",)
)


class FakeBroker:
    """A BrokerPort that records what it is sent and raises what it is told to."""

    def __init__(self, error: LiaisonError | None = None, ledger: Ledger | None = None) -> None:
        self.error = error
        self.submitted: list[SignedQuery] = []
        self.ledger = ledger
        #: The requester's ledger outcomes as they stood when submit was called.
        self.outcomes_at_submit: list[str] = []

    def participants(self) -> list[str]:
        return ["FR", "NL"]

    def submit(self, signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        self.submitted.append(signed)
        if self.ledger is not None:
            self.outcomes_at_submit = [e.outcome for e in self.ledger.entries()]
        if self.error is not None:
            raise self.error
        return []

    def fetch_filter(
        self, signed: SignedQuery, agency: str, dataset: str, version: int, *, max_bytes: int
    ) -> bytes:
        raise AssertionError("no answer, so no filter to fetch")


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    store = SqlLedgerStore(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield Ledger(store)
    store.close()


def _requester(broker: FakeBroker, ledger: Ledger) -> Requester:
    return Requester(
        "FR",
        ec.generate_private_key(ec.SECP256R1()),
        broker,
        FilterCache(),
        ledger,
        max_keys=100,
        envelope_ttl=timedelta(minutes=5),
    )


def test_the_result_names_the_query_id_that_was_signed(ledger: Ledger) -> None:
    broker = FakeBroker(ledger=ledger)
    result = _requester(broker, ledger).match(REQUEST, now=NOW)
    (signed,) = broker.submitted
    assert unverified_query_id(signed) == result.query_id
    intent, sent = ledger.entries()
    assert (intent.query_id, intent.outcome) == (result.query_id, SUBMITTED)
    assert (sent.query_id, sent.outcome) == (result.query_id, "")


def test_the_intent_is_recorded_before_the_broker_sees_the_query(ledger: Ledger) -> None:
    broker = FakeBroker(ledger=ledger)
    _requester(broker, ledger).match(REQUEST, now=NOW)
    assert broker.outcomes_at_submit == [SUBMITTED]


def test_a_broker_failure_after_submission_is_recorded_as_refused(ledger: Ledger) -> None:
    broker = FakeBroker(AuditUnavailable("the audit log is unavailable"))
    with pytest.raises(AuditUnavailable):
        _requester(broker, ledger).match(REQUEST, now=NOW)
    intent, sent = ledger.entries()
    assert intent.query_id == sent.query_id == unverified_query_id(broker.submitted[0])
    assert sent.outcome == "refused by the broker: the audit log is unavailable"


def test_a_broker_that_fails_or_is_unreachable_leaves_the_result_lost(ledger: Ledger) -> None:
    broker = FakeBroker(Unreachable("connection refused"))
    with pytest.raises(Unreachable):
        _requester(broker, ledger).match(REQUEST, now=NOW)
    intent, lost = ledger.entries()
    assert intent.outcome == SUBMITTED and is_intent(intent) and not is_lost(intent)
    assert lost.query_id == intent.query_id and is_lost(lost) and not is_intent(lost)


@pytest.mark.parametrize(
    ("field", "label"),
    [("case_id", "case"), ("purpose", "purpose"), ("legal_basis", "legal basis")],
)
def test_a_blank_justification_field_never_reaches_the_broker(
    ledger: Ledger, field: str, label: str
) -> None:
    broker = FakeBroker()
    justification = dataclasses.replace(REQUEST.justification, **{field: " "})
    request = dataclasses.replace(REQUEST, justification=justification)
    with pytest.raises(InvalidInput, match=f"a match needs a {label}"):
        _requester(broker, ledger).match(request, now=NOW)
    assert broker.submitted == []


def _many_rows(count: int) -> tuple[Record, ...]:
    return tuple(Record(ref=f"S-{n}", emails=(f"p{n}@example.org",)) for n in range(count))


def test_a_file_over_the_budget_is_refused_with_the_exact_remedy(ledger: Ledger) -> None:
    broker = FakeBroker()
    request = dataclasses.replace(REQUEST, records=_many_rows(250))
    with pytest.raises(QuotaExceeded) as refused:
        _requester(broker, ledger).match(request, now=NOW)
    message = str(refused.value)
    assert "250 match keys; this node sends at most 100 per query" in message
    assert "--split to send the 250 rows as 3 queries" in message
    assert "at most the first 100 rows (100 keys)" in message
    assert broker.submitted == [] and ledger.entries() == []


def test_a_split_match_sends_audited_queries_within_the_budget(ledger: Ledger) -> None:
    broker = FakeBroker(ledger=ledger)
    request = dataclasses.replace(REQUEST, records=_many_rows(250), split=True)
    result = _requester(broker, ledger).match(request, now=NOW)
    sent = [unverified_query_id(signed) for signed in broker.submitted]
    assert list(result.query_ids) == sent and len(sent) == 3 and result.query_id == sent[0]
    assert result.key_count == 250
    # Each part is a query of its own in the ledger: intent, then outcome.
    assert [entry.query_id for entry in ledger.entries()] == [q for q in sent for _ in (1, 2)]
    assert {entry.key_count for entry in ledger.entries()} == {100, 50}
    assert {entry.case_id for entry in ledger.entries()} == {REQUEST.justification.case_id}


def test_a_failing_part_names_the_queries_sent_before_it(ledger: Ledger) -> None:
    broker = FakeBroker()
    request = dataclasses.replace(REQUEST, records=_many_rows(150), split=True)
    requester = _requester(broker, ledger)
    calls: list[int] = []

    def submit(signed: SignedQuery, psi_request: bytes) -> list[DatasetAnswer]:
        broker.submitted.append(signed)
        calls.append(1)
        if len(calls) == 2:
            raise AuditUnavailable("the audit log is unavailable")
        return []

    broker.submit = submit  # type: ignore[method-assign]
    with pytest.raises(AuditUnavailable, match="part 2 of 2 failed") as failed:
        requester.match(request, now=NOW)
    assert unverified_query_id(broker.submitted[0]) in str(failed.value)
