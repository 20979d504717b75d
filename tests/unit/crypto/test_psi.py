"""The PSI wrapper: real openmined-psi, reused filters, opaque failures."""

from __future__ import annotations

import contextlib
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.core.errors import LiaisonError, PsiError
from liaison.crypto import psi

SERVER_ITEMS = [f"1|phone|+3361234{i:04d}" for i in range(200)]


@pytest.fixture(scope="module")
def server_key() -> bytes:
    return psi.new_server_key()


@pytest.fixture(scope="module")
def setup(server_key: bytes) -> bytes:
    return psi.build_filter(server_key, SERVER_ITEMS, max_client_items=100)


def test_intersection_reveals_exactly_the_shared_items(server_key: bytes, setup: bytes) -> None:
    client = psi.PsiClient()
    items = ["absent-1", SERVER_ITEMS[5], "absent-2", SERVER_ITEMS[199]]
    response = psi.PsiServer(server_key).process(client.request(items))
    assert client.intersect(setup, response, request_items=len(items)) == [1, 3]


def test_one_filter_serves_many_queries_with_fresh_client_keys(
    server_key: bytes, setup: bytes
) -> None:
    server = psi.PsiServer(server_key)
    for probe in (SERVER_ITEMS[0], SERVER_ITEMS[17], "nobody"):
        client = psi.PsiClient()
        response = server.process(client.request([probe]))
        expected = [] if probe == "nobody" else [0]
        assert client.intersect(setup, response, request_items=1) == expected


def test_another_server_key_finds_nothing(setup: bytes) -> None:
    client = psi.PsiClient()
    response = psi.PsiServer(psi.new_server_key()).process(client.request(SERVER_ITEMS[:10]))
    assert client.intersect(setup, response, request_items=10) == []


def test_request_size_counts_blinded_items() -> None:
    assert psi.request_size(psi.PsiClient().request(["a", "b", "c"])) == 3


@pytest.mark.parametrize("garbage", [b"\xff\xff\xff", b"\x0a\x03abc", b"not a protobuf at all"])
def test_garbage_request_is_a_psi_error(server_key: bytes, garbage: bytes) -> None:
    with pytest.raises(PsiError):
        psi.PsiServer(server_key).process(garbage)


def test_response_of_another_size_is_refused(server_key: bytes, setup: bytes) -> None:
    client = psi.PsiClient()
    response = psi.PsiServer(server_key).process(client.request(["a", "b"]))
    with pytest.raises(PsiError, match="size"):
        client.intersect(setup, response, request_items=3)


def test_garbage_filter_is_refused(server_key: bytes) -> None:
    client = psi.PsiClient()
    response = psi.PsiServer(server_key).process(client.request(["a"]))
    with pytest.raises(PsiError):
        client.intersect(b"\xff\x00garbage", response, request_items=1)


def test_invalid_server_key_is_refused() -> None:
    with pytest.raises(PsiError):
        psi.PsiServer(b"\x00" * 3)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_other_errors(server_key: bytes, data: bytes) -> None:
    with contextlib.suppress(LiaisonError):
        psi.PsiServer(server_key).process(data)
    with contextlib.suppress(LiaisonError):
        psi.PsiClient().intersect(data, data, request_items=1)


def test_one_server_shared_by_threads_answers_correctly(server_key: bytes, setup: bytes) -> None:
    # openmined-psi objects abort the process when two threads share one;
    # PsiServer keeps one per thread, so this must simply work.
    server = psi.PsiServer(server_key)
    results: list[list[int]] = []
    lock = threading.Lock()

    def work(offset: int) -> None:
        for _ in range(5):
            client = psi.PsiClient()
            response = server.process(client.request([SERVER_ITEMS[offset], "x"]))
            with lock:
                results.append(client.intersect(setup, response, request_items=2))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[0]] * 20


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 50, 200, 1000])
@pytest.mark.parametrize("max_client_items", [1, 10_000, 100_000])
def test_filters_of_every_size_work(server_key: bytes, size: int, max_client_items: int) -> None:
    # openmined-psi's Golomb coder fails on small sparse sets; build_filter
    # must fall back rather than fail an import of a small dataset.
    items = [f"k{i}" for i in range(size)]
    setup = psi.build_filter(server_key, items, max_client_items=max_client_items)
    client = psi.PsiClient()
    probe = ["absent", *items[:2]]
    response = psi.PsiServer(server_key).process(client.request(probe))
    assert client.intersect(setup, response, request_items=len(probe)) == list(range(1, len(probe)))


def test_cardinality_mode_reveals_the_count_only(server_key: bytes, setup: bytes) -> None:
    client = psi.PsiClient(reveal=False)
    items = ["absent-1", SERVER_ITEMS[5], "absent-2", SERVER_ITEMS[199]]
    request = client.request(items)
    assert psi.request_size(request, reveal=False) == 4
    response = psi.PsiServer(server_key).process(request, reveal=False)
    assert client.intersection_size(setup, response, request_items=len(items)) == 2
    with pytest.raises(PsiError, match="only the intersection size"):
        client.intersect(setup, response, request_items=len(items))


def test_a_request_in_the_other_mode_is_refused(server_key: bytes) -> None:
    server = psi.PsiServer(server_key)
    reveal = psi.PsiClient().request(["a"])
    cardinality = psi.PsiClient(reveal=False).request(["a"])
    for request, mode in ((reveal, False), (cardinality, True)):
        with pytest.raises(PsiError, match="not in the query's match mode"):
            server.process(request, reveal=mode)
        with pytest.raises(PsiError, match="not in the query's match mode"):
            psi.request_size(request, reveal=mode)
