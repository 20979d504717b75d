"""Filters survive chunking; a corrupted, truncated or oversized stream is refused."""

from __future__ import annotations

import pytest

from liaison.core.errors import PsiError
from liaison.wire.chunks import CHUNK_BYTES, filter_chunks, join_filter_chunks


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, 2 * CHUNK_BYTES + 5])
def test_filters_survive_chunking(size: int) -> None:
    setup = bytes(i % 251 for i in range(size))
    chunks = list(filter_chunks("NL", "watchlist", 4, setup))
    assert [c.last for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert all(len(c.data) <= CHUNK_BYTES for c in chunks)
    assert join_filter_chunks(chunks, max_bytes=size + 1) == setup


def test_corrupted_chunk_is_detected() -> None:
    chunks = list(filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10)))
    chunks[0].data = b"y" + chunks[0].data[1:]
    with pytest.raises(PsiError, match="digest"):
        join_filter_chunks(chunks, max_bytes=10 * CHUNK_BYTES)


def test_truncated_stream_is_detected() -> None:
    chunks = list(filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10)))
    with pytest.raises(PsiError, match="ended early"):
        join_filter_chunks(chunks[:-1], max_bytes=10 * CHUNK_BYTES)


def test_oversized_stream_is_refused() -> None:
    chunks = filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10))
    with pytest.raises(PsiError, match="size limit"):
        join_filter_chunks(chunks, max_bytes=CHUNK_BYTES)
