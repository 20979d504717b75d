"""Decoded filters give exactly openmined-psi's own intersection, in every layout."""

from __future__ import annotations

import private_set_intersection.python as openmined
import pytest

from liaison.core.errors import PsiError
from liaison.crypto import psi
from liaison.crypto.filter_index import gcs_index

SERVER_KEYS = [f"1|document|NL|X{i:07d}" for i in range(1000)]
# Every 37th key is held; the rest are not.
QUERY = [f"1|document|NL|X{i:07d}" for i in range(0, 2000, 37)]


def _setup(structure: openmined.DataStructure, client_items: int = 1000) -> tuple[bytes, bytes]:
    key = psi.new_server_key()
    server = openmined.server.CreateFromKey(key, True)
    setup = server.CreateSetupMessage(1e-9, client_items, SERVER_KEYS, structure)
    return key, setup.SerializeToString()


@pytest.mark.parametrize(
    ("structure", "client_items"),
    [
        (openmined.DataStructure.GCS, 1000),
        # A hash range past int64: openmined-psi wraps it, the index must agree.
        (openmined.DataStructure.GCS, 10**9),
        (openmined.DataStructure.RAW, 1000),
        (openmined.DataStructure.BLOOM_FILTER, 1000),
    ],
)
def test_a_decoded_filter_finds_what_the_library_finds(
    structure: openmined.DataStructure, client_items: int
) -> None:
    key, setup = _setup(structure, client_items)
    client = psi.PsiClient()
    response = psi.PsiServer(key).process(client.request(QUERY))
    expected = client.intersect(setup, response, request_items=len(QUERY))
    clear = client.unblinder().unblind(response, request_items=len(QUERY))
    found = psi.filter_index(setup, max_items=len(SERVER_KEYS)).matches(clear)
    assert found == expected
    assert len(found) == len(range(0, 1000, 37))


def test_a_count_only_answer_counts_what_the_library_counts() -> None:
    key, setup = _setup(openmined.DataStructure.GCS)
    client = psi.PsiClient(reveal=False)
    response = psi.PsiServer(key).process(client.request(QUERY), reveal=False)
    expected = client.intersection_size(setup, response, request_items=len(QUERY))
    clear = client.unblinder().unblind(response, request_items=len(QUERY))
    assert len(psi.filter_index(setup, max_items=len(SERVER_KEYS)).matches(clear)) == expected > 0


def test_another_key_s_response_matches_nothing() -> None:
    _, setup = _setup(openmined.DataStructure.GCS)
    client = psi.PsiClient()
    response = psi.PsiServer(psi.new_server_key()).process(client.request(QUERY))
    clear = client.unblinder().unblind(response, request_items=len(QUERY))
    assert psi.filter_index(setup, max_items=len(SERVER_KEYS)).matches(clear) == []


def test_a_response_of_another_size_is_refused() -> None:
    key, _ = _setup(openmined.DataStructure.RAW)
    client = psi.PsiClient()
    response = psi.PsiServer(key).process(client.request(QUERY))
    with pytest.raises(PsiError, match="request size"):
        client.unblinder().unblind(response, request_items=len(QUERY) + 1)


@pytest.mark.parametrize("junk", [b"\xff\xff\xff", b"", b"\x12\x00"])
def test_junk_is_not_a_filter(junk: bytes) -> None:
    with pytest.raises(PsiError):
        psi.filter_index(junk, max_items=10)


def test_a_truncated_golomb_set_is_refused() -> None:
    _, setup = _setup(openmined.DataStructure.GCS)
    message = openmined.ServerSetup()
    message.ParseFromString(setup)
    # Cut inside a code word: a one bit (the quotient's end) with no remainder after it.
    with pytest.raises(PsiError, match="truncated"):
        gcs_index(b"\x01", message.gcs.div, message.gcs.hash_range, max_items=10)


@pytest.mark.parametrize(("div", "hash_range"), [(-1, 10), (63, 10), (4, 0)])
def test_out_of_range_golomb_parameters_are_refused(div: int, hash_range: int) -> None:
    with pytest.raises(PsiError, match="out-of-range"):
        gcs_index(b"\x01\x00", div, hash_range, max_items=10)


@pytest.mark.parametrize("structure", [openmined.DataStructure.GCS, openmined.DataStructure.RAW])
def test_a_filter_holding_more_keys_than_declared_is_refused(
    structure: openmined.DataStructure,
) -> None:
    _, setup = _setup(structure)
    with pytest.raises(PsiError, match="more keys than its partner declared"):
        psi.filter_index(setup, max_items=len(SERVER_KEYS) - 1)


def test_one_bit_code_words_stop_at_the_declared_count() -> None:
    # A megabyte of set bits with div 0 is eight million values: refused at the 101st.
    with pytest.raises(PsiError, match="more keys than its partner declared"):
        gcs_index(b"\xff" * 2**20, 0, 2**40, max_items=100)
