"""The query path end to end: one blinded request, named and unnamed alike, no count per query."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from liaison.broker.node_client import GrpcNodes
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.crypto import psi
from liaison.node.model import MatchResult
from liaison.node.sql_store import SqlNodeStore
from liaison.tools.demo_data import Federation as DemoData
from liaison.tools.demo_data import generate_federation
from liaison.v1 import node_pb2
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_federated_match import request, run_match

AGENCIES = ("FR", "NL", "TR")
DATASETS = ("watchlist", "archive")


@pytest.fixture(scope="module")
def demo_data() -> DemoData:
    return generate_federation(17, AGENCIES, persons_per_agency=120)


@pytest.fixture
def federation(
    tmp_path: Path, make_db_url: DbUrlFactory, demo_data: DemoData
) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        for agency in ("NL", "TR"):
            rows = demo_data.datasets[agency]
            # Two datasets per partner, overlapping, so each answers on its own.
            running.import_rows(agency, DATASETS[0], rows[: len(rows) * 2 // 3])
            running.import_rows(agency, DATASETS[1], rows[len(rows) // 3 :])
        yield running
    finally:
        running.stop()


def _answers(result: MatchResult) -> dict[tuple[str, str], tuple[str, ...]]:
    assert {r.status for r in result.results} == {PartnerStatus.OK}
    return {(r.agency, r.dataset): tuple(h.ref for h in r.hits) for r in result.results}


def test_named_and_unnamed_datasets_give_identical_results(
    federation: RunningFederation, demo_data: DemoData
) -> None:
    unnamed = _answers(run_match(federation, request(demo_data.suspects)))
    named = _answers(run_match(federation, request(demo_data.suspects, datasets=DATASETS)))
    assert named == unnamed
    assert set(unnamed) == {(a, d) for a in ("NL", "TR") for d in DATASETS}
    assert any(unnamed.values())


def test_an_unnamed_query_counts_nothing_at_the_partners(
    federation: RunningFederation, demo_data: DemoData, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = _answers(run_match(federation, request(demo_data.suspects)))

    def no_count(self: SqlNodeStore) -> None:
        raise AssertionError("a partner counted its datasets to answer a query")

    # Listing datasets counts their records and keys: the query path must not.
    monkeypatch.setattr(SqlNodeStore, "list_datasets", no_count)
    assert _answers(run_match(federation, request(demo_data.suspects))) == warm


def test_one_blinded_request_serves_every_partner(
    federation: RunningFederation, demo_data: DemoData, monkeypatch: pytest.MonkeyPatch
) -> None:
    blinded: list[bytes] = []
    relayed: dict[str, bytes] = {}
    request_of, answer_of = psi.PsiClient.request, GrpcNodes.answer

    def blind(client: psi.PsiClient, items: Sequence[str]) -> bytes:
        blinded.append(request_of(client, items))
        return blinded[-1]

    def relay(nodes: GrpcNodes, endpoint: str, *args: Any, **kwargs: Any) -> list[DatasetAnswer]:
        relayed[endpoint] = args[2]  # (signed, requester certificate, psi_request, receipt)
        return answer_of(nodes, endpoint, *args, **kwargs)

    monkeypatch.setattr(psi.PsiClient, "request", blind)
    monkeypatch.setattr(GrpcNodes, "answer", relay)
    _answers(run_match(federation, request(demo_data.suspects)))
    (once,) = blinded
    assert len(relayed) == 2 and set(relayed.values()) == {once}


def test_a_verified_certificate_travels_by_digest_and_comes_again_when_forgotten(
    federation: RunningFederation, demo_data: DemoData, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, bool, bool]] = []  # (endpoint, certificate in full, certificate_needed)
    call_of = GrpcNodes._call_answer

    def spy(
        nodes: GrpcNodes, endpoint: str, message: node_pb2.PartnerRequest, deadline: float
    ) -> node_pb2.PartnerReply:
        reply = call_of(nodes, endpoint, message, deadline)
        full = bool(message.requester_certificate)
        assert full != bool(message.requester_certificate_sha256)
        sent.append((endpoint, full, reply.certificate_needed))
        return reply

    monkeypatch.setattr(GrpcNodes, "_call_answer", spy)
    nl = federation.node_configs["NL"].federation_listen
    first = _answers(run_match(federation, request(demo_data.suspects)))
    assert sorted(full for _, full, _ in sent) == [True, True]
    sent.clear()
    assert _answers(run_match(federation, request(demo_data.suspects))) == first
    assert sorted(full for _, full, _ in sent) == [False, False]
    # A restarted partner has forgotten it: it asks, and gets it in full.
    federation.nodes["NL"].stop(0)
    federation.start_node("NL")
    sent.clear()
    assert _answers(run_match(federation, request(demo_data.suspects))) == first
    assert [(full, needed) for endpoint, full, needed in sent if endpoint == nl] == [
        (False, True),
        (True, False),
    ]
