"""Finding 6: a hostile partner serving a huge fake filter does not bloat the requester.

Real broker and nodes; NL's federation face is replaced by one that streams
1000 MiB of garbage as the filter of its dataset. The requester refuses the
fetch once it passes the bound implied by the key count NL declared, keeps
nothing in its cache, and its peak memory during the match stays within a
few MiB (measured with tracemalloc and printed; not asserted on time).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.crypto.certificates import Role
from liaison.crypto.filter_index import FilterIndex
from liaison.node.datasets import Datasets
from liaison.node.filter_cache import FilterCache, FilterKey
from liaison.node.servicer import NodeFederationServicer
from liaison.tools.demo_data import generate_federation
from liaison.v1 import common_pb2, node_pb2
from liaison.wire.credentials import caller
from liaison.wire.status import translate_errors
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_federated_match import request, run_match

AGENCIES = ("FR", "NL")
MIB = b"\x00" * (1024 * 1024)
HOSTILE_CHUNKS = 1000


class Hostile:
    """What the hostile partner sent and what the requester cached."""

    def __init__(self) -> None:
        self.chunks_sent = 0
        self.cached: list[tuple[str, str, int]] = []


@pytest.fixture
def hostile(
    tmp_path: Path, make_db_url: DbUrlFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[RunningFederation, Hostile]]:
    seen = Hostile()

    def get_filter(
        self: NodeFederationServicer,
        message: node_pb2.FilterRequest,
        context: grpc.ServicerContext,
    ) -> Iterator[common_pb2.FilterChunk]:
        with translate_errors(context, "GetFilter"):
            caller(context, Role.BROKER)
            for _ in range(HOSTILE_CHUNKS):
                seen.chunks_sent += 1
                yield common_pb2.FilterChunk(
                    agency="NL", dataset=message.dataset,
                    filter_version=message.filter_version, data=MIB,
                )  # fmt: skip

    put = FilterCache.put

    def spy_put(cache: FilterCache, key: FilterKey, index: FilterIndex) -> None:
        seen.cached.append((key.agency, key.dataset, key.version))
        put(cache, key, index)

    # Before the servers start: gRPC binds the servicer's methods at registration.
    monkeypatch.setattr(NodeFederationServicer, "GetFilter", get_filter)
    monkeypatch.setattr(FilterCache, "put", spy_put)
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        data = generate_federation(3, AGENCIES, persons_per_agency=100)
        running.import_rows("NL", "watchlist", data.datasets["NL"])
        yield running, seen
    finally:
        running.stop()


def test_a_huge_fake_filter_is_refused_at_the_bound_and_never_cached(
    hostile: tuple[RunningFederation, Hostile],
) -> None:
    running, seen = hostile
    suspects = generate_federation(3, AGENCIES, persons_per_agency=100).datasets["NL"][:5]
    tracemalloc.start()
    try:
        result = run_match(running, request(tuple(suspects)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (partner,) = result.results
    assert (partner.agency, partner.status.value) == ("NL", "unavailable")
    assert partner.reason == "unusable answer: filter exceeds the size limit"
    assert partner.hits == ()
    assert seen.cached == []
    # The fetch was cut off long before the 1000 MiB were streamed.
    assert seen.chunks_sent < 50
    print(f"\npeak (tracemalloc) under a 1000 MiB hostile filter: {peak / 2**20:.1f} MiB")
    assert peak < 64 * 2**20


def test_a_declared_key_count_beyond_the_per_fetch_bound_is_refused_without_fetching(
    hostile: tuple[RunningFederation, Hostile], monkeypatch: pytest.MonkeyPatch
) -> None:
    running, seen = hostile
    honest = Datasets.current_version_and_keys

    def lying(datasets: Datasets, name: str) -> tuple[int, int]:
        version, _ = honest(datasets, name)
        return version, 10**9

    monkeypatch.setattr(Datasets, "current_version_and_keys", lying)
    suspects = generate_federation(3, AGENCIES, persons_per_agency=100).datasets["NL"][:5]
    (partner,) = run_match(running, request(tuple(suspects))).results
    assert partner.status.value == "unavailable"
    assert partner.reason == (
        "unusable answer: the partner declares a filter larger than this node accepts"
    )
    assert (seen.chunks_sent, seen.cached) == (0, [])
