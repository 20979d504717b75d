"""The requester against a fake broker: what it signs and what its ledger records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.answers import DatasetAnswer
from liaison.core.errors import AuditUnavailable, InvalidInput, LiaisonError, Unreachable
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
