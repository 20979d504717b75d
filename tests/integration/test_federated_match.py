"""A federated match end to end: real broker, real nodes, mutual TLS, real PSI.

Each test runs on SQLite and, when enabled, on PostgreSQL (one database per
node), with the seeded synthetic data whose planted shared suspects are the
exact expected hits.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.core.answers import DatasetAnswer
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.model import MatchRequest, MatchResult
from liaison.node.responder import Responder
from liaison.tools.demo_data import Federation as DemoData
from liaison.tools.demo_data import generate_federation
from liaison.v1 import node_pb2
from tests.conftest import DbUrlFactory as UrlFactory
from tests.integration.harness import RunningFederation, start_federation

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"


@pytest.fixture(scope="module")
def demo_data() -> DemoData:
    return generate_federation(11, AGENCIES, persons_per_agency=300)


@pytest.fixture
def federation(
    tmp_path: Path, make_db_url: UrlFactory, demo_data: DemoData
) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        for agency in AGENCIES:
            running.import_rows(agency, DATASET, demo_data.datasets[agency])
        yield running
    finally:
        running.stop()


JUSTIFICATION_FIELDS = ("case_id", "purpose", "legal_basis", "investigator_id")


def request(suspects: tuple[Record, ...], **changes: object) -> node_pb2.LocalMatchRequest:
    # The planted ground truth is stated in exact (key spec v1) keys: ask for
    # exact keys only unless a test says otherwise.
    justification = Justification(
        case_id="CASE-2026-17",
        purpose="counter-terrorism",
        legal_basis="art. 12 of the test act",
        investigator_id="inv-001",
    )
    why = {k: changes.pop(k) for k in JUSTIFICATION_FIELDS if k in changes}
    match = MatchRequest(
        justification=dataclasses.replace(justification, **why),  # type: ignore[arg-type]
        records=suspects,
        min_strength=KeyStrength.EXACT,
    )
    return match_request_to_proto(dataclasses.replace(match, **changes))  # type: ignore[arg-type]


def run_match(running: RunningFederation, message: node_pb2.LocalMatchRequest) -> MatchResult:
    return match_result_from_proto(running.local("FR").Match(message, timeout=60))


def hits_by_partner_row(result: MatchResult) -> dict[tuple[str, int], set[str]]:
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for partner in result.results:
        for hit in partner.hits:
            found[(partner.agency, hit.row)] |= set(hit.keys)
    return found


def expected_hits(
    data: DemoData, agencies: tuple[str, ...] = ("NL", "TR")
) -> dict[tuple[str, int], set[str]]:
    expected: dict[tuple[str, int], set[str]] = defaultdict(set)
    for planted in data.planted:
        if planted.agency in agencies:
            expected[(planted.agency, planted.suspect_row)] |= {k.value for k in planted.kinds}
    return expected


def test_match_finds_exactly_the_planted_suspects(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    result = run_match(federation, request(demo_data.suspects))
    assert [(r.agency, r.dataset, r.status.value) for r in result.results] == [
        ("NL", DATASET, "ok"),
        ("TR", DATASET, "ok"),
    ]
    assert hits_by_partner_row(result) == expected_hits(demo_data)
    for partner in result.results:
        for hit in partner.hits:
            assert hit.ref == demo_data.suspects[hit.row].ref


def test_all_strengths_add_name_variant_hits_labelled_by_strength(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    result = run_match(federation, request(demo_data.suspects, min_strength=None))
    exact = expected_hits(demo_data)
    found = {(partner.agency, hit.row): hit for partner in result.results for hit in partner.hits}
    for key, kinds in exact.items():  # every exact hit is still there, still exact
        assert kinds <= set(found[key].keys) and found[key].strength is KeyStrength.EXACT
    for key, hit in found.items():
        if key not in exact:  # anything else came from name variants only
            assert hit.strength in (KeyStrength.STRONG, KeyStrength.FUZZY)
            assert all(k.startswith("name_") for k in hit.keys)


def test_second_query_reuses_cached_filters_and_agrees(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    first = run_match(federation, request(demo_data.suspects))
    second = run_match(federation, request(demo_data.suspects))
    assert first.query_id != second.query_id
    assert hits_by_partner_row(first) == hits_by_partner_row(second)


def test_replace_import_stops_a_removed_record_matching_at_once(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    planted = next(p for p in demo_data.planted if p.agency == "NL")
    remaining = [r for r in demo_data.datasets["NL"] if r.ref != planted.record_ref]
    summary = federation.import_rows("NL", DATASET, remaining, replace=True)
    assert summary.removed == 1
    result = run_match(federation, request(demo_data.suspects, partners=("NL",)))
    found = hits_by_partner_row(result)
    others = [
        p for p in demo_data.planted
        if p.agency == "NL" and p.suspect_row == planted.suspect_row and p is not planted
    ]  # fmt: skip
    if not others:
        assert ("NL", planted.suspect_row) not in found
    assert result.results[0].filter_version == summary.version


def test_partners_and_datasets_can_be_narrowed(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    result = run_match(
        federation, request(demo_data.suspects, partners=("TR",), datasets=(DATASET,))
    )
    assert [(r.agency, r.dataset) for r in result.results] == [("TR", DATASET)]
    assert hits_by_partner_row(result) == expected_hits(demo_data, ("TR",))


def test_unknown_dataset_is_a_refused_status(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    result = run_match(federation, request(demo_data.suspects, datasets=("no-such-set",)))
    assert {(r.agency, r.status.value, r.reason) for r in result.results} == {
        ("NL", "refused", "unknown dataset"),
        ("TR", "refused", "unknown dataset"),
    }


def test_unknown_partner_is_not_found(federation: RunningFederation, demo_data: DemoData) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        run_match(federation, request(demo_data.suspects, partners=("ZZ",)))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert "ZZ" in (caught.value.details() or "")


@pytest.mark.parametrize("field", ["case_id", "purpose", "legal_basis"])
def test_match_without_mandatory_metadata_is_invalid(
    federation: RunningFederation, demo_data: DemoData, field: str
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        run_match(federation, request(demo_data.suspects, **{field: ""}))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_input_without_any_key_is_invalid(federation: RunningFederation) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        run_match(federation, request((Record(ref="only-a-ref"),)))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_partner_that_is_down_is_a_status(
    tmp_path: Path, make_db_url: UrlFactory, demo_data: DemoData
) -> None:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES, down=("TR",)
    )
    try:
        running.import_rows("NL", DATASET, demo_data.datasets["NL"])
        result = run_match(running, request(demo_data.suspects))
    finally:
        running.stop()
    statuses = {r.agency: r.status.value for r in result.results}
    assert statuses == {"NL": "ok", "TR": "unavailable"}
    assert hits_by_partner_row(result) == expected_hits(demo_data, ("NL",))


class Blocker:
    """Holds one partner's answers until released, to act mid-query."""

    def __init__(self, agency: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        original = Responder.answer

        def answer(responder: Responder, *args: object, **kwargs: object) -> list[DatasetAnswer]:
            if responder._config.agency == agency:
                self.entered.set()
                self.release.wait(30)
            return original(responder, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Responder, "answer", answer)


def test_partner_killed_mid_query_is_a_status(
    federation: RunningFederation,
    demo_data: DemoData,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = Blocker("TR", monkeypatch)
    results: list[MatchResult] = []
    worker = threading.Thread(
        target=lambda: results.append(run_match(federation, request(demo_data.suspects)))
    )
    worker.start()
    try:
        assert blocker.entered.wait(30)
        dying = federation.nodes.pop("TR")
        dying.federation.stop(0).wait()  # the partner dies with the query in flight
    finally:
        blocker.release.set()  # only now may its handler thread finish
        worker.join(60)
    dying.stop(0)
    (result,) = results
    assert {r.agency: r.status.value for r in result.results} == {"NL": "ok", "TR": "unavailable"}
    assert hits_by_partner_row(result) == expected_hits(demo_data, ("NL",))


def test_slow_partner_times_out_and_others_still_answer(
    tmp_path: Path,
    make_db_url: UrlFactory,
    demo_data: DemoData,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running = start_federation(
        tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES, partner_timeout=1.0
    )
    blocker = Blocker("TR", monkeypatch)
    try:
        for agency in ("NL", "TR"):
            running.import_rows(agency, DATASET, demo_data.datasets[agency])
        result = run_match(running, request(demo_data.suspects))
    finally:
        blocker.release.set()
        running.stop()
    assert {r.agency: r.status.value for r in result.results} == {"NL": "ok", "TR": "timeout"}
    assert hits_by_partner_row(result) == expected_hits(demo_data, ("NL",))


def test_local_dataset_list(federation: RunningFederation, demo_data: DemoData) -> None:
    reply = federation.local("NL").ListDatasets(node_pb2.ListDatasetsRequest(), timeout=10)
    (info,) = reply.datasets
    assert (info.name, info.records) == (DATASET, len(demo_data.datasets["NL"]))
    assert info.keys > info.records
    assert (info.key_epoch, info.key_epoch_started_ms > 0) == (0, True)
