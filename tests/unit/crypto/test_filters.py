"""Filters rebuilt from kept elements are byte for byte the library's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.core.errors import PsiError
from liaison.crypto import filters, psi


@pytest.fixture(scope="module")
def key() -> bytes:
    return psi.new_server_key()


@pytest.fixture(scope="module")
def encryptor(key: bytes) -> Iterator[psi.PsiEncryptor]:
    with psi.PsiEncryptor(key, workers=2) as opened:
        yield opened


def items(n: int, tag: str = "phone") -> list[str]:
    return [f"2|{tag}|+33{i:09d}" for i in range(n)]


def rebuilt(encryptor: psi.PsiEncryptor, keys: list[str], client: int) -> filters.BuiltFilter:
    # Records of three keys, each sharing one with the next (as a name key can be).
    records = [keys[i : i + 3] for i in range(0, len(keys), 2)]
    return filters.filter_from_elements(encryptor.encrypt(records), max_client_items=client)


@pytest.mark.parametrize(
    ("count", "client"),
    [(0, 10), (1, 1), (2, 3), (200, 100), (5_000, 10), (8_000, 10_000), (12_000, 3)],
)
def test_rebuilt_filter_is_the_librarys_own(
    key: bytes, encryptor: psi.PsiEncryptor, count: int, client: int
) -> None:
    keys = items(count)
    library = psi.build_filter(key, keys, max_client_items=client)
    built = rebuilt(encryptor, keys, client)
    assert built.setup == library
    assert built.key_count == count
    # Streamed, repeats of shared keys included, with the distinct count given.
    records = [keys[i : i + 3] for i in range(0, len(keys), 2)]
    streamed = filters.filter_from_elements(
        encryptor.encrypt(records), max_client_items=client, key_count=count
    )
    assert streamed.setup == library


def test_sparse_sets_are_raw_like_the_librarys_workaround(key: bytes) -> None:
    keys = items(3)
    # So sparse that openmined-psi's Golomb coder would fail: build_filter sends it raw.
    fpr = 1e-15
    assert not filters.uses_gcs(len(keys), 10_000, fpr)
    with psi.PsiEncryptor(key, workers=1) as encryptor:
        built = filters.filter_from_elements(
            encryptor.encrypt([keys]), max_client_items=10_000, fpr=fpr
        )
    assert built.setup == psi.build_filter(key, keys, max_client_items=10_000, fpr=fpr)


@settings(max_examples=15, deadline=None)
@given(st.sets(st.text(min_size=1, max_size=12), max_size=60), st.integers(1, 500))
def test_any_key_set_rebuilds_to_the_same_bytes(
    key: bytes, encryptor: psi.PsiEncryptor, keys: set[str], client: int
) -> None:
    ordered = sorted(keys)
    built = filters.filter_from_elements(
        encryptor.encrypt([[k] for k in ordered]), max_client_items=client
    )
    assert built.setup == psi.build_filter(key, ordered, max_client_items=client)


def test_a_rebuilt_filter_answers_queries(key: bytes, encryptor: psi.PsiEncryptor) -> None:
    keys = items(300)
    setup = rebuilt(encryptor, keys, 50).setup
    client = psi.PsiClient()
    query = ["absent", keys[7], keys[299]]
    response = psi.PsiServer(key).process(client.request(query))
    assert client.intersect(setup, response, request_items=3) == [1, 2]


def test_elements_are_the_records_keys_sorted_and_keyless_records_are_empty(
    encryptor: psi.PsiEncryptor,
) -> None:
    blobs = encryptor.encrypt([["a", "b", "c"], [], ["b"]])
    assert len(blobs[0]) == 3 * psi.ELEMENT_BYTES
    assert blobs[1] == b""
    parts = [blobs[0][i : i + psi.ELEMENT_BYTES] for i in range(0, len(blobs[0]), 33)]
    assert parts == sorted(parts)
    assert blobs[2] in parts


def test_a_truncated_element_blob_is_refused(encryptor: psi.PsiEncryptor) -> None:
    blob = encryptor.encrypt([["a"]])[0]
    with pytest.raises(PsiError, match="whole number"):
        filters.filter_from_elements([blob[:-1]], max_client_items=10)


def test_an_invalid_key_is_refused() -> None:
    with pytest.raises(PsiError):
        psi.PsiEncryptor(b"\x00" * 3)
